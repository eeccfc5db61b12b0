import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** Registers one command on the program. Each lives in its own file in this folder. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

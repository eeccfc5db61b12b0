import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerHandoffCommand } from './handoff.js';
import { registerPostmortemCommand } from './postmortem.js';
import { registerUpdateCommand } from './update.js';

/** Registers one command on the program. Each lives in its own file in this folder. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Every command, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerUpdateCommand,
  registerPostmortemCommand,
  registerHandoffCommand,
];

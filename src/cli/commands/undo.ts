import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerUndoCommand: RegisterCommand = (program, ctx) => {
  program
    .command('undo')
    .description(
      'revert the last (or a given) mitigation from its recorded inverse, with the same plan, confirm and verify',
    )
    .argument('[action-id]', 'the action to revert (inc log shows the ids); default the last applied one')
    .option('--confirm-context <name>', 'type the context name in advance: needed with --yes on a protected context')
    .addHelpText(
      'after',
      `
Examples:
  inc undo --dry-run                 show what would be reverted, change nothing
  inc undo                           revert the last applied mitigation of the current incident
  inc undo 01JD3X… --yes             revert a given action without asking`,
    )
    .action(async (actionId: string | undefined, flags: { confirmContext?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { prepareUndo } = await import('./undo-session.js');
      const { executeRun } = await import('./playbook-session.js');
      const choice = await prepareUndo(env, actionId);
      await executeRun(env, {
        playbook: choice.playbook,
        sets: [],
        what: 'inc undo',
        undoes: choice.record.actionId,
        redo: choice.redo,
        confirmContext: flags.confirmContext,
      });
    });
};

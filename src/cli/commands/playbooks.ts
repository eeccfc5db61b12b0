import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import { rejectUnknownSubcommand } from '../unknown-subcommand.js';
import type { RegisterCommand } from './register-command.js';

export const registerPlaybooksCommand: RegisterCommand = (program, ctx) => {
  const playbooks = program
    .command('playbooks')
    .description('list, explain and check mitigation playbooks (built-in, user and repo playbooks)')
    .addHelpText(
      'after',
      `
Examples:
  inc playbooks                          list them (same as "inc playbooks list")
  inc playbooks show rollback            parameters, steps and when it is suggested
  inc playbooks validate ./.inc/playbooks/drain-queue.yaml
  inc playbooks schema > playbook.schema.json   for editor completion

Search path, a later playbook of the same name overriding an earlier one: the built-in playbooks;
the playbooks folder beside the config file, always ($XDG_CONFIG_HOME/inc/playbooks, default
~/.config/inc/playbooks); each folder of the config's playbookDirs, in order, in addition to that
one; then ./.inc/playbooks.`,
    )
    .allowExcessArguments(true)
    .action(async (_flags: unknown, command: Command) => {
      rejectUnknownSubcommand(command);
      const { listPlaybooksCommand } = await import('./playbooks-render.js');
      listPlaybooksCommand(commandEnv(ctx, command));
    });

  playbooks
    .command('list')
    .description('list the playbooks with their source, and which ones override a built-in')
    .addHelpText('after', '\nExamples:\n  inc playbooks list\n  inc playbooks list -o json')
    .action(async (_flags: unknown, command: Command) => {
      const { listPlaybooksCommand } = await import('./playbooks-render.js');
      listPlaybooksCommand(commandEnv(ctx, command));
    });

  playbooks
    .command('show')
    .description('explain a playbook: parameters, steps and what each does, when it is suggested')
    .argument('<name>', 'playbook name or file')
    .addHelpText('after', '\nExamples:\n  inc playbooks show rollback\n  inc playbooks show cordon-node -o json')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { showPlaybookCommand } = await import('./playbooks-render.js');
      showPlaybookCommand(commandEnv(ctx, command), name);
    });

  playbooks
    .command('validate')
    .description('check playbook files against the schema; every problem names file:line:col')
    .argument('<file...>', 'playbook files')
    .addHelpText('after', '\nExamples:\n  inc playbooks validate .inc/playbooks/*.yaml')
    .action(async (files: string[], _flags: unknown, command: Command) => {
      const { validatePlaybooksCommand } = await import('./playbooks-render.js');
      validatePlaybooksCommand(commandEnv(ctx, command), files);
    });

  playbooks
    .command('schema')
    .description('print the JSON Schema of playbooks (for editors)')
    .addHelpText('after', '\nExamples:\n  inc playbooks schema > playbook.schema.json')
    .action(async (_flags: unknown, command: Command) => {
      const env = commandEnv(ctx, command);
      const { playbookJsonSchema } = await import('../../playbooks/schema.js');
      env.output.out(JSON.stringify(playbookJsonSchema(), null, 2));
    });
};

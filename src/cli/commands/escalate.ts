import type { Command } from 'commander';
import type { DeliveryData } from '../../incident/event.js';
import { collectCommaSeparated } from '../collect-option.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface EscalateFlags {
  to: string[];
  reason?: string;
}

export const registerEscalateCommand: RegisterCommand = (program, ctx) => {
  program
    .command('escalate')
    .description("engage more people: the severity's escalation list or named ones; pages through INC_PAGE_WEBHOOK")
    .argument('[level]', 'a severity (SEV1..SEV4, P1..P4): engage its list, raising the incident to it if higher')
    .option(
      '--to <name>',
      'whom to engage: a contact key of the config or a name (repeatable, or comma-separated)',
      collectCommaSeparated,
      [],
    )
    .option('-r, --reason <text>', 'why')
    .addHelpText(
      'after',
      `
Examples:
  inc escalate                                  # the current severity's escalation list
  inc escalate P1 --reason "all regions down"   # raise to P1 and engage on-call, EM and VP
  inc escalate --to database --to bob
  INC_PAGE_WEBHOOK=https://… inc escalate P2    # also posts the page as JSON to the webhook

Without INC_PAGE_WEBHOOK the escalation is recorded and whom to engage is printed; page them yourself.
Each is printed with their contact from the config, or, as inc start does, with
"(no contact: set contacts.NAME in the config)".`,
    )
    .action(async (level: string | undefined, flags: EscalateFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openIncidentFor, printLogWarnings, printOutcome } = await import('./incident-output.js');
      const { planEscalation, recordEscalation } = await import('../../incident/escalate.js');
      const { resolveSeverity } = await import('../../config.js');
      const { stateOf } = await import('../../incident/log.js');
      const opened = await openIncidentFor(env, 'inc escalate', true);
      const { log, ctx: write, config } = opened;
      const state = stateOf(log, write);
      const input = {
        level: level ? resolveSeverity(config, level).name : undefined,
        to: flags.to,
        reason: flags.reason,
      };
      const plan = planEscalation(state, config.severities, input);
      // Whom to engage reads as in `inc start`: each one's contact, or how to add it to the config.
      const { renderEngage } = await import('../../incident/render-targets.js');
      const engage = renderEngage(plan.to, config.contacts, env.theme);
      if (env.globals.dryRun) {
        if (env.globals.output === 'json') env.output.out(JSON.stringify({ id: log.id, dryRun: true, plan }));
        else env.output.out(['would engage:', ...engage].join('\n'));
        env.output.err(env.errTheme.dim('dry run: not paged, not recorded'));
        return;
      }
      printLogWarnings(env, log.warnings);
      const webhook = env.env.INC_PAGE_WEBHOOK;
      let pageError: unknown;
      let page: DeliveryData | undefined;
      if (webhook) {
        const { composePage, sendPage } = await import('../../report/page-webhook.js');
        const { WebhookError } = await import('../../report/slack-webhook.js');
        page = { to: 'page-webhook', ok: true };
        await sendPage(webhook, composePage({ id: log.id, title: state.title, severity: state.severity }, plan), {
          signal: env.signal,
          clock: env.clock,
          onRetry: (message) => env.output.err(env.errTheme.warn(message)),
        }).catch((error: unknown) => {
          pageError = error;
          page = { to: 'page-webhook', ok: false, ...(error instanceof WebhookError ? { error: error.reason } : {}) };
        });
      }
      const outcome = await recordEscalation(log, write, plan, page);
      printOutcome(env, log.id, outcome);
      if (env.globals.output !== 'json') env.output.out(['Engage:', ...engage].join('\n'));
      // The escalation is recorded either way; a page that failed is the command's failure.
      if (pageError) throw pageError;
      env.output.err(
        env.errTheme.dim(webhook ? 'paged through INC_PAGE_WEBHOOK' : 'not paged: INC_PAGE_WEBHOOK is not set'),
      );
    });
};

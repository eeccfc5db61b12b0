import type { Command } from 'commander';
import type { EscalationPlan } from '../../incident/escalate.js';
import type { DeliveryData } from '../../incident/event.js';
import { collectCommaSeparated } from '../collect-option.js';
import { type CommandEnv, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface EscalateFlags {
  to: string[];
  reason?: string;
}

const ESCALATE_HELP = `
Examples:
  inc escalate                                  # the current severity's escalation list
  inc escalate P1 --reason "all regions down"   # raise to P1 and engage on-call, EM and VP
  inc escalate --to database --to bob
  INC_PAGE_WEBHOOK=https://… inc escalate P2    # also posts the page as JSON to the webhook
  INC_PAGE_WEBHOOK=https://events.pagerduty.com/v2/enqueue INC_PAGERDUTY_ROUTING_KEY=… inc escalate P1
                                                # a PagerDuty Events API v2 trigger (dedup_key: the incident id)

Without INC_PAGE_WEBHOOK the escalation is recorded and whom to engage is printed; page them yourself.
Each is printed with their contact from the config, or, as inc start does, with
"(no contact: set contacts.NAME in the config)".
A page the webhook does not take is recorded as not paged, with the reason, and exits 1. PagerDuty's
endpoint (or INC_PAGE_FORMAT=pagerduty) gets a v2 trigger event; inc resolve then resolves its alert.`;

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
    .addHelpText('after', ESCALATE_HELP)
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
      const webhook = env.env.INC_PAGE_WEBHOOK;
      // A PagerDuty page without its routing key is refused before anything is recorded.
      const routingKey = webhook ? (await pageSettings(env, webhook)).routingKey : undefined;
      printLogWarnings(env, log.warnings);
      const rank = config.severities.findIndex((s) => s.name === (plan.raise?.to ?? state.severity));
      const paging = webhook
        ? await sendEscalationPage(env, webhook, { id: log.id, title: state.title, severity: state.severity }, plan, {
            rank,
            routingKey,
          })
        : undefined;
      const page = paging?.page;
      const pageError = paging?.error;
      const outcome = await recordEscalation(log, write, plan, page);
      printOutcome(env, log.id, outcome);
      if (env.globals.output !== 'json') env.output.out(['Engage:', ...engage].join('\n'));
      // The escalation is recorded either way; a page that failed is the command's failure.
      if (pageError) throw pageError;
      env.output.err(
        env.errTheme.dim(
          webhook
            ? `paged through INC_PAGE_WEBHOOK${page?.to === 'pagerduty' ? ` (PagerDuty Events API v2, dedup_key ${log.id})` : ''}`
            : 'not paged: INC_PAGE_WEBHOOK is not set',
        ),
      );
    });
};

/** The page webhook's format, and PagerDuty's routing key when it is PagerDuty's. */
async function pageSettings(env: CommandEnv, webhook: string): Promise<{ routingKey?: string }> {
  const { pageFormatOf, pagerDutyRoutingKey } = await import('../../report/pagerduty-events.js');
  return pageFormatOf(webhook, env.env) === 'pagerduty' ? { routingKey: pagerDutyRoutingKey(env.env) } : {};
}

/** Sends the page (inc's JSON, or a PagerDuty trigger with its routing key); what became of it, and the error if it failed. */
async function sendEscalationPage(
  env: CommandEnv,
  webhook: string,
  incident: { id: string; title: string; severity: string },
  plan: EscalationPlan,
  { rank, routingKey }: { rank: number; routingKey?: string },
): Promise<{ page: DeliveryData; error?: unknown }> {
  const { composePage, sendPage } = await import('../../report/page-webhook.js');
  const { WebhookError } = await import('../../report/slack-webhook.js');
  const to = routingKey ? 'pagerduty' : 'page-webhook';
  const options = {
    signal: env.signal,
    clock: env.clock,
    onRetry: (message: string) => env.output.err(env.errTheme.warn(message)),
  };
  const page = composePage(incident, plan);
  try {
    if (routingKey) {
      const { pagerDutyTrigger, sendPagerDutyEvent } = await import('../../report/pagerduty-events.js');
      const notDone = 'the escalation is recorded as not paged';
      await sendPagerDutyEvent(webhook, pagerDutyTrigger(page, routingKey, rank), notDone, options);
    } else await sendPage(webhook, page, options);
  } catch (error) {
    return { page: { to, ok: false, ...(error instanceof WebhookError ? { error: error.reason } : {}) }, error };
  }
  return { page: { to, ok: true } };
}

import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
import type { DeliveryData } from '../../incident/event.js';
import { UPDATE_FORMATS, UPDATE_STATUSES, type UpdateFormat, type UpdateStatus } from '../../report/update-choices.js';
import { copyToClipboard } from '../../ui/execa-clipboard.js';
import { InquirerPrompter } from '../../ui/inquirer-prompter.js';
import { type CliContext, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface UpdateFlags {
  status?: UpdateStatus;
  message?: string;
  impact?: string;
  eta?: string;
  format: UpdateFormat;
  copy?: boolean;
  post?: boolean;
  resend?: boolean;
  timeline?: number;
}

type Env = ReturnType<typeof commandEnv>;

function requireWebhook(env: Env, flag: string): string | undefined {
  const webhook = env.env.INC_SLACK_WEBHOOK;
  if (!webhook && !env.globals.dryRun) {
    throw new UsageError(`${flag} needs INC_SLACK_WEBHOOK, and it is not set`, {
      hint:
        flag === '--post'
          ? 'export INC_SLACK_WEBHOOK=<your Slack incoming webhook URL>, or drop --post and paste the update'
          : 'export INC_SLACK_WEBHOOK=<your Slack incoming webhook URL>, then run it again',
    });
  }
  return webhook;
}

async function runUpdate(ctx: CliContext, flags: UpdateFlags, command: Command): Promise<void> {
  const env = commandEnv(ctx, command);
  if (flags.resend) return runResend(env, command);
  const { loadConfig } = await import('../../config.js');
  const publish = await import('../../report/publish-status-update.js');
  const webhook = flags.post ? requireWebhook(env, '--post') : undefined;
  const prompter =
    env.interactive && !env.globals.yes && flags.message === undefined
      ? new InquirerPrompter({ signal: env.signal })
      : undefined;
  const draft = await publish.draftStatusUpdate({
    env: env.env,
    clock: env.clock,
    config: loadConfig(env.env),
    incident: env.globals.incident,
    input: {
      format: flags.format,
      status: flags.status,
      message: flags.message,
      impact: flags.impact,
      eta: flags.eta,
      timeline: flags.timeline,
    },
    prompter,
  });
  for (const warning of draft.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  env.output.out(env.globals.output === 'json' ? JSON.stringify(draft.update, null, 2) : draft.text.trimEnd());
  // Copied before posting, so the text is at hand even if Slack refuses it below.
  if (flags.copy) {
    const copied = await copyToClipboard(draft.text, { env: env.env, signal: env.signal, terminal: env.terminal });
    env.output.err(
      copied.copied
        ? env.errTheme.ok(`copied to the clipboard (${copied.tool})`)
        : env.errTheme.warn(`warning: not copied: ${copied.reason}`),
    );
  }
  if (env.globals.dryRun) {
    env.output.err(env.errTheme.dim('dry run: not posted, not recorded'));
    return;
  }
  let posted: Posted | undefined;
  if (webhook) {
    const slack =
      flags.format === 'slack' ? draft.text : await publish.renderStatusUpdate(draft.renderer, draft.update, 'slack');
    posted = await postToSlack(env, webhook, slack.trimEnd(), publish.resendCommand(draft.incidentId));
    // The text posted is kept when it is not the update's own, so a resend sends the same words.
    if (slack.trimEnd() !== draft.text.trimEnd()) posted.post.text = slack.trimEnd();
  }
  // Recorded whether or not Slack took it: what the responder wrote is never lost, and the log says which.
  const recordedIn = await publish.recordStatusUpdate({
    env: env.env,
    clock: env.clock,
    incidentId: draft.incidentId,
    draft,
    ...(posted ? { post: posted.post } : {}),
  });
  if (posted?.error) {
    env.output.err(
      env.errTheme.warn(
        `recorded ${draft.update.status} update in ${recordedIn} as NOT delivered to Slack (${posted.post.error})${draft.update.nextUpdateText ? '; the next update stays due as before' : ''}`,
      ),
    );
    throw posted.error;
  }
  const next = draft.update.nextUpdateText ? `; next update due ${draft.update.nextUpdateText}` : '';
  env.output.err(env.errTheme.dim(`recorded ${draft.update.status} update in ${recordedIn}${next}`));
}

interface Posted {
  post: DeliveryData;
  /** Why Slack did not take it: thrown once the update is recorded. */
  error?: Error;
}

/** Posts to Slack; a refusal, a redirect, a timeout or a network failure is returned, not thrown. */
async function postToSlack(env: Env, webhook: string, text: string, again: string): Promise<Posted> {
  const { postSlackMessage, WebhookError } = await import('../../report/slack-webhook.js');
  try {
    await postSlackMessage(webhook, text, {
      signal: env.signal,
      clock: env.clock,
      onRetry: (message) => env.output.err(env.errTheme.warn(message)),
      again,
    });
  } catch (error) {
    if (!(error instanceof WebhookError)) throw error;
    return { post: { to: 'slack', ok: false, error: error.reason }, error };
  }
  env.output.err(env.errTheme.ok('posted to Slack'));
  return { post: { to: 'slack', ok: true } };
}

const COMPOSING_FLAGS = ['status', 'message', 'impact', 'eta', 'format', 'timeline', 'copy'] as const;

/** `inc update --resend`: posts the last update, which Slack refused, again, unchanged; recorded once taken. */
async function runResend(env: Env, command: Command): Promise<void> {
  const given = COMPOSING_FLAGS.filter((name) => command.getOptionValueSource(name) === 'cli');
  if (given.length > 0) {
    throw new UsageError(
      `--resend sends the recorded update unchanged: it takes no ${given.map((n) => `--${n}`).join(', ')}`,
      {
        hint: 'to post a new update instead, leave out --resend: inc update --post --message "…"',
      },
    );
  }
  const webhook = requireWebhook(env, '--resend');
  const { loadConfig } = await import('../../config.js');
  const publish = await import('../../report/publish-status-update.js');
  const undelivered = await publish.findUndeliveredUpdate({
    env: env.env,
    clock: env.clock,
    config: loadConfig(env.env),
    incident: env.globals.incident,
  });
  for (const warning of undelivered.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
  const { update } = undelivered;
  env.output.out(env.globals.output === 'json' ? JSON.stringify(update, null, 2) : undelivered.text.trimEnd());
  if (env.globals.dryRun || !webhook) {
    env.output.err(env.errTheme.dim('dry run: not posted, not recorded'));
    return;
  }
  const posted = await postToSlack(
    env,
    webhook,
    undelivered.text.trimEnd(),
    publish.resendCommand(undelivered.incidentId),
  );
  if (posted.error) {
    env.output.err(env.errTheme.warn(`not delivered again (${posted.post.error}); nothing new recorded`));
    throw posted.error;
  }
  const recordedIn = await publish.recordResentUpdate({ env: env.env, clock: env.clock, undelivered });
  const next = update.nextUpdateAt ? `; next update due ${update.nextUpdateAt.slice(11, 16)} UTC, as it says` : '';
  env.output.err(
    env.errTheme.dim(
      `recorded the ${update.status} update of ${update.at.slice(11, 16)} UTC as resent in ${recordedIn}${next}`,
    ),
  );
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new InvalidArgumentError('a number from 1 to 100');
  return count;
}

export const registerUpdateCommand: RegisterCommand = (program, ctx) => {
  program
    .command('update')
    .description('compose a status update from the incident log, record it and print it')
    .addOption(new Option('--status <status>', 'status (default: what the log implies)').choices(UPDATE_STATUSES))
    .option('--message <text>', 'what changed since the last update (asked on a terminal when omitted, unless --yes)')
    .option('--impact <text>', "who and what is affected (default: the last update's impact)")
    .option('--eta <text>', 'expected time to mitigation, e.g. "15:30 UTC"')
    .addOption(new Option('--format <format>', 'rendering').choices(UPDATE_FORMATS).default('text'))
    .option('--timeline <n>', 'add the last N events of the log as a short timeline (not in statuspage)', parseCount)
    .option('--copy', 'also copy the update to the clipboard')
    .option('--post', 'post the Slack rendering to the incoming webhook in INC_SLACK_WEBHOOK')
    .option('--resend', 'post the last update again, unchanged, after Slack did not take it (needs INC_SLACK_WEBHOOK)')
    .addHelpText(
      'after',
      `
Statuses: investigating, identified, mitigating, mitigated, monitoring, resolved; statuspage posts mitigating
as identified and mitigated as monitoring. A resolution states when it ended and, for a severity that requires
one, that a postmortem will follow within its business days.
Formats: text (Status / Impact / Last action / Next action / ETA), slack (mrkdwn: Conditions / Actions / Needs),
statuspage (customer-facing: no internal names), markdown. Templates: templates/update-<format>.liquid,
overridable in $XDG_CONFIG_HOME/inc/templates. -o json prints the update object.

Examples:
  inc update --message "Rolled back api; error rate falling" --format slack --copy
  inc update --status monitoring --impact "5% of checkouts fail in eu-west" --eta "14:30 UTC"
  inc update --status mitigated --timeline 5 --format slack
  inc update --format statuspage --message "A fix is rolling out."
  INC_SLACK_WEBHOOK=https://hooks.slack.com/services/… inc update --post --message "Mitigated"
  inc update --resend       # Slack refused or timed out: send the recorded update again, unchanged

An update that Slack refuses, redirects or does not answer is still recorded, marked not delivered
with the reason (inc status and inc log say so), and inc exits 1. It does not count as sent: the next
update stays due as before, and the postmortem does not quote it. --resend posts that update again,
word for word, and records it as delivered; after a timeout, look in the channel first.`,
    )
    .action((flags: UpdateFlags, command: Command) => runUpdate(ctx, flags, command));
};

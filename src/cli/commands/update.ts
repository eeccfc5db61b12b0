import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
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
  timeline?: number;
}

async function runUpdate(ctx: CliContext, flags: UpdateFlags, command: Command): Promise<void> {
  const env = commandEnv(ctx, command);
  const { loadConfig } = await import('../../config.js');
  const publish = await import('../../report/publish-status-update.js');
  const webhook = env.env.INC_SLACK_WEBHOOK;
  if (flags.post && !webhook && !env.globals.dryRun) {
    throw new UsageError('--post needs INC_SLACK_WEBHOOK, and it is not set', {
      hint: 'export INC_SLACK_WEBHOOK=<your Slack incoming webhook URL>, or drop --post and paste the update',
    });
  }
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
  if (flags.post && webhook) {
    const { postSlackMessage } = await import('../../report/slack-webhook.js');
    const slack =
      flags.format === 'slack' ? draft.text : await publish.renderStatusUpdate(draft.renderer, draft.update, 'slack');
    await postSlackMessage(webhook, slack.trimEnd(), {
      signal: env.signal,
      clock: env.clock,
      onRetry: (message) => env.output.err(env.errTheme.warn(message)),
    });
    env.output.err(env.errTheme.ok('posted to Slack'));
  }
  const recordedIn = await publish.recordStatusUpdate({
    env: env.env,
    clock: env.clock,
    incidentId: draft.incidentId,
    draft,
  });
  const next = draft.update.nextUpdateText ? `; next update due ${draft.update.nextUpdateText}` : '';
  env.output.err(env.errTheme.dim(`recorded ${draft.update.status} update in ${recordedIn}${next}`));
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
  INC_SLACK_WEBHOOK=https://hooks.slack.com/services/… inc update --post --message "Mitigated"`,
    )
    .action((flags: UpdateFlags, command: Command) => runUpdate(ctx, flags, command));
};

import type { Command } from 'commander';
import type { IncConfig } from '../../config.js';
import { UsageError } from '../../errors.js';
import type { DeclareResult } from '../../incident/declare.js';
import type { IncidentState } from '../../incident/state-types.js';
import { alertmanagerOption } from '../alertmanager-option.js';
import { collectCommaSeparated } from '../collect-option.js';
import { type CommandEnv, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface StartFlags {
  severity?: string;
  commander?: string;
  service: string[];
  impactStarted?: string;
  fromAlert?: string | true;
  alertmanager?: string;
}

export const registerStartCommand: RegisterCommand = (program, ctx) => {
  program
    .command('start')
    .description('declare an incident and make it the current one')
    .argument('[title...]', "what is wrong, in a few words (default with --from-alert: the alert's name and summary)")
    .option('-s, --severity <sev>', 'SEV1..SEV4 (or P1..P4); asked on a terminal when omitted')
    .option('--commander <name>', 'incident commander')
    .option('--service <name>', 'affected service (repeatable, or comma-separated)', collectCommaSeparated, [])
    .option('--impact-started <time>', 'when the impact began: 14:02, "10 minutes ago", ISO-8601 (default: now)')
    .option(
      '--from-alert [alert]',
      'start from a firing alert (name or fingerprint; chosen on a terminal): title, services, severity and impact start from it',
    )
    .option(...alertmanagerOption('Alertmanager for --from-alert'))
    .addHelpText(
      'after',
      `
Examples:
  inc start "checkout errors in eu-west" --severity SEV2 --service checkout
  inc start "payments latency" -s P3 --commander alice --impact-started "15 minutes ago"
  inc start "login failures"                  # on a terminal: asks about impact, proposes a severity
  inc start "site down" -s P1 -o json | jq '.engage, .targets'
  inc start --from-alert HighErrorRate         # the page: severity from its label, impact from startsAt
  inc start --from-alert 3f9a1c2b7d4e5f60 --commander alice

Prints whom to engage (the severity's escalation list, with the contacts of the config) and the
targets with their deadlines: acknowledge, response, first status update (5 min for P1/P2).
Without a terminal and without --severity, the severity is SEV3 (change it later with inc sev).`,
    )
    .action((words: string[], flags: StartFlags, command: Command) =>
      startIncident(commandEnv(ctx, command), words, flags),
    );
};

/** Declares the incident, prints it with whom to engage and its targets, and warns of a still-open one. */
async function startIncident(env: CommandEnv, words: string[], flags: StartFlags): Promise<void> {
  const { loadConfig, resolveSeverity } = await import('../../config.js');
  const { declareIncident } = await import('../../incident/declare.js');
  const config = loadConfig(env.env);
  const intake = flags.fromAlert === undefined ? undefined : await alertIntake(env, flags, config);
  if (words.length === 0 && !intake)
    throw new UsageError('an incident needs a title', { hint: 'inc start "checkout errors in eu-west"' });
  const impactStartedAt = flags.impactStarted
    ? (await import('../../time-input.js')).parseTimeInput(flags.impactStarted, env.clock, {
        what: '--impact-started',
      })
    : intake?.impactStartedAt;
  const severity = flags.severity
    ? resolveSeverity(config, flags.severity).name
    : (intake?.severity ?? (await chooseSeverity(env, config.severities)));
  const { previousOpenIncident } = await import('../../incident/summaries.js');
  const previous = await previousOpenIncident(env.env, env.clock);
  const result = await declareIncident({
    practice: await isPracticeRun(env),
    env: env.env,
    clock: env.clock,
    title: words.length > 0 ? words.join(' ') : (intake?.title ?? ''),
    severity,
    commander: flags.commander,
    services: flags.service.length > 0 ? flags.service : (intake?.services ?? []),
    impactStartedAt,
    alert: intake?.alert,
  });
  const { deriveIncidentState } = await import('../../incident/state.js');
  const state = deriveIncidentState([result.event], env.clock, {
    id: result.id,
    severities: config.severities,
    timeBoxMinutes: config.timeBoxMinutes,
  });
  await printDeclared(env, config, result, state, intake);
  if (previous) {
    env.output.err(
      env.errTheme.warn(`${previous.id} (${previous.title}) is still open; switch back with: inc use ${previous.id}`),
    );
  }
}

/** The declaration as JSON, or as text with whom to engage, the targets and the alert it came from. */
async function printDeclared(
  env: CommandEnv,
  config: IncConfig,
  result: DeclareResult,
  state: IncidentState,
  intake: AlertIntake | undefined,
): Promise<void> {
  const severity = result.event.data.severity;
  const rules = config.severities.find((s) => s.name === severity);
  const engage = (rules?.escalation ?? []).map((key) => ({ key, contact: config.contacts[key] }));
  if (env.globals.output === 'json') {
    const { id, dir, event } = result;
    const { targets, nextUpdateDueAt } = state;
    env.output.out(JSON.stringify({ id, dir, event, engage, targets, nextUpdateDueAt }, null, 2));
  } else {
    const { renderDeclared } = await import('../../incident/render.js');
    const discipline = {
      nextUpdateDueAt: state.nextUpdateDueAt,
      cadenceMinutes: rules?.updateCadenceMinutes ?? null,
      targets: state.targets,
      escalation: rules?.escalation ?? [],
      contacts: config.contacts,
      now: env.clock.now(),
    };
    env.output.out(renderDeclared(result.id, result.event, discipline, env.theme).join('\n'));
    if (intake)
      env.output.out(
        `From alert ${intake.alert.name} (${intake.alert.fingerprint}), firing since ${intake.alert.startsAt}; acknowledged.`,
      );
  }
}

type AlertIntake = Awaited<ReturnType<typeof alertIntake>>;

/** What an alert fills in of a declaration; the flags given win over it. */
async function alertIntake(env: CommandEnv, flags: StartFlags, config: IncConfig) {
  const { chooseAlert } = await import('./choose-alert.js');
  const { alert, settings } = await chooseAlert(env, flags.fromAlert ?? true, flags.alertmanager);
  const { incidentSeverityFor } = await import('../../triage/alerts/alert.js');
  const { incidentTitleFor, serviceOf } = await import('../../triage/alerts/pick-alert.js');
  const { DEFAULT_SEVERITY_WHEN_UNASKED, resolveSeverity } = await import('../../config.js');
  const mapped = incidentSeverityFor(alert.labels, settings.severities, DEFAULT_SEVERITY_WHEN_UNASKED);
  if (!mapped.mapped && !flags.severity)
    env.output.err(
      env.errTheme.warn(
        `the alert's severity label (${mapped.label ?? 'none'}) is not in alertmanager.severities: declaring as ${mapped.severity}`,
      ),
    );
  const service = serviceOf(alert);
  const startsAt = new Date(alert.startsAt);
  return {
    alert,
    title: incidentTitleFor(alert),
    services: service ? [service] : [],
    severity: flags.severity ? undefined : resolveSeverity(config, mapped.severity).name,
    // An alert fires after its `for:` period: the impact began no later than that.
    impactStartedAt: startsAt.getTime() <= env.clock.now().getTime() ? startsAt : undefined,
  };
}

/**
 * True when the command points at the practice cluster of `inc demo --practice`: its KUBECONFIG export,
 * or its kubeconfig given with --kubeconfig (relative or absolute).
 */
async function isPracticeRun(env: CommandEnv): Promise<boolean> {
  const kubeconfig = env.globals.kubeconfig ?? env.env.KUBECONFIG;
  if (!kubeconfig) return false;
  const { readPractice } = await import('../practice.js');
  const { incHome } = await import('../../incident/paths.js');
  const { resolve } = await import('node:path');
  const practice = await readPractice(incHome(env.env)).catch(() => undefined);
  return practice !== undefined && resolve(practice.kubeconfig) === resolve(kubeconfig);
}

async function chooseSeverity(
  env: CommandEnv,
  severities: readonly { name: string; description: string }[],
): Promise<string> {
  const { DEFAULT_SEVERITY_WHEN_UNASKED } = await import('../../config.js');
  if (!env.interactive) {
    const fallback =
      severities.find((s) => s.name === DEFAULT_SEVERITY_WHEN_UNASKED)?.name ??
      severities[Math.min(2, severities.length - 1)]?.name ??
      DEFAULT_SEVERITY_WHEN_UNASKED;
    env.output.err(
      env.errTheme.warn(
        `no --severity given and no terminal to ask on: declaring as ${fallback} (change it with inc sev)`,
      ),
    );
    return fallback;
  }
  const { InquirerPrompter } = await import('../../ui/inquirer-prompter.js');
  const { askSeverity } = await import('../../incident/ask-severity.js');
  return askSeverity(new InquirerPrompter({ signal: env.signal }), severities);
}

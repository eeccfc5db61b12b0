import { ExitCode, IncError, InterruptedError } from '../../errors.js';
import type { DatedFinding } from '../../incident/impact-hint.js';
import { NO_CREDENTIALS, tlsHintOf } from '../../kube/errors.js';
import type { RecordTriageResult } from '../../triage/record-triage.js';
import type { TriageResult } from '../../triage/run-triage.js';
import type { CommandEnv } from '../context.js';

const UNREACHABLE_HINT =
  'during an incident this means the control plane (or your path to it) is down, not necessarily the workloads: running pods keep serving; restore API access before touching workloads, and use --url probes to see what users see';

/** The health URLs and repositories of the config file; a broken config must not stop triage during an incident. */
export async function configuredSources(env: CommandEnv): Promise<{ urls: string[]; repos: Record<string, string> }> {
  try {
    const { loadConfig } = await import('../../config.js');
    const config = loadConfig(env.env);
    return { urls: Object.values(config.healthUrls).flat(), repos: config.repos };
  } catch (error) {
    env.output.err(env.errTheme.warn(`config not used: ${error instanceof Error ? error.message : String(error)}`));
    return { urls: [], repos: {} };
  }
}

/** A spinner per check on an interactive stderr; nothing otherwise (failed checks are listed after). */
export async function progressFor(env: CommandEnv) {
  const ui = await import('../../ui/ora-triage-progress.js');
  return env.stderrIsTTY && env.env.CI === undefined
    ? ui.createOraTriageProgress(env.errTheme)
    : ui.QUIET_TRIAGE_PROGRESS;
}

/** One report; with --watch, JSON is one line per run so a reader can split the stream. */
export async function printResult(env: CommandEnv, { report }: TriageResult, watching: boolean): Promise<void> {
  const render = await import('../../triage/render-report.js');
  if (env.globals.output === 'json')
    env.output.out(watching ? JSON.stringify(report) : JSON.stringify(report, null, 2));
  else if (env.globals.output === 'markdown') env.output.out(render.renderMarkdown(report));
  else {
    const { out, err } = render.renderText(report, env.theme);
    env.output.out(out);
    if (err) env.output.err(err);
  }
}

/**
 * Ctrl-C during a round cut its checks short, so the round is not recorded: an interrupted read is no
 * evidence that the cluster could not be read. A watch ends there, as `inc logs -f` does; a single
 * triage shows what it had learnt and exits 130.
 */
export async function stopInterrupted(env: CommandEnv, result: TriageResult, watching: boolean): Promise<void> {
  if (watching) return;
  const learnt = !result.unreachable && !result.unreadable;
  if (learnt) await printResult(env, result, false);
  throw triageInterrupted(learnt);
}

/** The error of a triage (one context or a fleet) that Ctrl-C cut short; `learnt`: a partial report was shown. */
export function triageInterrupted(learnt: boolean): InterruptedError {
  return new InterruptedError(
    learnt
      ? 'triage interrupted before every check finished: the report above is partial and was not recorded'
      : 'triage interrupted before any check finished; nothing was recorded',
    { hint: 'rerun inc triage (--check pods,events,rollouts answers quickest)' },
  );
}

/** Records the run in the current incident, saying so (or that there is none) on stderr. */
export async function record(env: CommandEnv, result: TriageResult, first: boolean): Promise<void> {
  const { openRecorder } = await import('../../incident/recorder.js');
  const { recordTriage } = await import('../../triage/record-triage.js');
  const recorder = await openRecorder({ env: env.env, clock: env.clock, incident: env.globals.incident });
  const recorded = await recordTriage(recorder, result.report, result.snapshot);
  if (recorded.incidentId || first) env.output.err(describeRecorded(env, recorded));
  if (recorded.incidentId) await adviseOnIncident(env, recorded.incidentId, first ? result.report.findings : []);
}

/** "recorded in ID (snapshot: PATH, SIZE)", or that no incident is open. */
export function describeRecorded(env: CommandEnv, recorded: RecordTriageResult): string {
  if (!recorded.incidentId) return 'no incident is open; nothing was recorded (inc start TITLE to declare one)';
  const snapshot = recorded.evidence
    ? ` (snapshot: ${recorded.evidence}, ${describeSize(recorded.evidenceBytes ?? 0)})`
    : '';
  return env.errTheme.dim(`recorded in ${recorded.incidentId}${snapshot}`);
}

/**
 * What the incident needs after a triage, on stderr: past the time-box without a mitigation, the
 * rollback this triage suggests; a critical failure dated before the declaration, how to date the
 * impact from it (the metrics count from the declaration until then).
 */
export async function adviseOnIncident(
  env: CommandEnv,
  incidentId: string,
  findings: readonly DatedFinding[],
): Promise<void> {
  const { openIncidentFor } = await import('./incident-output.js');
  const { stateOf } = await import('../../incident/log.js');
  const { renderTimeBox } = await import('../../incident/render-targets.js');
  const { impactStartHint } = await import('../../incident/impact-hint.js');
  const opened = await openIncidentFor(env, 'inc triage', false, incidentId);
  const state = stateOf(opened.log, opened.ctx);
  for (const line of renderTimeBox(state.timeBox, env.clock.now(), env.errTheme)) env.output.err(line);
  const hint = impactStartHint(state, findings, env.clock.now().getTime());
  if (!hint) return;
  const { formatElapsed } = await import('../../report/format-time.js');
  const { formatLocalTime } = await import('../../incident/describe.js');
  env.output.err(
    env.errTheme.dim(
      `"${hint.title}"${hint.context ? ` (context ${hint.context})` : ''} began ${formatElapsed(hint.beforeDeclarationMs)} before the declaration, at ${formatLocalTime(hint.at)}; if users were affected from then, date the impact: inc impact --started ${hint.argument}${env.globals.incident ? ` --incident ${incidentId}` : ''}`,
    ),
  );
}

/** Exit 4 when the cluster was unreachable, 1 when it could not be read, 3 when findings or failed checks reach --fail-on. */
export function finish(result: TriageResult, failOn: 'critical' | 'warning' | undefined): void {
  if (result.unreachable) {
    throw new IncError(`cluster unreachable: ${result.unreachable.replace(/^cluster unreachable: /, '')}`, {
      code: 'CLUSTER_UNREACHABLE',
      exitCode: ExitCode.unreachable,
      // A failed TLS handshake had an answer: the server is up, its certificate is the matter.
      hint: tlsHintOf(result.unreachable, result.report.context) ?? UNREACHABLE_HINT,
    });
  }
  if (result.unreadable) {
    throw new IncError(`triage incomplete: could not read the cluster: ${result.unreadable}`, {
      code: 'TRIAGE_INCOMPLETE',
      // Without credentials no request left this machine: the fix is a login, not the cluster.
      hint: result.unreadable.startsWith(NO_CREDENTIALS)
        ? "log in again with your cloud's CLI (or install the kubeconfig's credential plugin), then rerun; nothing is known of the cluster's health until then"
        : 'every cluster check failed (each is listed above with the request and permission it needed); no finding means nothing until they run',
    });
  }
  const { critical, warning } = result.report.summary;
  const findings = failOn === 'critical' ? critical : failOn === 'warning' ? critical + warning : 0;
  // A check that could not run may hide exactly what --fail-on is there to catch.
  const failed = failOn ? result.report.checks.filter((check) => check.status === 'error').length : 0;
  if (findings + failed > 0) {
    const parts = [
      findings ? `${findings} finding${findings === 1 ? '' : 's'} at --fail-on ${failOn} or worse` : '',
      failed ? `${failed} failed check${failed === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    throw new IncError(parts.join(' and '), { code: 'FINDINGS', exitCode: ExitCode.findings });
  }
}

/** A file's size as people read it: 812 B, 46 KB, 3.1 MB. */
function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

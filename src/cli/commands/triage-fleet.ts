import { ExitCode, IncError } from '../../errors.js';
import { describeNotRead, type FleetMember, type FleetReport } from '../../triage/fleet/fleet-report.js';
import type { ContextEvidence } from '../../triage/fleet/record-fleet.js';
import type { ContextSelection } from '../../triage/fleet/select-contexts.js';
import type { TriageSessionInput } from '../../triage/triage-session.js';
import type { CommandEnv } from '../context.js';

export interface FleetOptions {
  selection: ContextSelection;
  /** At most this many contexts are read at once. */
  parallel: number;
  failOn?: 'critical' | 'warning';
}

/**
 * `inc triage --all-contexts` (or `--contexts REGEX`, or `--context` repeated): triage of every
 * context in parallel (bounded), one snapshot each, one merged report. A context that cannot be
 * reached or read is a failed line, never a failed run; exit 4 only when none could be reached.
 */
export async function runFleetTriage(env: CommandEnv, input: TriageSessionInput, options: FleetOptions): Promise<void> {
  const { listContextNames } = await import('../../kubeconfig/read-kubeconfig.js');
  const { selectContexts } = await import('../../triage/fleet/select-contexts.js');
  const { mapBounded } = await import('../../triage/fleet/run-fleet.js');
  const { buildFleetReport } = await import('../../triage/fleet/fleet-report.js');
  const contexts = selectContexts(
    listContextNames({ kubeconfig: env.globals.kubeconfig, env: env.env }),
    options.selection,
  );
  // Opened first: a wrong --incident or a damaged log stops the command before any cluster is read, and
  // without an incident no context's snapshot is kept (ten large clusters' would only weigh on memory).
  const { openRecorder } = await import('../../incident/recorder.js');
  const recorder = await openRecorder({ env: env.env, clock: env.clock, incident: env.globals.incident });
  const evidence = recorder.incidentId ? new Map<string, ContextEvidence>() : undefined;
  const startedAt = env.clock.now();
  const { startFleetProgress } = await import('../../ui/fleet-progress.js');
  const progress = await startFleetProgress({ output: env.output, contexts });
  const members = await mapBounded(contexts, options.parallel, async (context) => {
    const member = await triageContext(env, input, context, evidence);
    progress.finished(context, env.errTheme.dim(`${context}: ${describeMember(member)}`));
    return member;
  }).finally(() => progress.stop());
  const report = buildFleetReport(members, {
    startedAt: startedAt.toISOString(),
    durationMs: env.clock.now().getTime() - startedAt.getTime(),
    namespaces: input.globals.allNamespaces ? 'all' : (input.globals.namespace ?? 'default'),
  });
  // Ctrl-C cut the contexts' checks short: show what was learnt, record nothing (an interrupted read is no
  // evidence about any cluster), exit 130, as one context's triage does.
  if (env.signal.aborted) {
    const learnt = report.fleet.some((entry) => entry.status === 'ok');
    if (learnt) await printFleet(env, report);
    const { triageInterrupted } = await import('./triage-output.js');
    throw triageInterrupted(learnt);
  }
  await printFleet(env, report);
  const { recordFleetTriage } = await import('../../triage/fleet/record-fleet.js');
  // In the order the contexts are listed, whichever finished first.
  const runs = new Map<string, ContextEvidence>();
  for (const context of contexts) {
    const run = evidence?.get(context);
    if (run) runs.set(context, run);
  }
  const recorded = await recordFleetTriage(recorder, report, runs);
  const { describeRecorded, adviseOnIncident } = await import('./triage-output.js');
  env.output.err(describeRecorded(env, recorded));
  if (recorded.incidentId) await adviseOnIncident(env, recorded.incidentId, report.findings);
  finishFleet(report, options.failOn);
}

async function triageContext(
  env: CommandEnv,
  input: TriageSessionInput,
  context: string,
  evidence: Map<string, ContextEvidence> | undefined,
): Promise<FleetMember> {
  const started = env.clock.now().getTime();
  const elapsed = () => env.clock.now().getTime() - started;
  const { openTriageSession } = await import('../../triage/triage-session.js');
  const { SILENT_PROGRESS } = await import('../../triage/run-triage.js');
  // A signal per context that follows Ctrl-C: its client, deadlines and sleeps listen there, not all on
  // the command's one (AbortSignal.any adds no listener to it).
  const signal = AbortSignal.any([env.signal]);
  try {
    const session = await openTriageSession({ ...input, signal, globals: { ...input.globals, context } });
    try {
      const result = await session.run(SILENT_PROGRESS);
      if (evidence && result.snapshot) evidence.set(context, { report: result.report, snapshot: result.snapshot });
      if (result.unreachable)
        return { context, status: 'unreachable', error: result.unreachable, durationMs: elapsed() };
      if (result.unreadable) {
        return { context, status: 'failed', error: result.unreadable, report: result.report, durationMs: elapsed() };
      }
      return { context, status: 'ok', report: result.report, durationMs: elapsed() };
    } finally {
      session.close();
    }
  } catch (error) {
    if (env.signal.aborted) throw error;
    return { context, status: 'failed', error: (error as Error).message, durationMs: elapsed() };
  }
}

function describeMember(member: FleetMember): string {
  if (member.status !== 'ok') return describeNotRead(member.status, member.error);
  const { critical, warning } = member.report.summary;
  return `${critical} critical, ${warning} warning (${(member.durationMs / 1000).toFixed(1)}s)`;
}

async function printFleet(env: CommandEnv, report: FleetReport): Promise<void> {
  const { renderFleetText, renderFleetMarkdown } = await import('../../triage/fleet/render-fleet.js');
  if (env.globals.output === 'json') {
    env.output.out(JSON.stringify(report, null, 2));
    return;
  }
  if (env.globals.output === 'markdown') {
    const { renderMarkdown } = await import('../../triage/render-report.js');
    env.output.out(renderFleetMarkdown(report, renderMarkdown));
    return;
  }
  const { out, err } = renderFleetText(report, env.theme);
  env.output.out(out);
  if (err) env.output.err(err);
}

/**
 * Exit 4 when no context was reached, 1 when none could be read; `--fail-on` counts every context's
 * findings, and a context not read.
 */
function finishFleet(report: FleetReport, failOn: 'critical' | 'warning' | undefined): void {
  const reached = report.fleet.filter((entry) => entry.status !== 'unreachable');
  if (reached.length === 0) {
    const names = report.fleet.map((e) => e.context);
    throw new IncError(`no context could be reached (${names.join(', ')})`, {
      code: 'CLUSTER_UNREACHABLE',
      exitCode: ExitCode.unreachable,
      hint: `check the network path to each API server, e.g. kubectl --context ${names[0]} get --raw /version`,
    });
  }
  // Reached but read nowhere (forbidden, errors everywhere): a failure, as for one context, not an all-clear.
  if (!report.fleet.some((entry) => entry.status === 'ok')) {
    throw new IncError(
      `triage incomplete: no context could be read (${report.fleet.map((e) => e.context).join(', ')})`,
      {
        code: 'TRIAGE_INCOMPLETE',
        hint: 'every cluster check failed in each (listed above with the request and permission it needed); no finding means nothing until they run',
      },
    );
  }
  if (!failOn) return;
  const { critical, warning } = report.summary;
  const findings = failOn === 'critical' ? critical : critical + warning;
  // A context or check that could not be read may hide exactly what --fail-on is there to catch.
  const unread = report.fleet.filter((entry) => !entry.complete).length;
  if (findings + unread > 0) {
    const parts = [
      findings ? `${findings} finding${findings === 1 ? '' : 's'} at --fail-on ${failOn} or worse` : '',
      unread ? `${unread} context${unread === 1 ? '' : 's'} not fully read` : '',
    ].filter(Boolean);
    throw new IncError(parts.join(' and '), { code: 'FINDINGS', exitCode: ExitCode.findings });
  }
}

import type { Clock } from '../clock.js';
import { analyzeSnapshot } from './analyze.js';
import { clusterCheck } from './checks/registry.js';
import { healthFindings } from './health.js';
import type { ResourceFailure, ResourceKey, Snapshot } from './snapshot.js';
import {
  type CheckName,
  type CheckResult,
  type CheckStatus,
  type Commit,
  type Finding,
  type HealthProbe,
  SEVERITY_RANK,
  type TriageReport,
} from './types.js';

/** Shows checks starting and finishing (a spinner per check on a terminal, a line each otherwise). */
export interface TriageProgress {
  begin(checks: readonly CheckName[]): void;
  end(check: CheckName, status: CheckStatus, detail?: string): void;
  /** Stops the display before the report is printed. */
  stop(): void;
}

export const SILENT_PROGRESS: TriageProgress = { begin: () => {}, end: () => {}, stop: () => {} };

/** Where triage gets its facts: the cluster, HTTP health endpoints and git. Adapters live outside the domain. */
export interface TriageSources {
  /** undefined when no cluster check is asked for. */
  fetchSnapshot?(options: {
    namespace: string | undefined;
    resources: readonly ResourceKey[];
    logs: boolean;
    onResource: (key: ResourceKey | 'logs', failure: ResourceFailure | undefined) => void;
  }): Promise<Snapshot>;
  probe?(url: string): Promise<HealthProbe>;
  commits?(repo: string): Promise<Commit[]>;
}

export interface TriageOptions {
  context: string;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  checks: readonly CheckName[];
  sinceMs: number;
  urls: readonly string[];
  repo?: string;
  contextFlag?: string;
  clock: Clock;
}

export interface TriageResult {
  report: TriageReport;
  snapshot: Snapshot | undefined;
  /** Set when no request reached the cluster: the CLI exits 4 after printing what it has. */
  unreachable?: string;
}

/** Resources every cluster run needs besides the checks' own: to date changes and suggest playbooks. */
const ALWAYS: readonly ResourceKey[] = ['events', 'deployments', 'replicasets', 'applications'];

/** Runs triage: the snapshot, the health probes and git in parallel, then the pure checks. */
export async function runTriage(
  options: TriageOptions,
  sources: TriageSources,
  progress: TriageProgress = SILENT_PROGRESS,
): Promise<TriageResult> {
  const clock = options.clock;
  const started = clock.now();
  const t0 = performance.now();
  const clusterChecks = options.checks.filter((name) => clusterCheck(name) !== undefined);
  const wantHealth = options.checks.includes('health') && options.urls.length > 0 && sources.probe !== undefined;
  const wantCommits = options.checks.includes('changes') && options.repo !== undefined && sources.commits !== undefined;
  progress.begin([
    ...clusterChecks,
    ...(wantHealth ? (['health'] as const) : []),
    ...(wantCommits ? (['changes'] as const) : []),
  ]);

  const snapshotPromise =
    clusterChecks.length && sources.fetchSnapshot
      ? fetchWithProgress(options, clusterChecks, sources, progress)
      : Promise.resolve(undefined);
  const probesPromise = wantHealth
    ? timed(() => Promise.all(options.urls.map((url) => sources.probe?.(url) as Promise<HealthProbe>)))
    : undefined;
  const commitsPromise = wantCommits
    ? timed(() => sources.commits?.(options.repo ?? '.') as Promise<Commit[]>)
    : undefined;

  const snapshot = await snapshotPromise;
  const probes = probesPromise ? await probesPromise : undefined;
  if (probes) progress.end('health', probes.value ? 'ok' : 'error', probes.error);
  const commits = commitsPromise ? await commitsPromise : undefined;
  if (commits) progress.end('changes', commits.value ? 'ok' : 'error', commits.error);
  progress.stop();

  const unreachable = snapshot ? unreachableReason(snapshot) : undefined;
  const analysis =
    snapshot && !unreachable
      ? analyzeSnapshot(snapshot, {
          checks: clusterChecks,
          sinceMs: options.sinceMs,
          contextFlag: options.contextFlag,
          commits: commits?.value,
        })
      : {
          findings: [] as Finding[],
          suspects: [],
          checks: clusterChecks.map(
            (check): CheckResult => ({ check, status: 'error', durationMs: 0, error: unreachable }),
          ),
        };
  const findings = [...analysis.findings, ...healthFindings(probes?.value ?? [])];
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const checks = [...analysis.checks];
  if (probes)
    checks.push({
      check: 'health',
      status: probes.value ? 'ok' : 'error',
      durationMs: probes.ms,
      ...(probes.error ? { error: probes.error } : {}),
    });
  if (commits)
    checks.push({
      check: 'changes',
      status: commits.value ? 'ok' : 'error',
      durationMs: commits.ms,
      ...(commits.error ? { error: commits.error } : {}),
    });

  const durationMs = Math.round(performance.now() - t0);
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  const report: TriageReport = {
    schemaVersion: 1,
    context: options.context,
    namespaces: options.namespace ?? 'all',
    startedAt: started.toISOString(),
    durationMs,
    summary,
    headline: headline(summary, options.namespace, snapshot, durationMs, unreachable),
    findings,
    suspects: analysis.suspects,
    checks,
    ...(probes?.value ? { probes: probes.value } : {}),
    ...(commits?.value ? { commits: commits.value } : {}),
  };
  return { report, snapshot, unreachable };
}

async function fetchWithProgress(
  options: TriageOptions,
  checks: readonly CheckName[],
  sources: TriageSources,
  progress: TriageProgress,
): Promise<Snapshot | undefined> {
  const needs = new Map(
    checks.map((name) => [
      name,
      new Set<ResourceKey | 'logs'>([
        ...(clusterCheck(name)?.needs ?? []),
        ...(name === 'logs' ? (['logs'] as const) : []),
      ]),
    ]),
  );
  const resources = [...new Set([...ALWAYS, ...checks.flatMap((name) => clusterCheck(name)?.needs ?? [])])];
  const failures = new Map<ResourceKey | 'logs', ResourceFailure>();
  const onResource = (key: ResourceKey | 'logs', failure: ResourceFailure | undefined) => {
    if (failure) failures.set(key, failure);
    for (const [name, pending] of needs) {
      pending.delete(key);
      if (pending.size > 0) continue;
      needs.delete(name);
      const required = clusterCheck(name)?.requires ?? [];
      const failed =
        required.map((k) => failures.get(k)).find(Boolean) ?? (name === 'logs' ? failures.get('logs') : undefined);
      progress.end(name, failed ? (failed.kind === 'absent' ? 'skipped' : 'error') : 'ok', failed?.message);
    }
  };
  return sources.fetchSnapshot?.({
    namespace: options.namespace,
    resources,
    logs: checks.includes('logs'),
    onResource,
  });
}

/** Every list failed to reach the server: the cluster is unreachable, not merely forbidding some lists. */
function unreachableReason(snapshot: Snapshot): string | undefined {
  // Logs fail as a consequence of pods failing: only the lists themselves tell whether the server answered.
  const failures = snapshot.fetched.filter((key) => key !== 'logs').map((key) => snapshot.failures[key]);
  if (
    failures.length === 0 ||
    failures.some((failure) => !failure || (failure.kind !== 'unreachable' && failure.kind !== 'timeout'))
  )
    return undefined;
  return failures[0]?.message;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value?: T; error?: string; ms: number }> {
  const started = performance.now();
  try {
    return { value: await run(), ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      error: error instanceof Error ? error.message : String(error),
      ms: Math.round(performance.now() - started),
    };
  }
}

function headline(
  summary: TriageReport['summary'],
  namespace: string | undefined,
  snapshot: Snapshot | undefined,
  durationMs: number,
  unreachable: string | undefined,
): string {
  const seconds = `${(durationMs / 1000).toFixed(1)} s`;
  if (unreachable)
    return `cluster unreachable; ${summary.critical} critical, ${summary.warning} warnings from checks outside the cluster, ${seconds}`;
  if (!snapshot) {
    const counts = [
      summary.critical ? `${summary.critical} critical` : '',
      summary.warning ? `${summary.warning} warnings` : '',
    ].filter(Boolean);
    return `${counts.length ? counts.join(', ') : 'no problems found'} outside the cluster (health, changes), ${seconds}`;
  }
  const namespaces = new Set(snapshot.pods.map((pod) => pod.metadata.namespace));
  const where = namespace
    ? `in namespace ${namespace}`
    : `in ${namespaces.size} namespace${namespaces.size === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (summary.critical) parts.push(`${summary.critical} critical`);
  if (summary.warning) parts.push(`${summary.warning} warning${summary.warning === 1 ? '' : 's'}`);
  if (summary.info) parts.push(`${summary.info} info`);
  return `${parts.length ? parts.join(', ') : 'no problems found'} ${where}, ${seconds}`;
}

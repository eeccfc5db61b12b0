import type { Clock } from '../clock.js';
import type { ClusterFlags } from '../cluster-flags.js';
import type { AlertsOutcome } from './alerts/alert.js';
import { analyzeSnapshot, MAX_EVIDENCE } from './analyze.js';
import { clusterCheck } from './checks/registry.js';
import { type ConfigManifest, listConfigChanges } from './config-changes.js';
import { healthFindings } from './health.js';
import type { Mitigation } from './mitigations.js';
import { attachServingErrorLogs, type ReadServingLogs } from './serving-error-logs.js';
import type { SignalsOutcome } from './signals/signals-outcome.js';
import { allPods, type ResourceFailure, type ResourceKey, type Snapshot } from './snapshot.js';
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
  /** The golden signals: Prometheus, or the pods scraped directly (which waits for the snapshot's pods). */
  signals?(options: SignalsRequest): Promise<SignalsOutcome>;
  /** The alerts firing in Alertmanager. */
  alerts?(): Promise<AlertsOutcome>;
  probe?(url: string): Promise<HealthProbe>;
  commits?(repo: string): Promise<Commit[]>;
  /** The path of a ConfigMap's manifest in a git repository, if it holds one. */
  configManifest?(repo: string, namespace: string, name: string): Promise<string | undefined>;
  /** The running containers' logs of pods serving errors, for the HighErrorRate findings. */
  servingLogs?: ReadServingLogs;
}

export interface SignalsRequest {
  /** undefined: all namespaces. */
  namespace: string | undefined;
  snapshot: () => Promise<Snapshot | undefined>;
}

export interface TriageOptions {
  context: string;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  /** The namespace is the context's (no -n): a clean report says the others were not read. */
  namespaceFromContext?: boolean;
  checks: readonly CheckName[];
  sinceMs: number;
  urls: readonly string[];
  repo?: string;
  /** The config's repositories by namespace: where a changed ConfigMap's manifest may be. */
  repos?: Readonly<Record<string, string>>;
  clusterFlags?: ClusterFlags;
  /** inc's own changes in the current incident: mitigations, never suspects. */
  mitigations?: readonly Mitigation[];
  clock: Clock;
}

export interface TriageResult {
  report: TriageReport;
  snapshot: Snapshot | undefined;
  /** Set when no request reached the cluster: the CLI exits 4 after printing what it has. */
  unreachable?: string;
  /** Set when the cluster answered but no cluster check could run (errors, forbidden, garbage): exit 1. */
  unreadable?: string;
}

/** Resources every cluster run needs besides the checks' own: to date changes and suggest playbooks. */
const ALWAYS: readonly ResourceKey[] = [
  'events',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'controllerRevisions',
  'applications',
  'configMaps',
  'secrets',
];

/** What the sources answered: the cluster snapshot and everything fetched beside it. */
interface TriageFacts {
  clusterChecks: CheckName[];
  snapshot: Snapshot | undefined;
  signals: SignalsOutcome | undefined;
  alerts: AlertsOutcome | undefined;
  probes: Timed<HealthProbe[]> | undefined;
  commits: Timed<Commit[]> | undefined;
}

/** Runs triage: the snapshot, the health probes and git in parallel, then the pure checks. */
export async function runTriage(
  options: TriageOptions,
  sources: TriageSources,
  progress: TriageProgress = SILENT_PROGRESS,
): Promise<TriageResult> {
  const started = options.clock.now();
  const t0 = performance.now();
  const facts = await gatherFacts(options, sources, progress);
  const { snapshot } = facts;
  const unreachable = snapshot ? unreachableReason(snapshot) : undefined;
  const { analysis, findings, checks } = await analyzeFacts(options, sources, facts);
  if (snapshot && sources.servingLogs && facts.clusterChecks.includes('logs'))
    await attachServingErrorLogs(findings, snapshot, sources.servingLogs, MAX_EVIDENCE);
  const durationMs = Math.round(performance.now() - t0);
  const unreadable = unreachable ? undefined : unreadableReason(analysis.checks);
  const coverage = describeCoverage(checks, analysis.checks, unreachable, unreadable);
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  const report: TriageReport = {
    schemaVersion: 1,
    context: options.context,
    namespaces: options.namespace ?? 'all',
    // The server's clock when the cluster was read, so the header and the findings' ages agree
    // (a simulator's clock, or a skewed laptop's, differs from the cluster's).
    startedAt: snapshot?.now ?? started.toISOString(),
    durationMs,
    complete: coverage === undefined,
    summary,
    headline: [
      coverage,
      headline(summary, {
        namespace: options.namespace,
        snapshot: unreachable || unreadable ? undefined : snapshot,
        outside: facts.probes !== undefined || facts.commits !== undefined,
        namespaceFromContext: options.namespaceFromContext,
        durationMs,
        incomplete: coverage !== undefined,
      }),
    ]
      .filter(Boolean)
      .join('; '),
    findings,
    suspects: analysis.suspects,
    checks,
    ...(facts.probes?.value ? { probes: facts.probes.value } : {}),
    ...(facts.commits?.value ? { commits: facts.commits.value } : {}),
    ...(analysis.signals ? { signals: analysis.signals } : {}),
    ...(facts.alerts?.kind === 'data' ? { alertSource: facts.alerts.source } : {}),
  };
  return { report, snapshot, unreachable, unreadable };
}

/** Starts every source at once (the signals source may wait for the snapshot), then awaits them all. */
async function gatherFacts(
  options: TriageOptions,
  sources: TriageSources,
  progress: TriageProgress,
): Promise<TriageFacts> {
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
  const signalsPromise =
    clusterChecks.includes('signals') && sources.signals
      ? sources
          .signals({ namespace: options.namespace, snapshot: () => snapshotPromise })
          .catch((error: unknown): SignalsOutcome => ({ kind: 'failed', error: errorText(error) }))
      : undefined;
  const alertsPromise =
    clusterChecks.includes('alerts') && sources.alerts
      ? sources.alerts().catch((error: unknown): AlertsOutcome => ({ kind: 'failed', error: errorText(error) }))
      : undefined;

  const snapshot = await snapshotPromise;
  const signals = await signalsPromise;
  const alerts = await alertsPromise;
  if (alerts) progress.end('alerts', outcomeStatus(alerts), alerts.kind === 'failed' ? alerts.error : undefined);
  if (signals) progress.end('signals', outcomeStatus(signals), signals.kind === 'failed' ? signals.error : undefined);
  if (snapshot && signals?.kind === 'data')
    snapshot.signals = { source: signals.data.source, queries: signals.data.raw, notes: signals.data.notes };
  const probes = probesPromise ? await probesPromise : undefined;
  if (probes) progress.end('health', probes.value ? 'ok' : 'error', probes.error);
  const commits = commitsPromise ? await commitsPromise : undefined;
  if (commits) progress.end('changes', commits.value ? 'ok' : 'error', commits.error);
  progress.stop();
  return { clusterChecks, snapshot, signals, alerts, probes, commits };
}

/** The pure checks over the facts, with the health probes' and git's results as checks of their own. */
async function analyzeFacts(options: TriageOptions, sources: TriageSources, facts: TriageFacts) {
  const { snapshot, probes, commits } = facts;
  const configManifests = snapshot ? await locateConfigManifests(options, sources, snapshot) : [];
  // Each check reports its own failure (the list it needed), even when nothing reached the cluster.
  const analysis = snapshot
    ? analyzeSnapshot(snapshot, {
        checks: facts.clusterChecks,
        sinceMs: options.sinceMs,
        clusterFlags: options.clusterFlags,
        commits: commits?.value,
        signals: facts.signals,
        alerts: facts.alerts,
        mitigations: options.mitigations,
        configManifests,
      })
    : { findings: [] as Finding[], suspects: [], checks: [] as CheckResult[], signals: undefined };
  const findings = [...analysis.findings, ...healthFindings(probes?.value ?? [])];
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const checks = [...analysis.checks];
  for (const [check, outcome] of [
    ['health', probes],
    ['changes', commits],
  ] as const) {
    if (outcome)
      checks.push({
        check,
        status: outcome.value ? 'ok' : 'error',
        durationMs: outcome.ms,
        ...(outcome.error ? { error: outcome.error } : {}),
      });
  }
  return { analysis, findings, checks };
}

/** The git manifests of the ConfigMaps that changed in the window, where a repository is known for them. */
async function locateConfigManifests(
  options: TriageOptions,
  sources: TriageSources,
  snapshot: Snapshot,
): Promise<ConfigManifest[]> {
  const locate = sources.configManifest;
  if (!locate) return [];
  const from = Date.parse(snapshot.now) - options.sinceMs;
  const changed = listConfigChanges(snapshot, from).filter((change) => change.config.kind === 'ConfigMap');
  const found = await Promise.all(
    changed.slice(0, 10).map(async ({ config }): Promise<ConfigManifest | undefined> => {
      const namespace = config.namespace ?? 'default';
      const repo = options.repo ?? options.repos?.[namespace];
      if (!repo) return undefined;
      const file = await locate(repo, namespace, config.name).catch(() => undefined);
      return file ? { namespace, name: config.name, repo, file } : undefined;
    }),
  );
  return found.filter((manifest): manifest is ConfigManifest => manifest !== undefined);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function outcomeStatus(outcome: SignalsOutcome | AlertsOutcome): CheckStatus {
  return outcome.kind === 'data' ? 'ok' : outcome.kind === 'failed' ? 'error' : 'skipped';
}

async function fetchWithProgress(
  options: TriageOptions,
  checks: readonly CheckName[],
  sources: TriageSources,
  progress: TriageProgress,
): Promise<Snapshot | undefined> {
  // The signals and alerts checks end when their own source answers, not when their resources arrive.
  const needs = new Map(
    checks
      .filter((name) => (name !== 'signals' || !sources.signals) && (name !== 'alerts' || !sources.alerts))
      .map((name) => [
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

/**
 * No list reached the server: every request failed on the way (refused, reset, timed out). An API
 * that is not served (a 404 for an optional group) says nothing either way.
 */
function unreachableReason(snapshot: Snapshot): string | undefined {
  // Logs fail as a consequence of pods failing: only the lists themselves tell whether the server answered.
  const keys = snapshot.fetched.filter((key) => key !== 'logs');
  const failures = keys.map((key) => snapshot.failures[key]);
  if (keys.length === 0 || failures.some((failure) => !failure)) return undefined;
  const telling = failures.filter((failure) => failure?.kind !== 'absent');
  if (telling.length === 0 || telling.some((failure) => failure?.kind !== 'unreachable' && failure?.kind !== 'timeout'))
    return undefined;
  return telling[0]?.message;
}

/** Cluster checks were asked for, some failed and none ran: the cluster's health is unknown. */
function unreadableReason(clusterChecks: readonly CheckResult[]): string | undefined {
  const failed = clusterChecks.filter((check) => check.status === 'error');
  if (failed.length === 0 || clusterChecks.some((check) => check.status === 'ok')) return undefined;
  return failed[0]?.error ?? 'every cluster check failed';
}

/** What the report does not cover, said first; undefined when every check ran. */
function describeCoverage(
  checks: readonly CheckResult[],
  clusterChecks: readonly CheckResult[],
  unreachable: string | undefined,
  unreadable: string | undefined,
): string | undefined {
  const failed = checks.filter((check) => check.status === 'error');
  if (failed.length === 0) return undefined;
  if (unreachable) return 'triage incomplete: cluster unreachable, nothing is known about its health';
  const count = `${failed.length} of ${checks.length} checks failed`;
  if (unreadable) {
    const clusterFailed = clusterChecks.filter((check) => check.status === 'error').length;
    return `triage incomplete: could not read the cluster (${clusterFailed} of ${clusterChecks.length} cluster checks failed), nothing is known about its health`;
  }
  return `triage incomplete: ${count} (${failed.map((check) => check.check).join(', ')})`;
}

interface Timed<T> {
  value?: T;
  error?: string;
  ms: number;
}

async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
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

interface HeadlineFacts {
  namespace: string | undefined;
  /** undefined when the cluster was not looked at, or could not be read. */
  snapshot: Snapshot | undefined;
  /** Checks outside the cluster (health, changes) ran. */
  outside: boolean;
  namespaceFromContext?: boolean;
  durationMs: number;
  incomplete: boolean;
}

function headline(summary: TriageReport['summary'], facts: HeadlineFacts): string {
  const { snapshot, namespace } = facts;
  const seconds = `${(facts.durationMs / 1000).toFixed(1)} s`;
  const none = facts.incomplete ? 'no problems found by the checks that ran' : 'no problems found';
  if (!snapshot) {
    if (!facts.outside) return seconds;
    const counts = [
      summary.critical ? `${summary.critical} critical` : '',
      summary.warning ? `${summary.warning} warnings` : '',
    ].filter(Boolean);
    return `${counts.length ? counts.join(', ') : none} outside the cluster (health, changes), ${seconds}`;
  }
  const namespaces = new Set(allPods(snapshot).map((pod) => pod.metadata.namespace));
  // Counted from the pods: a cluster without any is not "0 namespaces", as if nothing was looked at.
  const where = namespace
    ? `in namespace ${namespace}`
    : namespaces.size === 0
      ? 'in the cluster (no pods in any namespace)'
      : `in ${namespaces.size} namespace${namespaces.size === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (summary.critical) parts.push(`${summary.critical} critical`);
  if (summary.warning) parts.push(`${summary.warning} warning${summary.warning === 1 ? '' : 's'}`);
  if (summary.info) parts.push(`${summary.info} info`);
  // Pasted as it is, "no problems found in namespace default" reads as an all-clear for the cluster.
  const scope =
    namespace && facts.namespaceFromContext && !summary.critical && !summary.warning
      ? " (the context's; other namespaces not read: -A reads them all)"
      : '';
  return `${parts.length ? parts.join(', ') : none} ${where}${scope}, ${seconds}`;
}

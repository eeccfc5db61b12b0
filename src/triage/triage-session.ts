import type { Clock } from '../clock.js';
import { registerSecretValues } from '../incident/redact.js';
import type { InteractiveLogin } from '../kube/credential-plugin.js';
import { type KubeClient, type KubeGlobals, openKube } from '../kube/index.js';
import { readAlerts } from './adapters/alerts-source.js';
import { findConfigManifest } from './adapters/config-manifest.js';
import { fetchServingLogs, fetchSnapshot } from './adapters/fetch-snapshot.js';
import { readCommits } from './adapters/git-commits.js';
import { probeUrl } from './adapters/http-probe.js';
import { signalsSource } from './adapters/signals-source.js';
import type { AlertmanagerSettings } from './alerts/alerts-settings.js';
import { clusterCheck } from './checks/registry.js';
import type { Mitigation } from './mitigations.js';
import { runTriage, type TriageProgress, type TriageResult, type TriageSources } from './run-triage.js';
import type { SignalsSettings } from './signals/signals-settings.js';
import type { CheckName, TriageReport } from './types.js';
import { verificationReport } from './verification-report.js';

export interface TriageSessionInput {
  globals: KubeGlobals & { allNamespaces: boolean };
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  checks: readonly CheckName[];
  sinceMs: number;
  urls: readonly string[];
  /** --repo; else the repository the config maps to the namespace. Never the current folder: inside an
   * unrelated repository its commits would read as changes to the cluster. */
  repo?: string;
  /** The config's repositories by namespace. */
  repos?: Readonly<Record<string, string>>;
  probeTimeoutMs?: number;
  /** Where the signals check gets its figures; undefined: the check is skipped. */
  signals?: SignalsSettings;
  /** Where the alerts check reads the alerts; undefined: the check is skipped. */
  alerts?: AlertmanagerSettings;
  /** The baseline ends at the incident's impact start, when there is one (ms). */
  baselineEndMs?: number;
  /**
   * Reads inc's own changes in the current incident made in this context (every context when
   * unknown); called before each run (--watch sees new ones).
   */
  mitigations?: (context: string | undefined) => Promise<readonly Mitigation[]>;
  /** On a terminal: a credential plugin may ask for a login there (one context only, never a fleet). */
  login?: InteractiveLogin;
}

/** A triage session: the cluster client is opened once and reused by --watch. */
export interface TriageSession {
  /** undefined when only checks outside the cluster (health, changes) were asked for. */
  readonly kube: KubeClient | undefined;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
  run(progress: TriageProgress): Promise<TriageResult>;
  close(): void;
}

/**
 * Opens the cluster (a bad kubeconfig or context throws KubeconfigError) and wires triage's sources.
 * `--check health,changes` needs no kubeconfig at all.
 */
export async function openTriageSession(input: TriageSessionInput): Promise<TriageSession> {
  const needsCluster = input.checks.some((name) => clusterCheck(name) !== undefined);
  const kube = needsCluster
    ? await openKube({
        globals: input.globals,
        env: input.env,
        clock: input.clock,
        signal: input.signal,
        login: input.login,
        onCredentials: registerSecretValues,
      })
    : undefined;
  const namespace = input.globals.allNamespaces ? undefined : (kube?.namespace ?? input.globals.namespace);
  const repo = input.repo ?? (namespace ? input.repos?.[namespace] : undefined);
  return {
    kube,
    namespace,
    run: async (progress) =>
      runTriage(
        {
          mitigations: (await input.mitigations?.(kube?.contextName)) ?? [],
          context: kube?.contextName ?? input.globals.context ?? '(none)',
          namespace,
          namespaceFromContext: !input.globals.allNamespaces && !input.globals.namespace,
          checks: input.checks,
          sinceMs: input.sinceMs,
          urls: input.urls,
          repo,
          repos: input.repos,
          // The globals hold --context and --as as given: the suggested commands repeat them.
          clusterFlags: input.globals,
          clock: input.clock,
        },
        {
          ...triageSources(kube, input.signal, input.probeTimeoutMs, signalsOf(kube, input)),
          alerts: alertsOf(kube, input),
        },
        progress,
      ),
    close: () => kube?.close(),
  };
}

/** Triage's sources, wired once: the cluster fetcher on an open client, the signals, the HTTP probe and git. */
function triageSources(
  kube: KubeClient | undefined,
  signal: AbortSignal,
  probeTimeoutMs?: number,
  signals?: TriageSources['signals'],
): TriageSources {
  return {
    fetchSnapshot: kube ? (options) => fetchSnapshot(kube, options) : undefined,
    servingLogs: kube ? (pods) => fetchServingLogs(kube, pods) : undefined,
    signals,
    probe: (url) => probeUrl(url, { timeoutMs: probeTimeoutMs, signal }),
    commits: (path) => readCommits(path, { signal }),
    configManifest: (repo, namespace, name) => findConfigManifest(repo, namespace, name, { signal }),
  };
}

/** The signals source of a session: Prometheus, one found in the cluster, or the pods scraped. */
function signalsOf(kube: KubeClient | undefined, input: TriageSessionInput): TriageSources['signals'] {
  if (!kube || !input.signals) return undefined;
  return signalsSource({
    ...input.signals,
    kube,
    baselineEndMs: input.baselineEndMs,
    clock: input.clock,
    signal: input.signal,
    sleep: (ms) => input.clock.sleep(ms, input.signal),
  });
}

/** The alerts source of a session: the Alertmanager given, or one found in the cluster. */
function alertsOf(kube: KubeClient | undefined, input: TriageSessionInput): TriageSources['alerts'] {
  const settings = input.alerts;
  if (!kube || !settings) return undefined;
  return () => readAlerts({ settings, kube, clock: input.clock, signal: input.signal });
}

/** The playbook `triage` step's verdict, and what it found, for the incident log. */
export interface WorkloadVerdict {
  healthy: boolean;
  lines: string[];
  report: TriageReport;
}

export interface WorkloadTriageOptions {
  namespace?: string;
  workload?: string;
  /** inc's own changes in the current incident: mitigations, never suspects nor undone by a suggestion. */
  mitigations?: readonly Mitigation[];
}

/**
 * The playbook `triage` step: the triage engine on a fresh snapshot of the namespace (pods, events,
 * rollouts, nodes); the workload is still failing while a critical finding names it, or (with a
 * signals source) while its error rate or latency since the mitigation is still too high.
 */
export async function triageWorkload(
  kube: KubeClient,
  clock: Clock,
  signal: AbortSignal,
  { namespace, workload, mitigations }: WorkloadTriageOptions,
  signals?: SignalsSettings,
): Promise<WorkloadVerdict> {
  const { report } = await runTriage(
    {
      mitigations,
      context: kube.contextName,
      namespace,
      checks: ['pods', 'events', 'rollouts', 'nodes'],
      sinceMs: 3_600_000,
      urls: [],
      clock,
    },
    triageSources(kube, signal),
  );
  const critical = report.findings.filter(
    (f) => f.severity === 'critical' && (!workload || f.workload?.name === workload),
  );
  const lines = critical.slice(0, 5).map((f) => `critical: ${f.title}`);
  // What to do next, knowing what this incident already did (never the revision it moved away from).
  const next = critical.find((f) => f.suggestion)?.suggestion?.command;
  if (next) lines.push(`next: ${next}`);
  if (!signals) return { healthy: critical.length === 0, lines, report: verificationReport(report, undefined) };
  // What users see, once the objects look right: the error rate and latency since the mitigation.
  const { verifyWorkloadSignals } = await import('./verify-signals.js');
  const measured = await verifyWorkloadSignals(kube, clock, signal, { namespace, workload }, signals);
  return {
    healthy: critical.length === 0 && measured.healthy,
    lines: [...lines, ...measured.lines],
    report: verificationReport(report, measured.after),
  };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { type KubeClient, type KubeGlobals, openKube } from '../kube/index.js';
import { fetchSnapshot } from '../kube/snapshot.js';
import { readCommits } from './adapters/git-commits.js';
import { probeUrl } from './adapters/http-probe.js';
import { clusterCheck } from './checks/registry.js';
import { runTriage, type TriageProgress, type TriageResult } from './run-triage.js';
import type { CheckName } from './types.js';

export interface TriageSessionInput {
  globals: KubeGlobals & { allNamespaces: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  clock: Clock;
  signal: AbortSignal;
  checks: readonly CheckName[];
  sinceMs: number;
  urls: readonly string[];
  /** --repo; else the current folder when it is a git repository. */
  repo?: string;
  probeTimeoutMs?: number;
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
    ? await openKube({ globals: input.globals, env: input.env, clock: input.clock, signal: input.signal })
    : undefined;
  const namespace = input.globals.allNamespaces ? undefined : (kube?.namespace ?? input.globals.namespace);
  const repo = input.repo ?? (existsSync(join(input.cwd, '.git')) ? input.cwd : undefined);
  return {
    kube,
    namespace,
    run: (progress) =>
      runTriage(
        {
          context: kube?.contextName ?? input.globals.context ?? '(none)',
          namespace,
          checks: input.checks,
          sinceMs: input.sinceMs,
          urls: input.urls,
          repo,
          contextFlag: input.globals.context,
          clock: input.clock,
        },
        {
          fetchSnapshot: kube ? (options) => fetchSnapshot(kube, options) : undefined,
          probe: (url) => probeUrl(url, { timeoutMs: input.probeTimeoutMs, signal: input.signal }),
          commits: (path) => readCommits(path, { signal: input.signal }),
        },
        progress,
      ),
    close: () => kube?.close(),
  };
}

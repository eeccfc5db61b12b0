import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { type KubeClient, type KubeGlobals, openKube } from '../kube/index.js';
import { fetchSnapshot } from '../kube/snapshot.js';
import { readCommits } from './adapters/git-commits.js';
import { probeUrl } from './adapters/http-probe.js';
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
  readonly kube: KubeClient;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
  run(progress: TriageProgress): Promise<TriageResult>;
  close(): void;
}

/** Opens the cluster (a bad kubeconfig or context throws KubeconfigError) and wires triage's sources. */
export async function openTriageSession(input: TriageSessionInput): Promise<TriageSession> {
  const kube = await openKube({ globals: input.globals, env: input.env, clock: input.clock, signal: input.signal });
  const namespace = input.globals.allNamespaces ? undefined : kube.namespace;
  const repo = input.repo ?? (existsSync(join(input.cwd, '.git')) ? input.cwd : undefined);
  return {
    kube,
    namespace,
    run: (progress) =>
      runTriage(
        {
          context: kube.contextName,
          namespace,
          checks: input.checks,
          sinceMs: input.sinceMs,
          urls: input.urls,
          repo,
          contextFlag: input.globals.context,
          clock: input.clock,
        },
        {
          fetchSnapshot: (options) => fetchSnapshot(kube, options),
          probe: (url) => probeUrl(url, { timeoutMs: input.probeTimeoutMs, signal: input.signal }),
          commits: (path) => readCommits(path, { signal: input.signal }),
        },
        progress,
      ),
    close: () => kube.close(),
  };
}

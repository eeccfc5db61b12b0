import { shellQuote } from '../../cluster-flags.js';
import { parseDuration } from '../../duration.js';
import { IncError } from '../../errors.js';
import type { ActingAs } from '../../incident/acting-as.js';
import type { ProcessRunner } from '../action-types.js';

/** One entry of `helm history -o json` (ascending by revision). */
export interface HelmRevision {
  revision: number;
  updated: string;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

/** How to reach helm and the cluster: the binary (INC_HELM or PATH), how to run it, and the kube flags to pass. */
export interface HelmTarget {
  helm: string;
  run: ProcessRunner;
  kubeContext?: string;
  kubeconfig?: string;
  /** Whom helm's requests act as (--kube-as-user, --kube-as-group), as inc's own do. */
  actingAs?: ActingAs;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export function helmBinary(env: NodeJS.ProcessEnv): string {
  return env.INC_HELM || 'helm';
}

export class ProcessStartError extends IncError {
  constructor(file: string, code: string, hint: string) {
    super(`cannot run ${file}: ${code === 'ENOENT' ? 'not found' : code}`, { code: 'PROCESS_START', hint });
  }
}

export class HelmError extends IncError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'HELM', hint });
  }
}

/** helm's flags for the cluster and identity; `--namespace` first when one is given. */
function kubeArgs(target: Pick<HelmTarget, 'kubeContext' | 'kubeconfig' | 'actingAs'>, namespace?: string): string[] {
  const args = namespace === undefined ? [] : ['--namespace', namespace];
  if (target.kubeContext) args.push('--kube-context', target.kubeContext);
  if (target.kubeconfig) args.push('--kubeconfig', target.kubeconfig);
  if (target.actingAs) {
    args.push('--kube-as-user', target.actingAs.user);
    for (const group of target.actingAs.groups) args.push('--kube-as-group', group);
  }
  return args;
}

/** helm's flags for the run's cluster and identity, as a command line to paste (` --kube-context eu-west`). */
export function helmFlagsText(target: Pick<HelmTarget, 'kubeContext' | 'kubeconfig' | 'actingAs'>): string {
  return kubeArgs(target)
    .map((word) => ` ${shellQuote(word)}`)
    .join('');
}

async function helm(target: HelmTarget, args: string[], timeoutMs: number): ReturnType<ProcessRunner> {
  const result = await target.run(target.helm, args, { timeoutMs, signal: target.signal, env: target.env });
  if (result.startError) {
    throw new ProcessStartError(
      target.helm,
      result.startError,
      'install helm (https://helm.sh/docs/intro/install/) or point INC_HELM at the binary',
    );
  }
  return result;
}

/** helm's own error line ("Error: release: not found"), else the last line of stderr. */
export function helmErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => l.startsWith('Error:')) ?? lines.at(-1) ?? 'helm failed without a message';
}

/** `helm history REL -o json`: parsed, ascending by revision. Success is judged by the exit code. */
export async function helmHistory(target: HelmTarget, namespace: string, release: string): Promise<HelmRevision[]> {
  const result = await helm(
    target,
    ['history', release, '--output', 'json', '--max', '256', ...kubeArgs(target, namespace)],
    60_000,
  );
  if (result.exitCode !== 0) throw new HelmError(`helm history ${release} failed: ${helmErrorLine(result.stderr)}`);
  try {
    const entries = JSON.parse(result.stdout) as HelmRevision[];
    return [...entries].sort((a, b) => a.revision - b.revision);
  } catch {
    throw new HelmError(`helm history ${release} printed something that is not JSON`);
  }
}

const IMAGE_LINE = /^\s*(?:-\s+)?image:\s*["']?([^"'\s#]+)/;

/**
 * The container images a revision's manifest names (`helm get manifest REL --revision N`), in order,
 * each once; undefined when helm cannot say. A chart's values may hold secrets: only images are read.
 */
export async function helmRevisionImages(
  target: HelmTarget,
  namespace: string,
  release: string,
  revision: number,
): Promise<string[] | undefined> {
  const args = ['get', 'manifest', release, '--revision', String(revision), ...kubeArgs(target, namespace)];
  const result = await helm(target, args, 60_000);
  if (result.exitCode !== 0) return undefined;
  const images = result.stdout.split('\n').flatMap((line) => IMAGE_LINE.exec(line)?.[1] ?? []);
  return [...new Set(images)];
}

export interface HelmRollbackPlan {
  release: string;
  namespace: string;
  current: HelmRevision;
  target: HelmRevision;
  history: HelmRevision[];
  /** The revisions between the target and the current one passed over because they failed. */
  skipped: HelmRevision[];
}

/** A revision helm recorded as failed (or never finished) is no place to roll back to. */
export function failedRevision(r: HelmRevision): boolean {
  return r.status === 'failed' || r.status.startsWith('pending-');
}

/** The newest revision before the current one that did not fail, and those passed over to reach it. */
function previousGood(release: string, history: HelmRevision[], current: HelmRevision) {
  const earlier = history.filter((h) => h.revision < current.revision);
  if (earlier.length === 0) {
    throw new HelmError(`release ${release} has only revision ${current.revision}: there is nothing to roll back to`);
  }
  const target = earlier.findLast((h) => !failedRevision(h));
  if (!target) {
    throw new HelmError(
      `every earlier revision of release ${release} failed (${earlier.map((h) => `${h.revision} ${h.status}`).join(', ')}): there is no good one to roll back to`,
      'choose one with --set revision=N if you know it works (helm history shows them)',
    );
  }
  return { target, skipped: earlier.filter((h) => h.revision > target.revision) };
}

/**
 * A release left pending-…: helm runs on it, or a stopped helm left it locked. helm's way out of the
 * lock is a rollback to a named revision (an upgrade is refused): the error names the newest earlier one that did not fail.
 */
function pendingError(namespace: string, release: string, history: HelmRevision[], current: HelmRevision): HelmError {
  const good = history.findLast((h) => h.revision < current.revision && !failedRevision(h));
  const command = good
    ? `inc run helm-rollback --set namespace=${namespace} --set release=${release} --set revision=${good.revision}`
    : undefined;
  return new HelmError(
    `release ${release} is ${current.status} (revision ${current.revision}): another helm operation is in progress, or one was stopped and left it locked`,
    command
      ? `wait for it; once no helm command runs on it, roll back to the newest earlier revision that did not fail, ${good?.revision} (${good?.chart}): ${command}`
      : 'wait for it, or look at helm history before acting',
  );
}

/**
 * Plans `helm rollback REL REV`: the current release is the highest revision in any status; a pending
 * release blocks unless the revision is named. Without a revision it is the newest earlier one that
 * did not fail: helm's own default (current−1) would put back a release helm recorded as failed.
 */
export async function planHelmRollback(
  target: HelmTarget,
  namespace: string,
  release: string,
  revision?: number,
): Promise<HelmRollbackPlan> {
  const history = await helmHistory(target, namespace, release);
  const current = history.at(-1);
  if (!current) throw new HelmError('release: not found');
  const named = revision !== undefined && revision > 0;
  if (current.status.startsWith('pending-') && !named) throw pendingError(namespace, release, history, current);
  if (!named) return { release, namespace, current, history, ...previousGood(release, history, current) };
  const found = history.find((h) => h.revision === revision);
  if (!found)
    throw new HelmError(
      `release has no ${revision} version`,
      `revisions: ${history.map((h) => h.revision).join(', ')}`,
    );
  return { release, namespace, current, target: found, history, skipped: [] };
}

/** `helm rollback REL REV --wait --timeout T` (optionally --dry-run); helm's Error: line on failure. */
export async function runHelmRollback(
  target: HelmTarget,
  plan: Pick<HelmRollbackPlan, 'release' | 'namespace'> & { revision: number },
  options: { timeout: string; dryRun: boolean },
): Promise<string> {
  const timeoutMs = parseDuration(options.timeout, 'timeout');
  const args = [
    'rollback',
    plan.release,
    String(plan.revision),
    '--wait',
    '--timeout',
    options.timeout,
    ...kubeArgs(target, plan.namespace),
  ];
  if (options.dryRun) args.push('--dry-run');
  const result = await helm(target, args, timeoutMs + 30_000);
  if (result.exitCode !== 0) {
    throw new HelmError(
      `helm rollback ${plan.release} ${plan.revision} failed: ${result.timedOut ? 'timed out' : target.signal?.aborted ? 'stopped (Ctrl-C)' : helmErrorLine(result.stderr)}`,
      `see: helm history ${plan.release} --namespace ${plan.namespace}`,
    );
  }
  return result.stdout.trim() || 'Rollback was a success! Happy Helming!';
}

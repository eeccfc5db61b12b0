import { clusterFlagsText, shellQuote } from '../../cluster-flags.js';
import type { ActionContext, MutatingAction, ReadAction } from '../action-types.js';
import { diffViews } from '../diff.js';
import { ChangeMadeError } from '../errors.js';
import {
  failedRevision,
  type HelmRevision,
  type HelmTarget,
  helmBinary,
  helmFlagsText,
  helmHistory,
  helmRevisionImages,
  planHelmRollback,
  runHelmRollback,
} from '../k8s/helm.js';

async function targetOf(ctx: ActionContext): Promise<HelmTarget> {
  const cluster = await ctx.cluster();
  return {
    helm: helmBinary(ctx.env),
    run: ctx.runProcess,
    kubeContext: cluster.context,
    kubeconfig: ctx.kubeconfigPath,
    actingAs: cluster.actingAs,
    // helm reads KUBECONFIG and its own HELM_* settings from the environment inc was given.
    env: ctx.env,
    signal: ctx.signal,
  };
}

export const helmHistoryAction: ReadAction<'helm.history'> = {
  name: 'helm.history',
  description: 'show the Helm release history (helm history -o json)',
  mutating: false,
  async run(ctx, w) {
    return historyTable(await helmHistory(await targetOf(ctx), w.namespace, w.release));
  },
};

/** helm history as a table, one row per revision. */
export function historyTable(entries: readonly HelmRevision[]): string[] {
  return [
    'REVISION  STATUS       CHART                 APP VERSION  DESCRIPTION',
    ...entries.map(
      (e) =>
        // One row per revision: a failed upgrade's description holds a newline (`…\ncontext deadline exceeded`).
        `${String(e.revision).padEnd(8)}  ${e.status.padEnd(11)}  ${e.chart.padEnd(20)}  ${(e.app_version || '').padEnd(11)}  ${e.description.replace(/\s*\n\s*/g, ' ⏎ ')}`,
    ),
  ];
}

/**
 * A rollback that failed (timed out waiting, or was stopped) may have written a new revision already:
 * helm history says. Then the change stands, and the error says what it left, and how to go on when
 * helm left the release locked (`pending-rollback`). Otherwise the error as it was.
 */
async function revisionLeftBehind(
  ctx: ActionContext,
  plan: { before?: Record<string, unknown> },
  w: { namespace: string; release: string },
  error: unknown,
): Promise<unknown> {
  const planned = (plan.before?.release as { revision?: number } | undefined)?.revision;
  // Read even when the run was stopped: what the cluster holds now is the point.
  const target = { ...(await targetOf(ctx)), signal: new AbortController().signal };
  const last = await helmHistory(target, w.namespace, w.release)
    .then((history) => history.at(-1))
    .catch(() => undefined);
  if (!last || planned === undefined || last.revision <= planned) return error;
  const why = error instanceof Error ? error.message : String(error);
  const pending = last.status.startsWith('pending-');
  // Pasted, each command acts on the run's cluster as the run's identity, never the current context.
  const kubectlFlags = `${clusterFlagsText({ context: target.kubeContext, as: target.actingAs?.user, asGroups: target.actingAs?.groups })}${target.kubeconfig ? ` --kubeconfig ${shellQuote(target.kubeconfig)}` : ''}`;
  const hint = pending
    ? `helm refuses every operation on a release left ${last.status}: once no helm command runs on it, delete that revision's record (kubectl delete secret sh.helm.release.v1.${w.release}.v${last.revision} -n ${w.namespace}${kubectlFlags}), then inc undo`
    : `inc undo rolls the release forward again to revision ${planned}; helm history ${w.release} -n ${w.namespace}${helmFlagsText(target)} shows it`;
  return new ChangeMadeError(
    why,
    `the release changed all the same: ${w.namespace}/${w.release} is now at revision ${last.revision} (${last.status}, ${last.chart})`,
    { release: { revision: last.revision, status: last.status, chart: last.chart, app_version: last.app_version } },
    { hint, cause: error },
  );
}

/** The failed revisions the default target passed over, said in the summary. */
function skippedText(skipped: readonly HelmRevision[]): string {
  if (skipped.length === 0) return '';
  const list = skipped.map((r) => `${r.revision} ${r.status}`).join(', ');
  return `, the newest earlier revision that did not fail (skipped: ${list})`;
}

export const helmRollback: MutatingAction<'helm.rollback'> = {
  name: 'helm.rollback',
  description: 'roll a Helm release back to the previous (or a given) revision with the real helm (--wait --timeout)',
  mutating: true,
  defaultTimeout: '5m',
  async plan(ctx, w) {
    const target = await targetOf(ctx);
    const plan = await planHelmRollback(target, w.namespace, w.release, w.revision);
    const timeout = w.timeout ?? '5m';
    // helm's own --dry-run validates the rollback against the cluster without changing the release.
    await runHelmRollback(
      target,
      { release: w.release, namespace: w.namespace, revision: plan.target.revision },
      { timeout, dryRun: true },
    );
    const [currentImages, targetImages] = await Promise.all(
      [plan.current, plan.target].map((r) => helmRevisionImages(target, w.namespace, w.release, r.revision)),
    );
    // The images say what a rollback between two revisions of one chart version changes.
    const view = (r: typeof plan.current, images: string[] | undefined) => ({
      revision: r.revision,
      status: r.status,
      chart: r.chart,
      app_version: r.app_version,
      ...(images && images.length > 0 ? { images } : {}),
    });
    const before = { release: view(plan.current, currentImages) };
    const warnings = [
      ...(failedRevision(plan.target)
        ? [
            `helm history records revision ${plan.target.revision} as ${plan.target.status}: rolling back to it may fail again`,
          ]
        : []),
      ...(plan.current.status.startsWith('pending-')
        ? [
            `release ${w.release} is ${plan.current.status}: go ahead only if no helm command runs on it (a stopped one left it locked)`,
          ]
        : []),
    ];
    const after = {
      release: { ...view(plan.target, targetImages), revision: plan.current.revision + 1, status: 'deployed' },
    };
    return {
      action: 'helm.rollback',
      summary: `roll back Helm release ${w.namespace}/${w.release} from revision ${plan.current.revision} (${plan.current.chart}) to revision ${plan.target.revision} (${plan.target.chart})${skippedText(plan.skipped)}`,
      target: { kind: 'HelmRelease', namespace: w.namespace, name: w.release },
      namespace: w.namespace,
      before,
      after,
      diff: diffViews(before, after),
      dryRun: 'passed',
      ...(warnings.length > 0 ? { warnings } : {}),
      detail: { revision: plan.target.revision, timeout },
      inverse: {
        action: 'helm.rollback',
        with: { namespace: w.namespace, release: w.release, revision: plan.current.revision },
        summary: `roll ${w.release} forward to revision ${plan.current.revision}`,
      },
    };
  },
  async apply(ctx, plan, w) {
    const revision = Number(plan.detail?.revision);
    const timeout = String(plan.detail?.timeout ?? '5m');
    const progress = ctx.progress(`helm rollback ${w.release} ${revision} --wait --timeout ${timeout}`);
    try {
      const message = await runHelmRollback(
        await targetOf(ctx),
        { release: w.release, namespace: w.namespace, revision },
        { timeout, dryRun: false },
      );
      progress.succeed(message);
      const history = await helmHistory(await targetOf(ctx), w.namespace, w.release);
      const last = history.at(-1);
      return {
        message,
        after: last
          ? {
              release: {
                revision: last.revision,
                status: last.status,
                chart: last.chart,
                app_version: last.app_version,
              },
            }
          : undefined,
      };
    } catch (error) {
      progress.fail(error instanceof Error ? error.message : String(error));
      throw await revisionLeftBehind(ctx, plan, w, error);
    }
  },
  async verify(ctx, _plan, w) {
    const last = (await helmHistory(await targetOf(ctx), w.namespace, w.release)).at(-1);
    if (last?.status !== 'deployed')
      throw new Error(`release ${w.release} is ${last?.status ?? 'missing'} after the rollback`);
    return `release ${w.namespace}/${w.release} revision ${last.revision} is deployed (${last.description})`;
  },
};

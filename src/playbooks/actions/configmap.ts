import { IncError } from '../../errors.js';
import type { RawObject } from '../../kube/access.js';
import type { MutatingAction } from '../action-types.js';
import { bindAction } from '../bind-action.js';
import { StepRefusedError } from '../errors.js';
import { listConfigMapReaders } from '../k8s/config-readers.js';
import { configMapPath, planConfigMapRestore, readConfigMapFromGit } from '../k8s/configmap-restore.js';
import { gitFileSource } from '../k8s/git-manifest.js';
import { readIfExists } from '../k8s/read-if-exists.js';
import { applyMutation, dryRunMutation } from './kube-mutation.js';
import { rolloutRestart } from './rollout.js';

export const configMapRestore: MutatingAction<'configmap.restore'> = {
  name: 'configmap.restore',
  description:
    "put a ConfigMap's data back as a git revision holds it (git show REVISION:FILE), with a resourceVersion precondition",
  mutating: true,
  async plan(ctx, w) {
    const ref = { namespace: w.namespace, name: w.configmap };
    const current = await readIfExists<RawObject>(await ctx.kube(), configMapPath(ref));
    if (!current) throw new StepRefusedError(`configmap ${ref.namespace}/${ref.name} does not exist`);
    if (w.data) {
      const target = { data: w.data, ...(w.binaryData ? { binaryData: w.binaryData } : {}) };
      return dryRunMutation(ctx, 'configmap.restore', planConfigMapRestore(ref, current, target, 'the recorded data'));
    }
    const source = gitFileSource({ ...w, file: w.file as string }, ctx.signal);
    const target = await readConfigMapFromGit(ctx.runProcess, source, ref);
    return dryRunMutation(ctx, 'configmap.restore', planConfigMapRestore(ref, current, target, source.describe));
  },
  apply: (ctx, plan) => applyMutation(ctx, plan),
};

/**
 * Restarts every workload that reads the ConfigMap, one change each (its own confirmation, record
 * and rollout verification): the engine expands this step into `rollout.restart` steps.
 */
export const configMapRestartReaders: MutatingAction<'configmap.restart-readers'> = {
  name: 'configmap.restart-readers',
  description: 'restart each workload whose pods read the ConfigMap (one rollout.restart per workload)',
  mutating: true,
  defaultTimeout: '5m',
  async expand(ctx, w) {
    const readers = await listConfigMapReaders(await ctx.kube(), w.namespace, w.configmap);
    return readers.map((ref) => {
      const kind = ref.kind.toLowerCase() as 'deployment' | 'statefulset' | 'daemonset';
      const w = { namespace: ref.namespace, deployment: ref.name, kind };
      return { action: 'rollout.restart' as const, with: w, bound: bindAction(rolloutRestart, w) };
    });
  },
  plan() {
    throw new IncError('configmap.restart-readers is expanded into rollout.restart steps; it has no plan of its own');
  },
  apply() {
    throw new IncError('configmap.restart-readers is expanded into rollout.restart steps; it applies nothing itself');
  },
};

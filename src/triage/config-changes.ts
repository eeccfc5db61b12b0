import { type ConfigRef, configRefsOf } from '../pod-config-refs.js';
import type { ConfigObject, Workload } from './k8s.js';
import type { Snapshot } from './snapshot.js';
import { formatClock, toMs } from './time.js';
import type { ObjectRef } from './types.js';

/** A ConfigMap or Secret changed in the window, with the workloads whose pods read it. */
export interface ConfigChange {
  config: ObjectRef;
  atMs: number;
  /** The field manager of the change (kubectl-client-side-apply, kubectl-edit, helm, argocd-controller…). */
  manager?: string;
  created: boolean;
  /** The workloads whose pod template references it (env valueFrom, envFrom, volumes, projected volumes). */
  referencedBy: ObjectRef[];
}

type ConfigKind = ConfigRef['kind'];

/** Where a git repository keeps a ConfigMap's manifest: what `configmap-rollback` reads. */
export interface ConfigManifest {
  namespace: string;
  name: string;
  repo: string;
  file: string;
}

/** When a config object last changed: its newest managedFields time, else its creation. */
function changedAt(object: ConfigObject): { atMs: number; manager?: string } | undefined {
  const created = toMs(object.metadata.creationTimestamp);
  let newest: { atMs: number; manager?: string } | undefined = created === undefined ? undefined : { atMs: created };
  for (const entry of object.metadata.managedFields ?? []) {
    const at = toMs(entry.time);
    if (at !== undefined && (!newest || at >= newest.atMs)) newest = { atMs: at, manager: entry.manager };
  }
  return newest;
}

/** ConfigMaps and Secrets changed since `from` that some workload reads; the others cannot explain a failure. */
export function listConfigChanges(snapshot: Snapshot, from: number): ConfigChange[] {
  const workloads: [string, Workload][] = [
    ...snapshot.deployments.map((w): [string, Workload] => ['Deployment', w]),
    ...snapshot.statefulsets.map((w): [string, Workload] => ['StatefulSet', w]),
    ...snapshot.daemonsets.map((w): [string, Workload] => ['DaemonSet', w]),
  ];
  const readers = new Map<string, ObjectRef[]>();
  for (const [kind, workload] of workloads) {
    const namespace = workload.metadata.namespace;
    for (const ref of configRefsOf(workload.spec?.template)) {
      const key = `${ref.kind}/${namespace}/${ref.name}`;
      const list = readers.get(key) ?? [];
      list.push({ kind, namespace, name: workload.metadata.name });
      readers.set(key, list);
    }
  }
  const changes: ConfigChange[] = [];
  const objects: [ConfigKind, ConfigObject[]][] = [
    ['ConfigMap', snapshot.configMaps],
    ['Secret', snapshot.secrets],
  ];
  for (const [kind, list] of objects) {
    for (const object of list) {
      const { name, namespace } = object.metadata;
      const referencedBy = readers.get(`${kind}/${namespace}/${name}`);
      const changed = changedAt(object);
      if (!referencedBy || !changed || changed.atMs < from) continue;
      const created = toMs(object.metadata.creationTimestamp);
      changes.push({
        config: { kind, namespace, name },
        atMs: changed.atMs,
        manager: changed.manager,
        created: created !== undefined && changed.atMs - created < 1000,
        referencedBy,
      });
    }
  }
  return changes;
}

/** "changed (by kubectl-client-side-apply)": the suspect's change, shown after the ConfigMap's name. */
export function describeConfigChange(change: { created: boolean; manager?: string }): string {
  return `${change.created ? 'created' : 'changed'}${change.manager ? ` (by ${change.manager})` : ''}`;
}

/** "configmap shop/checkout-config changed at 14:02 (by kubectl-client-side-apply)". */
export function configChangePhrase(change: { workload: ObjectRef; description: string; atMs: number }): string {
  const [verb, ...rest] = change.description.split(' ');
  const what = `${change.workload.kind.toLowerCase()} ${change.workload.namespace}/${change.workload.name}`;
  return [what, verb, `at ${formatClock(change.atMs)}`, ...rest].join(' ');
}

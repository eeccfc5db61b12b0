import type { Workload } from './k8s.js';

/** The first container whose image differs between two templates: [before, after]. */
export function imageChange(previous: Workload, current: Workload): [string | undefined, string | undefined] {
  const before = previous.spec?.template?.spec?.containers ?? [];
  const after = current.spec?.template?.spec?.containers ?? [];
  for (const container of after) {
    const old = before.find((c) => c.name === container.name);
    if (old && old.image !== container.image) return [old.image, container.image];
  }
  return [undefined, undefined];
}

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The two ReplicaSets' templates differ only in the restartedAt annotation (and their hash label). */
export function isRestart(from: Workload, to: Workload): boolean {
  const restartedAt = (w: Workload) => w.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  if (restartedAt(to) === undefined || restartedAt(to) === restartedAt(from)) return false;
  return templateKey(from) === templateKey(to);
}

function templateKey(workload: Workload): string {
  const template = structuredClone(workload.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  delete annotations[RESTARTED_AT];
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return JSON.stringify(sorted({ ...template, metadata: { ...template.metadata, labels, annotations } }));
}

/** What a rollout describes itself by: its revision, its image change, or a restart. */
export interface RolloutFacts {
  revision: number;
  restart: boolean;
  imageFrom?: string;
  imageTo?: string;
}

/** "rollout to revision 4 (image api:2.3.1, was api:2.3.0)", or a restart said as one. */
export function describeRollout(rollout: RolloutFacts): string {
  if (rollout.restart)
    return `restart (kubectl rollout restart) to revision ${rollout.revision}: same images and settings`;
  const image = rollout.imageTo
    ? ` (image ${rollout.imageTo}${rollout.imageFrom ? `, was ${rollout.imageFrom}` : ''})`
    : ' (pod template changed, same images)';
  return `rollout to revision ${rollout.revision}${image}`;
}

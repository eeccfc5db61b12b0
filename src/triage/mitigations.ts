import type { ActionData, IncidentEvent } from '../incident/event.js';
import type { Workload } from './k8s.js';
import type { ObjectRef } from './types.js';

/** A change inc itself applied in the current incident, and did not undo: a mitigation, never a suspect. */
export interface Mitigation {
  actionId: string;
  action: string;
  /** "roll back deployment payments/api from revision 2 to revision 1". */
  summary: string;
  target: ObjectRef;
  /** When it was applied (ms); absent for a mitigation built without its event. */
  atMs?: number;
  /** The fields before and after, as recorded (`spec.template`, `spec.replicas`, …). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * The incident's applied actions that are still in force: not dry runs, not undone, not undos
 * themselves (an undo puts back what was there, which the log already explains). With `context`,
 * only those made there: in an incident across clusters, a rollback in one region says nothing of
 * the same deployment in another.
 */
export function activeMitigations(events: readonly IncidentEvent[], context?: string): Mitigation[] {
  const actions = events
    .filter((event) => event.type === 'action')
    .map((event) => ({ ...(event.data as ActionData), atMs: Date.parse(event.at) }));
  const undone = new Set<string>();
  for (const data of actions) {
    if (data.phase === 'undone') undone.add(data.actionId);
    if (data.undoes && (data.phase === 'applied' || data.phase === 'verified')) undone.add(data.undoes);
  }
  const seen = new Set<string>();
  const mitigations: Mitigation[] = [];
  for (const data of actions) {
    if (data.phase !== 'applied' || data.dryRun || data.undoes) continue;
    if (context !== undefined && data.context && data.context !== context) continue;
    if (undone.has(data.actionId) || seen.has(data.actionId)) continue;
    seen.add(data.actionId);
    mitigations.push({
      actionId: data.actionId,
      action: data.action,
      summary: data.summary,
      target: data.target,
      ...(Number.isFinite(data.atMs) ? { atMs: data.atMs } : {}),
      before: asRecord(data.before),
      after: asRecord(data.after),
    });
  }
  return mitigations;
}

/** The mitigation whose result a ReplicaSet's pod template is (compared as the snapshot keeps it). */
export function mitigationOfReplicaSet(
  deployment: ObjectRef,
  replicaSet: Workload,
  mitigations: readonly Mitigation[],
): Mitigation | undefined {
  const template = (replicaSet.spec as { template?: unknown } | undefined)?.template;
  return [...mitigations].reverse().find((mitigation) => {
    if (!sameRef(mitigation.target, deployment) || !mitigation.after) return false;
    const fields = Object.entries(mitigation.after).filter(([path]) => path.startsWith('spec.template'));
    return (
      fields.length > 0 &&
      fields.every(([path, value]) => sameTemplatePart(read({ spec: { template } }, path), value, path))
    );
  });
}

/** The mitigation that set a workload to this many replicas. */
export function mitigationOfScale(
  workload: ObjectRef,
  replicas: number,
  mitigations: readonly Mitigation[],
): Mitigation | undefined {
  return [...mitigations]
    .reverse()
    .find((mitigation) => sameRef(mitigation.target, workload) && mitigation.after?.['spec.replicas'] === replicas);
}

/** Revisions a rollback of this incident moved away from: they were current when inc rolled back. */
export function revisionsRolledAwayFrom(deployment: ObjectRef, mitigations: readonly Mitigation[]): number[] {
  const revisions: number[] = [];
  for (const mitigation of mitigations) {
    if (mitigation.action !== 'rollout.undo' || !sameRef(mitigation.target, deployment)) continue;
    const annotations = mitigation.before?.['metadata.annotations'] as Record<string, string> | undefined;
    const revision = Number(annotations?.[REVISION]);
    if (Number.isInteger(revision) && revision > 0) revisions.push(revision);
  }
  return revisions;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function read(object: unknown, path: string): unknown {
  let value = object;
  for (const key of path.split('.')) {
    // Arrays too: a path may index one ("containers.0").
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/**
 * Compares a recorded part of a pod template with a ReplicaSet's by what identifies a version:
 * images and template annotations. The ReplicaSet adds its pod-template-hash label, the snapshot
 * drops env values and the log redacts secrets, so whole templates would not compare.
 */
function sameTemplatePart(current: unknown, recorded: unknown, path: string): boolean {
  return canonical(signature(current, path)) === canonical(signature(recorded, path));
}

interface TemplateLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: unknown; initContainers?: unknown };
}

function signature(value: unknown, path: string): unknown {
  const images = (list: unknown) =>
    Array.isArray(list) ? list.map((c: { name?: string; image?: string }) => ({ name: c.name, image: c.image })) : [];
  if (path === 'spec.template') {
    const template = (value ?? {}) as TemplateLike;
    return {
      annotations: template.metadata?.annotations ?? {},
      containers: images(template.spec?.containers),
      initContainers: images(template.spec?.initContainers),
    };
  }
  if (path.endsWith('containers') || path.endsWith('initContainers')) return images(value);
  if (path.endsWith('annotations')) return value ?? {};
  return value;
}

/** JSON with object keys sorted, so two servers' (or one server's two) key orders compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

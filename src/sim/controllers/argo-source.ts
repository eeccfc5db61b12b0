/**
 * Argo CD's view of an Application's source: the simulated git repository (a ConfigMap of
 * `ref.<name>` → commit and `rev.<sha>` → manifests), whether auto-sync and self-heal are on,
 * how live objects compare with the target revision, and a Deployment's health as Argo CD words it.
 */
import { parseAllDocuments } from 'yaml';
import type { ClusterState, SimObject } from '../cluster-state.js';
import { type Dict, scratch } from './util.js';

export const GIT_CONFIGMAP_ANNOTATION = 'sim.inc.dev/git-configmap';

interface ParsedRepo {
  rv: string | undefined;
  manifests: Map<string, SimObject[]>;
}
const parsedRepos = new WeakMap<ClusterState, Map<string, ParsedRepo>>();

export interface GitRepo {
  resolve(revision: string): string | undefined;
  manifests(sha: string): SimObject[] | undefined;
}

export function loadGitRepo(state: ClusterState, app: SimObject): GitRepo | undefined {
  const name = app.metadata.annotations?.[GIT_CONFIGMAP_ANNOTATION] ?? `${app.metadata.name}-git`;
  const configMap = state.get('ConfigMap', app.metadata.namespace, name);
  if (!configMap) return undefined;
  const data = (configMap.data ?? {}) as Record<string, string>;
  const memory = scratch(parsedRepos, state, () => new Map<string, ParsedRepo>());
  const key = `${app.metadata.namespace}/${name}`;
  let cache = memory.get(key);
  if (!cache || cache.rv !== configMap.metadata.resourceVersion) {
    cache = { rv: configMap.metadata.resourceVersion, manifests: new Map() };
    memory.set(key, cache);
  }
  const parsed = cache.manifests;
  return {
    resolve: (revision) => (data[`rev.${revision}`] !== undefined ? revision : data[`ref.${revision}`]),
    manifests: (sha) => {
      const text = data[`rev.${sha}`];
      if (text === undefined) return undefined;
      if (!parsed.has(sha)) {
        const docs = parseAllDocuments(text).flatMap((doc) => {
          const value = doc.toJS() as unknown;
          return Array.isArray(value) ? value : value ? [value] : [];
        });
        parsed.set(sha, docs as SimObject[]);
      }
      return parsed.get(sha);
    },
  };
}

export function isAutoSyncEnabled(app: SimObject): boolean {
  const automated = ((((app.spec ?? {}) as Dict).syncPolicy ?? {}) as Dict).automated as Dict | null | undefined;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

export function isSelfHeal(app: SimObject): boolean {
  const automated = ((((app.spec ?? {}) as Dict).syncPolicy ?? {}) as Dict).automated as Dict | null | undefined;
  return isAutoSyncEnabled(app) && automated?.selfHeal === true;
}

/** Argo's comparison, simplified: every field the manifest sets must be live as written. */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((item, i) => isSubset(item, live[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object') return false;
    return Object.entries(desired).every(([key, value]) => isSubset(value, (live as Dict)[key]));
  }
  return desired === live || (desired === null && live === undefined);
}

export function liveOf(state: ClusterState, manifest: SimObject, app: SimObject): SimObject | undefined {
  const namespace = manifest.metadata.namespace ?? destinationNamespace(app);
  return state.get(manifest.kind, namespace, manifest.metadata.name);
}

export function destinationNamespace(app: SimObject): string | undefined {
  return ((((app.spec ?? {}) as Dict).destination ?? {}) as Dict).namespace as string | undefined;
}

export function inSync(state: ClusterState, manifest: SimObject, app: SimObject): boolean {
  const live = liveOf(state, manifest, app);
  if (!live) return false;
  const { metadata, status, apiVersion, kind, ...fields } = manifest;
  void metadata;
  void status;
  void apiVersion;
  void kind;
  return isSubset(fields, live);
}

export function deploymentHealth(deployment: SimObject | undefined): { status: string; message?: string } {
  if (!deployment) return { status: 'Missing' };
  const spec = (deployment.spec ?? {}) as Dict;
  const status = (deployment.status ?? {}) as Dict;
  const name = deployment.metadata.name;
  const count = (field: string) => (status[field] as number | undefined) ?? 0;
  if (spec.paused === true) return { status: 'Suspended', message: 'Deployment is paused' };
  if ((deployment.metadata.generation ?? 1) > ((status.observedGeneration as number | undefined) ?? 0)) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
    };
  }
  const progressing = ((status.conditions as Dict[] | undefined) ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: `Deployment "${name}" exceeded its progress deadline` };
  }
  const replicas = (spec.replicas as number | undefined) ?? 1;
  if (count('updatedReplicas') < replicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${count('updatedReplicas')} out of ${replicas} new replicas have been updated...`,
    };
  }
  if (count('replicas') > count('updatedReplicas')) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${count('replicas') - count('updatedReplicas')} old replicas are pending termination...`,
    };
  }
  if (count('availableReplicas') < count('updatedReplicas')) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${count('availableReplicas')} of ${count('updatedReplicas')} updated replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}

export const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded'];

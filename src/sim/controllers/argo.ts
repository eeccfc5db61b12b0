/**
 * Argo CD's application controller, for Applications (argoproj.io/v1alpha1) whose source is a
 * simulated git repository. The repository is a ConfigMap in the Application's namespace, named by
 * the annotation `sim.inc.dev/git-configmap` (default `<app>-git`): keys `ref.<name>` hold the
 * commit a branch or tag points at (`ref.HEAD`, `ref.main`), `rev.<sha>` the YAML manifests of that
 * commit. Like Argo CD it compares the live objects with the target revision (Synced/OutOfSync),
 * reports health, auto-syncs new commits when `spec.syncPolicy.automated` is on, puts drifted
 * objects back after a few seconds with `selfHeal: true`, leaves them alone once automated sync is
 * removed, and runs a requested `operation.sync` (the rollback mechanism): history entry, operation
 * state, `operation` cleared.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import {
  deploymentHealth,
  destinationNamespace,
  type GitRepo,
  HEALTH_ORDER,
  inSync,
  isAutoSyncEnabled,
  isSelfHeal,
  liveOf,
  loadGitRepo,
} from './argo-source.js';
import { recordEvent } from './events.js';
import { clone, type Dict, deepEqual, isDeleting, iso, scratch } from './util.js';

export const SELF_HEAL_MS = 5_000;
const SOURCE = { component: 'argocd-application-controller' };
const TRACKING_LABEL = 'app.kubernetes.io/instance';

interface ArgoMemory {
  /** When each Application was first seen drifted from git, for the self-heal delay. */
  driftSince: Map<string, number>;
}
const memories = new WeakMap<ClusterState, ArgoMemory>();

export const argoController: Controller = {
  name: 'argo',
  reconcile(state) {
    for (const app of state.list('Application')) {
      if (isDeleting(app)) continue;
      syncApplication(state, app);
    }
  },
};

function syncApplication(state: ClusterState, app: SimObject): void {
  const repo = loadGitRepo(state, app);
  const source = clone(((app.spec ?? {}) as Dict).source ?? {}) as Dict;
  const target = String(source.targetRevision ?? 'HEAD');
  const targetSha = repo?.resolve(target);
  const status = clone((app.status ?? {}) as Dict);
  const now = state.now().getTime();
  if (!repo || !targetSha) {
    status.sync = { status: 'Unknown', comparedTo: { source, destination: ((app.spec ?? {}) as Dict).destination } };
    status.conditions = [
      {
        type: 'ComparisonError',
        message: `Failed to load target state: unable to resolve '${target}' to a commit SHA`,
        lastTransitionTime: iso(now),
      },
    ];
    writeApp(state, app, status, app.operation);
    return;
  }
  let operation = app.operation as Dict | undefined | null;
  let current = app;
  const sync = (operation?.sync ?? undefined) as Dict | undefined;
  const memory = scratch(memories, state, (): ArgoMemory => ({ driftSince: new Map() }));
  const uid = app.metadata.uid ?? app.metadata.name;
  if (sync) {
    const revision = repo.resolve(String(sync.revision ?? targetSha)) ?? String(sync.revision);
    current = runSync(
      state,
      app,
      status,
      repo,
      revision,
      (operation?.initiatedBy as Dict | undefined) ?? { username: 'admin' },
      sync.source as Dict | undefined,
    );
    operation = undefined;
    memory.driftSince.delete(uid);
  } else if (isAutoSyncEnabled(app)) {
    const manifests = repo.manifests(targetSha) ?? [];
    const outOfSync = manifests.some((m) => !inSync(state, m, app));
    const lastAttempt = ((((status.operationState ?? {}) as Dict).syncResult ?? {}) as Dict).revision;
    if (outOfSync && lastAttempt !== targetSha) {
      current = runSync(state, app, status, repo, targetSha, { automated: true });
      memory.driftSince.delete(uid);
    } else if (outOfSync && isSelfHeal(app)) {
      const since = memory.driftSince.get(uid) ?? now;
      memory.driftSince.set(uid, since);
      if (now - since >= SELF_HEAL_MS) {
        current = runSync(state, app, status, repo, targetSha, { automated: true });
        memory.driftSince.delete(uid);
      }
    } else {
      memory.driftSince.delete(uid);
    }
  }
  updateStatus(state, current, status, repo, targetSha, source);
  writeApp(state, current, status, operation);
}

function runSync(
  state: ClusterState,
  app: SimObject,
  status: Dict,
  repo: GitRepo,
  revision: string,
  initiatedBy: Dict,
  operationSource?: Dict,
): SimObject {
  const started = iso(state.now());
  const manifests = repo.manifests(revision) ?? [];
  const message = initiatedBy.automated
    ? `Initiated automated sync to '${revision}'`
    : `Initiated sync to '${revision}'`;
  recordEvent(state, app, 'Normal', 'OperationStarted', message, SOURCE);
  const results: Dict[] = [];
  for (const manifest of manifests) results.push(applyManifest(state, app, manifest));
  const source = {
    ...clone(((app.spec ?? {}) as Dict).source as Dict),
    ...(operationSource ?? {}),
    targetRevision: revision,
  };
  const operation = { sync: { revision, syncStrategy: { hook: {} } }, initiatedBy, retry: {} };
  status.operationState = {
    operation,
    phase: 'Succeeded',
    message: 'successfully synced (all tasks run)',
    startedAt: started,
    finishedAt: started,
    syncResult: { revision, source, resources: results },
  };
  const history = [...((status.history as Dict[] | undefined) ?? [])];
  const nextId = history.length > 0 ? ((history[history.length - 1]!.id as number) ?? 0) + 1 : 0;
  history.push({ id: nextId, revision, deployedAt: started, deployStartedAt: started, source, initiatedBy });
  const limit = (((app.spec ?? {}) as Dict).revisionHistoryLimit as number | undefined) ?? 10;
  status.history = history.slice(-limit);
  recordEvent(state, app, 'Normal', 'OperationCompleted', `Sync operation to ${revision} succeeded`, SOURCE);
  return state.get('Application', app.metadata.namespace, app.metadata.name) ?? app;
}

function applyManifest(state: ClusterState, app: SimObject, manifest: SimObject): Dict {
  const namespace = manifest.metadata.namespace ?? destinationNamespace(app);
  const desired = clone(manifest);
  desired.metadata = {
    ...desired.metadata,
    namespace,
    labels: { ...(desired.metadata.labels ?? {}), [TRACKING_LABEL]: app.metadata.name },
  };
  const live = state.get(manifest.kind, namespace, manifest.metadata.name);
  const result = {
    group: manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '',
    version: manifest.apiVersion.split('/').at(-1),
    kind: manifest.kind,
    namespace,
    name: manifest.metadata.name,
    status: 'Synced',
  };
  if (!live) {
    state.create(desired);
    return { ...result, message: `${manifest.kind.toLowerCase()}/${manifest.metadata.name} created` };
  }
  const next = clone(live);
  for (const [key, value] of Object.entries(desired)) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    next[key] = key === 'spec' ? { ...((live.spec ?? {}) as Dict), ...(value as Dict) } : value;
  }
  next.metadata.labels = { ...(live.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) };
  if (desired.metadata.annotations)
    next.metadata.annotations = { ...(live.metadata.annotations ?? {}), ...desired.metadata.annotations };
  if (deepEqual(next, live))
    return { ...result, message: `${manifest.kind.toLowerCase()}/${manifest.metadata.name} unchanged` };
  state.update(next);
  return { ...result, message: `${manifest.kind.toLowerCase()}/${manifest.metadata.name} configured` };
}

function updateStatus(
  state: ClusterState,
  app: SimObject,
  status: Dict,
  repo: GitRepo,
  targetSha: string,
  source: Dict,
): void {
  const manifests = repo.manifests(targetSha) ?? [];
  const resources = manifests.map((manifest) => {
    const live = liveOf(state, manifest, app);
    const entry: Dict = {
      group: manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : undefined,
      version: manifest.apiVersion.split('/').at(-1),
      kind: manifest.kind,
      namespace: manifest.metadata.namespace ?? destinationNamespace(app),
      name: manifest.metadata.name,
      status: inSync(state, manifest, app) ? 'Synced' : 'OutOfSync',
    };
    if (manifest.kind === 'Deployment') entry.health = deploymentHealth(live);
    else if (live) entry.health = { status: 'Healthy' };
    if (entry.group === undefined) delete entry.group;
    return entry;
  });
  const syncStatus = resources.every((r) => r.status === 'Synced') ? 'Synced' : 'OutOfSync';
  const health = resources
    .map((r) => String(((r.health ?? { status: 'Healthy' }) as Dict).status))
    .reduce((worst, next) => (HEALTH_ORDER.indexOf(next) > HEALTH_ORDER.indexOf(worst) ? next : worst), 'Healthy');
  const previousSync = ((status.sync ?? {}) as Dict).status;
  const previousHealth = ((status.health ?? {}) as Dict).status;
  status.sync = {
    status: syncStatus,
    revision: targetSha,
    comparedTo: { source, destination: ((app.spec ?? {}) as Dict).destination },
  };
  status.health = previousHealth === health ? status.health : { status: health, lastTransitionTime: iso(state.now()) };
  status.resources = resources;
  status.summary = { images: imagesOf(state, manifests, app) };
  status.sourceType = 'Directory';
  status.controllerNamespace = app.metadata.namespace;
  delete status.conditions;
  if (previousSync && previousSync !== syncStatus) {
    recordEvent(
      state,
      app,
      'Normal',
      'ResourceUpdated',
      `Updated sync status: ${previousSync} -> ${syncStatus}`,
      SOURCE,
    );
  }
  if (previousHealth && previousHealth !== health) {
    recordEvent(
      state,
      app,
      'Normal',
      'ResourceUpdated',
      `Updated health status: ${previousHealth} -> ${health}`,
      SOURCE,
    );
  }
}

function imagesOf(state: ClusterState, manifests: SimObject[], app: SimObject): string[] {
  const images = new Set<string>();
  for (const manifest of manifests) {
    const live = liveOf(state, manifest, app);
    const containers = (((((live?.spec ?? {}) as Dict).template ?? {}) as Dict).spec as Dict | undefined)?.containers as
      | Dict[]
      | undefined;
    for (const container of containers ?? []) images.add(String(container.image));
  }
  return [...images].sort();
}

function writeApp(state: ClusterState, app: SimObject, status: Dict, operation: unknown): void {
  const latest = state.get('Application', app.metadata.namespace, app.metadata.name) ?? app;
  const next = clone(latest);
  const { reconciledAt: _before, ...oldStatus } = (latest.status ?? {}) as Dict;
  const { reconciledAt: _after, ...newStatus } = status;
  const operationChanged = !deepEqual(latest.operation ?? null, operation ?? null);
  if (deepEqual(oldStatus, newStatus) && !operationChanged) return;
  next.status = { ...newStatus, reconciledAt: iso(state.now()) };
  if (operation) next.operation = operation;
  else delete next.operation;
  state.update(next);
}

import { type Clock, pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import { isNotFound, type KubeAccess, type RawObject } from '../../kube/access.js';
import { MERGE_PATCH, type MutationPlan } from './mutation.js';
import type { WorkloadRef } from './workloads.js';

export const ARGO_DEFAULT_NAMESPACE = 'argocd';

function appPath(namespace: string, name?: string): string {
  const base = `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/applications`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

/** Auto-sync is on iff spec.syncPolicy.automated is present and automated.enabled is absent or true. */
export function isAutoSyncEnabled(app: RawObject): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

export interface ManagingApplication {
  namespace: string;
  name: string;
  autoSync: boolean;
  selfHeal: boolean;
  why: string;
}

/**
 * The Argo CD Applications (in any namespace) that manage a workload: by status.resources, by the
 * tracking-id annotation, or by the instance labels Argo CD sets. An API without the CRD manages nothing.
 */
export async function findManagingApplications(
  kube: KubeAccess,
  ref: WorkloadRef,
  workload: RawObject,
): Promise<ManagingApplication[]> {
  let apps: RawObject[];
  try {
    apps = (await kube.list<RawObject>('/apis/argoproj.io/v1alpha1/applications')).items;
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const labels = workload.metadata.labels ?? {};
  const tracking = workload.metadata.annotations?.['argocd.argoproj.io/tracking-id'];
  const found: ManagingApplication[] = [];
  for (const app of apps) {
    const name = app.metadata.name;
    const destination = app.spec?.destination?.namespace;
    let why: string | undefined;
    const listed = (app.status?.resources ?? []).some(
      (r: { kind?: string; namespace?: string; name?: string }) =>
        r.kind === ref.kind && r.name === ref.name && (r.namespace ?? destination) === ref.namespace,
    );
    if (listed) why = 'listed in its status.resources';
    else if (tracking?.split(':')[0] === name) why = 'argocd.argoproj.io/tracking-id annotation';
    else if (labels['argocd.argoproj.io/instance'] === name) why = 'argocd.argoproj.io/instance label';
    else if (labels['app.kubernetes.io/instance'] === name && (!destination || destination === ref.namespace)) {
      why = 'app.kubernetes.io/instance label';
    }
    if (!why) continue;
    found.push({
      namespace: app.metadata.namespace ?? ARGO_DEFAULT_NAMESPACE,
      name,
      autoSync: isAutoSyncEnabled(app),
      selfHeal: Boolean(app.spec?.syncPolicy?.automated?.selfHeal),
      why,
    });
  }
  return found;
}

/** Plans turning auto-sync off (remembering the old settings) or on again (restoring them). */
export async function planAutoSync(
  kube: KubeAccess,
  namespace: string,
  name: string,
  enable: boolean,
  previous?: Record<string, unknown>,
): Promise<MutationPlan> {
  const app = await kube.get<RawObject>(appPath(namespace, name));
  const automated = app.spec?.syncPolicy?.automated ?? null;
  const on = isAutoSyncEnabled(app);
  const rv = app.metadata.resourceVersion;
  // The one field changed: automated off (null) or back to what it was.
  const automatedTo = enable ? (previous ?? { prune: false, selfHeal: true }) : null;
  const change = {
    target: { kind: 'Application', namespace, name },
    resourceVersion: rv,
    before: { 'spec.syncPolicy': app.spec?.syncPolicy ?? null },
    fields: ['spec.syncPolicy'],
    request: {
      method: 'PATCH' as const,
      path: appPath(namespace, name),
      contentType: MERGE_PATCH,
      body: { metadata: { resourceVersion: rv }, spec: { syncPolicy: { automated: automatedTo } } },
    },
  };
  if (!enable) {
    if (!on && automated === null) {
      const message = `auto-sync of Application ${namespace}/${name} is already off`;
      return { ...change, summary: message, skip: message };
    }
    return {
      ...change,
      summary: `turn off auto-sync of Argo CD Application ${namespace}/${name} (was ${JSON.stringify(automated)})`,
      inverse: {
        action: 'argo.autosync',
        with: { namespace, app: name, enable: true, previous: automated ?? {} },
        summary: `turn auto-sync of ${namespace}/${name} back on with ${JSON.stringify(automated)}`,
      },
    };
  }
  if (on) {
    const message = `auto-sync of Application ${namespace}/${name} is already on`;
    return { ...change, summary: message, skip: message };
  }
  refuseSyncBack(app, `${namespace}/${name}`, automatedTo);
  return {
    ...change,
    summary: `turn on auto-sync of Argo CD Application ${namespace}/${name} with ${JSON.stringify(automatedTo)}`,
    inverse: { action: 'argo.autosync', with: { namespace, app: name, enable: false } },
  };
}

export class ArgoRollbackError extends IncError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'ARGO_ROLLBACK', hint });
  }
}

/**
 * Auto-sync turned on syncs the source's revision (`status.sync.revision`): at once when it is not the
 * revision last synced, and over any live change with self-heal. When that revision was deployed
 * before and the live state has moved away from it (OutOfSync: a rollback, by kubectl or Argo CD),
 * it would put back what was mitigated. A source fixed in git resolves to a commit never deployed.
 */
function refuseSyncBack(app: RawObject, who: string, automated: Record<string, unknown> | null): void {
  const sync = app.status?.sync;
  const revision = typeof sync?.revision === 'string' ? sync.revision : '';
  if (sync?.status !== 'OutOfSync' || revision === '') return;
  const history: HistoryEntry[] = app.status?.history ?? [];
  if (!history.some((h) => h.revision === revision)) return;
  if (!automated?.selfHeal && history.at(-1)?.revision === revision) return;
  throw new ArgoRollbackError(
    `turning auto-sync of Application ${who} back on would deploy revision ${revision.slice(0, 7)} again: its source still resolves to that revision, deployed before, and the live state was moved away from it (OutOfSync)`,
    'fix the source in git first; once Argo CD resolves it to the new commit (argocd app get --refresh), turn auto-sync back on',
  );
}

interface HistoryEntry {
  id: number;
  revision?: string;
  revisions?: string[];
  source?: unknown;
  sources?: unknown[];
  deployedAt?: string;
}

/**
 * Plans an Argo CD rollback through the Kubernetes API, as the Argo CD server does it: refuse while
 * auto-sync is on or another operation runs, then set `operation.sync` to the history entry's
 * revision and source, with a resourceVersion precondition.
 */
export async function planArgoRollback(
  kube: KubeAccess,
  namespace: string,
  name: string,
  options: { id?: number; prune?: boolean; username: string },
): Promise<MutationPlan> {
  const app = await kube.get<RawObject>(appPath(namespace, name));
  const who = `${namespace}/${name}`;
  if (app.metadata.deletionTimestamp) throw new ArgoRollbackError(`application ${who} is deleting`);
  if (isAutoSyncEnabled(app)) {
    throw new ArgoRollbackError(
      `rollback cannot be initiated when auto-sync is enabled (Application ${who})`,
      `first run: inc run argo-pause-sync --set app=${name} --set namespace=${namespace}`,
    );
  }
  if (app.operation)
    throw new ArgoRollbackError(
      `another operation is already in progress on Application ${who}`,
      'wait for it to finish (kubectl get application -o yaml shows status.operationState)',
    );
  const history = (app.status?.history ?? []) as HistoryEntry[];
  let entry: HistoryEntry | undefined;
  if (options.id === undefined) {
    if (history.length < 2)
      throw new ArgoRollbackError(`application '${name}' should have at least two successful deployments`);
    entry = history[history.length - 2];
  } else {
    entry = history.find((h) => h.id === options.id);
    if (!entry)
      throw new ArgoRollbackError(`application '${name}' does not have deployment id '${options.id}' in history`);
  }
  if (!entry) throw new ArgoRollbackError(`application '${name}' has no history`);
  if (!entry.source && !(entry.sources && entry.sources.length > 0)) {
    throw new ArgoRollbackError(
      'cannot rollback to revision deployed with Argo CD v0.11 or lower. sync to revision instead.',
    );
  }
  const sync: Record<string, unknown> = { syncStrategy: { apply: {} }, prune: options.prune ?? false };
  if (entry.sources && entry.sources.length > 0) {
    sync.revisions = entry.revisions;
    sync.sources = entry.sources;
  } else {
    sync.revision = entry.revision;
    sync.source = entry.source;
  }
  if (app.spec?.syncPolicy?.syncOptions) sync.syncOptions = app.spec.syncPolicy.syncOptions;
  const current = history[history.length - 1];
  const fields = ['operation', 'status.sync.revision'];
  return {
    target: { kind: 'Application', namespace, name },
    resourceVersion: app.metadata.resourceVersion,
    before: { operation: null, 'status.sync.revision': app.status?.sync?.revision },
    fields,
    summary: `roll back Argo CD Application ${who} to history id ${entry.id} (revision ${entry.revision ?? entry.revisions?.join(',')})`,
    request: {
      method: 'PATCH',
      path: appPath(namespace, name),
      contentType: MERGE_PATCH,
      body: {
        metadata: { resourceVersion: app.metadata.resourceVersion },
        operation: { initiatedBy: { username: options.username }, sync },
        status: { operationState: null },
      },
    },
    inverse:
      current && current.id !== entry.id
        ? {
            action: 'argo.rollback',
            with: { namespace, app: name, id: current.id },
            summary: `roll ${who} forward to history id ${current.id}`,
          }
        : undefined,
  };
}

/** Waits until the Application's operation finished; Failed or Error is an error. */
export async function waitForArgoOperation(
  kube: KubeAccess,
  namespace: string,
  name: string,
  options: { clock: Clock; timeoutMs: number; signal: AbortSignal; onStatus: (text: string) => void },
): Promise<string> {
  let last = '';
  const done = await pollUntil(options.clock, options.signal, options.timeoutMs, async () => {
    const app = await kube.get<RawObject>(appPath(namespace, name));
    const state = app.status?.operationState;
    const phase = app.operation ? 'Running' : (state?.phase ?? 'Succeeded');
    const text = `operation ${phase}${state?.message ? `: ${state.message}` : ''}`;
    if (text !== last) options.onStatus(text);
    last = text;
    if (!app.operation && (phase === 'Failed' || phase === 'Error'))
      throw new ArgoRollbackError(`Argo CD rollback of ${namespace}/${name} failed: ${state?.message ?? phase}`);
    if (!app.operation && phase !== 'Running' && phase !== 'Terminating')
      return `Argo CD Application ${namespace}/${name}: ${text}`;
    return undefined;
  });
  if (done === undefined)
    throw new ArgoRollbackError(`timed out waiting for the Argo CD operation on ${namespace}/${name} (${last})`);
  return done;
}

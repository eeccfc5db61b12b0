// biome-ignore-all lint/suspicious/noExplicitAny: printers read objects of many kinds as plain JSON
import type { SimObject } from '../cluster-state.js';
import type { SimResource } from '../resources.js';
import { AUTOSCALING_PRINTERS } from './table-autoscaling.js';
import { age, type Column, created, humanDuration, name } from './table-columns.js';
import { NETWORKING_PRINTERS } from './table-networking.js';

export { humanDuration };

/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), as kubectl asks for it:
 * the columns of the API server's printers for the kinds people look at during an incident. Ages are
 * computed on the simulated clock, so they read right however fast it runs.
 */

type Dict = Record<string, any>;

function podStatus(pod: Dict): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  for (const c of pod.status?.initContainerStatuses ?? []) {
    if (c.state?.terminated && c.state.terminated.exitCode !== 0) return `Init:${c.state.terminated.reason || 'Error'}`;
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      return `Init:${c.state.waiting.reason}`;
  }
  let running = false;
  for (const c of [...(pod.status?.containerStatuses ?? [])].reverse()) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated)
      reason = c.state.terminated.signal
        ? `Signal:${c.state.terminated.signal}`
        : `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state?.running) running = true;
  }
  if (reason === 'Completed' && running) {
    const ready = (pod.status?.conditions ?? []).some((c: Dict) => c.type === 'Ready' && c.status === 'True');
    reason = ready ? 'Running' : 'NotReady';
  }
  return reason;
}

/** The API server's Job status column: the condition that is True, else Suspended or Running. */
function jobStatus(job: Dict): string {
  const isTrue = (type: string) =>
    (job.status?.conditions ?? []).some((c: Dict) => c.type === type && c.status === 'True');
  for (const type of ['Failed', 'Complete', 'FailureTarget', 'SuccessCriteriaMet']) if (isTrue(type)) return type;
  if (isTrue('Suspended')) return 'Suspended';
  return 'Running';
}

function podRestarts(pod: Dict, now: number): string {
  let restarts = 0;
  let last: number | undefined;
  for (const c of pod.status?.containerStatuses ?? []) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished && (last === undefined || new Date(finished).getTime() > last)) last = new Date(finished).getTime();
  }
  return restarts > 0 && last !== undefined ? `${restarts} (${humanDuration(now - last)} ago)` : String(restarts);
}

const containersOf = (o: Dict): Dict[] => o.spec?.template?.spec?.containers ?? [];
const selectorOf = (o: Dict): string =>
  Object.entries((o.spec?.selector?.matchLabels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '<none>';

/** The wide (-o wide) columns Deployments and ReplicaSets share, as kubectl prints them. */
const workloadWideColumns: Column[] = [
  {
    name: 'Containers',
    type: 'string',
    priority: 1,
    cell: (o) =>
      containersOf(o)
        .map((c) => c.name)
        .join(','),
  },
  {
    name: 'Images',
    type: 'string',
    priority: 1,
    cell: (o) =>
      containersOf(o)
        .map((c) => c.image)
        .join(','),
  },
  { name: 'Selector', type: 'string', priority: 1, cell: selectorOf },
];

const PRINTERS: Record<string, Column[]> = {
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) =>
        `${(o.status?.containerStatuses ?? []).filter((c: Dict) => c.ready).length}/${(o.spec?.containers ?? []).length}`,
    },
    { name: 'Status', type: 'string', cell: (o) => podStatus(o) },
    { name: 'Restarts', type: 'string', cell: (o, now) => podRestarts(o, now) },
    created,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => o.status?.nominatedNodeName ?? '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
  ],
  Deployment: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    created,
    ...workloadWideColumns,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    created,
    ...workloadWideColumns,
  ],
  Node: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const ready = (o.status?.conditions ?? []).find((c: Dict) => c.type === 'Ready');
        const status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
        return o.spec?.unschedulable ? `${status},SchedulingDisabled` : status;
      },
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    },
    created,
    { name: 'Version', type: 'string', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    {
      name: 'Internal-IP',
      type: 'string',
      priority: 1,
      cell: (o) => (o.status?.addresses ?? []).find((a: Dict) => a.type === 'InternalIP')?.address ?? '<none>',
    },
    { name: 'OS-Image', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.osImage ?? '<unknown>' },
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', cell: () => '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) => (o.spec?.ports ?? []).map((p: Dict) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>',
    },
    created,
    { name: 'Selector', type: 'string', priority: 1, cell: selectorOf },
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, created],
  ConfigMap: [
    name,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys({ ...o.data, ...o.binaryData }).length },
    created,
  ],
  Secret: [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length },
    created,
  ],
  Endpoints: [
    name,
    {
      name: 'Endpoints',
      type: 'string',
      cell: (o) => {
        const all = (o.subsets ?? []).flatMap((s: Dict) =>
          (s.addresses ?? []).flatMap((a: Dict) =>
            (s.ports ?? [{}]).map((p: Dict) => (p.port ? `${a.ip}:${p.port}` : a.ip)),
          ),
        );
        if (all.length === 0) return '<none>';
        return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
      },
    },
    created,
  ],
  StatefulSet: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    created,
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.numberAvailable ?? 0 },
    {
      name: 'Node Selector',
      type: 'string',
      cell: (o) =>
        Object.entries((o.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>)
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
    created,
  ],
  ...AUTOSCALING_PRINTERS,
  ...NETWORKING_PRINTERS,
  Job: [
    name,
    { name: 'Status', type: 'string', cell: (o) => jobStatus(o) },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) =>
        o.spec?.completions == null
          ? `${o.status?.succeeded ?? 0}/1 of ${o.spec?.parallelism ?? 1}`
          : `${o.status?.succeeded ?? 0}/${o.spec.completions}`,
    },
    {
      name: 'Duration',
      type: 'string',
      cell: (o, now) =>
        o.status?.startTime
          ? humanDuration(new Date(o.status.completionTime ?? now).getTime() - new Date(o.status.startTime).getTime())
          : '',
    },
    created,
  ],
  CronJob: [
    name,
    { name: 'Schedule', type: 'string', cell: (o) => o.spec?.schedule ?? '' },
    { name: 'Timezone', type: 'string', cell: (o) => o.spec?.timeZone ?? '<none>' },
    { name: 'Suspend', type: 'string', cell: (o) => (o.spec?.suspend === true ? 'True' : 'False') },
    { name: 'Active', type: 'integer', cell: (o) => (o.status?.active ?? []).length },
    {
      name: 'Last Schedule',
      type: 'string',
      cell: (o, now) => (o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>'),
    },
    created,
  ],
  // Argo CD's CRD printer columns.
  Application: [
    name,
    { name: 'Sync Status', type: 'string', cell: (o) => o.status?.sync?.status ?? '' },
    { name: 'Health Status', type: 'string', cell: (o) => o.status?.health?.status ?? '' },
    { name: 'Revision', type: 'string', priority: 10, cell: (o) => o.status?.sync?.revision ?? '' },
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o, now) => age(o.series?.lastObservedTime ?? o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp, now),
    },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    {
      name: 'Object',
      type: 'string',
      cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
    },
    { name: 'Message', type: 'string', cell: (o) => String(o.message ?? '').trim() },
    { name: 'Count', type: 'integer', priority: 1, cell: (o) => o.count ?? 1 },
    { name: 'Name', type: 'string', priority: 1, cell: (o) => o.metadata.name },
  ],
};

/** True when the client asked for a Table and this resource has a printer (core/v1 events; not events.k8s.io). */
export function wantsTable(accept: string | undefined, resource: SimResource): boolean {
  return (
    Boolean(accept?.includes('as=Table')) && PRINTERS[resource.kind] !== undefined && resource.group !== 'events.k8s.io'
  );
}

function rowOf(object: SimObject, columns: Column[], now: number, includeObject: string): Dict {
  const cells = columns.map((c) => c.cell(object as Dict, now));
  if (includeObject === 'None') return { cells };
  if (includeObject === 'Object') return { cells, object };
  return {
    cells,
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
  };
}

/** A `meta.k8s.io/v1 Table` of the objects; `includeObject` is Metadata (default), Object or None. */
export function renderTable(
  resource: SimResource,
  objects: readonly SimObject[],
  listMetadata: Record<string, unknown>,
  now: number,
  includeObject = 'Metadata',
): string {
  const columns = PRINTERS[resource.kind]!;
  return JSON.stringify({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => rowOf(o, columns, now, includeObject)),
  });
}

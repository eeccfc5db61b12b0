import type { SimObject } from './cluster-state.js';

/**
 * The API server's defaulting for the fields clients read back (kubectl describe, rollout undo's template
 * comparison, helm's three-way merge). Applied on every write, so it is idempotent.
 */

type Dict = Record<string, unknown>;

function dict(parent: Dict, key: string): Dict {
  const value = parent[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Dict;
  const created: Dict = {};
  parent[key] = created;
  return created;
}

function setDefault(target: Dict, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function defaultContainer(container: Dict): void {
  const image = String(container.image ?? '');
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop()?.split(':')[1] ?? 'latest');
  setDefault(container, 'imagePullPolicy', tag === 'latest' ? 'Always' : 'IfNotPresent');
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  if (Array.isArray(container.ports)) for (const port of container.ports as Dict[]) setDefault(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const value = container[probe];
    if (value !== null && typeof value === 'object') defaultProbe(value as Dict);
  }
}

/** A probe's timing as the API server fills it (and kubectl describe prints it: `delay=0s timeout=1s period=10s`). */
function defaultProbe(probe: Dict): void {
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  const httpGet = probe.httpGet;
  if (httpGet !== null && typeof httpGet === 'object') {
    setDefault(httpGet as Dict, 'path', '/');
    setDefault(httpGet as Dict, 'scheme', 'HTTP');
  }
}

export function defaultPodSpec(spec: Dict): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(spec[list])) for (const c of spec[list] as Dict[]) defaultContainer(c);
  }
}

/**
 * What a Pod gets beyond its template's defaults: service links (SetDefaults_Pod), and from admission the
 * `default` service account and priority 0, which `kubectl describe pod` prints.
 */
function defaultPod(spec: Dict): void {
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'serviceAccountName', spec.serviceAccount ?? 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

function defaultTemplate(spec: Dict): void {
  const template = dict(spec, 'template');
  defaultPodSpec(dict(template, 'spec'));
}

/**
 * A Job's defaults: one completion at a time, back-off limit 6, and (unless `manualSelector`) a
 * selector on the Job's uid, whose labels the pod template gets with the Job's name.
 */
function defaultJobSpec(spec: Dict, metadata: SimObject['metadata']): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  const template = dict(spec, 'template');
  if (spec.manualSelector !== true && metadata.uid && spec.selector === undefined) {
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': metadata.uid } };
    const templateMeta = dict(template, 'metadata');
    templateMeta.labels = {
      ...((templateMeta.labels ?? {}) as Record<string, string>),
      'batch.kubernetes.io/controller-uid': metadata.uid,
      'batch.kubernetes.io/job-name': metadata.name,
      'controller-uid': metadata.uid,
      'job-name': metadata.name,
    };
  }
  defaultPodSpec(dict(template, 'spec'));
}

let nextClusterIp = 10;

function defaultService(spec: Dict): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
    nextClusterIp += 1;
    spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250)}.${nextClusterIp % 250}`;
  }
  if (spec.clusterIP && spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
  setDefault(spec, 'ipFamilies', ['IPv4']);
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports as Dict[]) {
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
  }
}

function defaultNamespace(object: SimObject): void {
  object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
  setDefault(dict(object as Dict, 'spec'), 'finalizers', ['kubernetes']);
  setDefault(dict(object as Dict, 'status'), 'phase', 'Active');
}

function defaultDeployment(spec: Dict): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  const strategy = dict(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = dict(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  defaultTemplate(spec);
}

function defaultStatefulSet(spec: Dict): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  setDefault(spec, 'revisionHistoryLimit', 10);
  const strategy = dict(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(dict(strategy, 'rollingUpdate'), 'partition', 0);
  defaultTemplate(spec);
}

function defaultDaemonSet(spec: Dict): void {
  setDefault(spec, 'revisionHistoryLimit', 10);
  const strategy = dict(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = dict(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', 1);
    setDefault(rolling, 'maxSurge', 0);
  }
  defaultTemplate(spec);
}

function defaultCronJob(spec: Dict): void {
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  defaultTemplate(dict(dict(spec, 'jobTemplate'), 'spec'));
}

/**
 * networking/v1 defaulting: a policy without policyTypes enforces Ingress, and Egress when it has egress
 * rules; a port without protocol is TCP.
 */
function defaultNetworkPolicy(spec: Dict): void {
  setDefault(spec, 'podSelector', {});
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const egress = Array.isArray(spec.egress) && spec.egress.length > 0;
    spec.policyTypes = egress ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const direction of ['ingress', 'egress']) {
    for (const rule of (spec[direction] as Dict[] | undefined) ?? []) {
      for (const port of (rule.ports as Dict[] | undefined) ?? []) setDefault(port, 'protocol', 'TCP');
    }
  }
}

/** autoscaling/v2 defaulting: one replica at least, and 80% CPU when no metric is given. */
function defaultHorizontalPodAutoscaler(spec: Dict): void {
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ];
  }
}

/** The defaulting of each kind's spec, as the API server applies it on create and update. */
const SPEC_DEFAULTS = new Map<string, (spec: Dict, object: SimObject) => void>(
  Object.entries({
    Deployment: defaultDeployment,
    ReplicaSet: (spec) => {
      setDefault(spec, 'replicas', 1);
      defaultTemplate(spec);
    },
    StatefulSet: defaultStatefulSet,
    DaemonSet: defaultDaemonSet,
    Job: (spec, object) => defaultJobSpec(spec, object.metadata),
    CronJob: defaultCronJob,
    Pod: defaultPod,
    Service: defaultService,
    NetworkPolicy: defaultNetworkPolicy,
    HorizontalPodAutoscaler: defaultHorizontalPodAutoscaler,
  }),
);

/** Fills the defaults of a known kind in place. */
export function applyDefaults(object: SimObject): void {
  if (object.kind === 'Namespace') defaultNamespace(object);
  if (object.kind === 'Secret') setDefault(object as Dict, 'type', 'Opaque');
  const spec = object.spec as Dict | undefined;
  if (spec) SPEC_DEFAULTS.get(object.kind)?.(spec, object);
}

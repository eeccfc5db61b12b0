/**
 * What the kubelet does with a pod whose configuration is missing, after upstream: a ConfigMap or
 * Secret named by a volume keeps the pod ContainerCreating with FailedMount events; one named by
 * `envFrom` or `valueFrom` (or a missing key) keeps the container waiting in
 * CreateContainerConfigError with a Failed event naming what is missing. References marked
 * `optional: true` never block. Once everything exists the containers start from that instant.
 */
import type { ClusterState, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { nodeIP, podIP } from './pod-status.js';
import { containersOf } from './resources.js';
import { type Dict, iso, scratch } from './util.js';

export interface MissingConfig {
  stage: 'mount' | 'env';
  /** The kubelet's words for what is missing, e.g. `configmap "web" not found`. */
  message: string;
  /** Containers that cannot be created (env), by name. */
  containers: string[];
}

const MOUNT_RETRY_MS = 60_000;
const ENV_RETRY_MS = 10_000;

type Source = { kind: 'ConfigMap' | 'Secret'; name: string; key?: string; optional: boolean };

function problem(state: ClusterState, namespace: string, source: Source): string | undefined {
  if (source.optional) return undefined;
  const object = state.get(source.kind, namespace, source.name);
  const word = source.kind === 'ConfigMap' ? 'configmap' : 'secret';
  if (!object) return `${word} "${source.name}" not found`;
  if (source.key === undefined) return undefined;
  const has = [object.data, object.binaryData, object.stringData].some(
    (d) => (d as Dict | undefined)?.[source.key!] !== undefined,
  );
  return has ? undefined : `couldn't find key ${source.key} in ${source.kind} ${namespace}/${source.name}`;
}

function envSources(container: Dict): Source[] {
  const out: Source[] = [];
  for (const from of (container.envFrom as Dict[] | undefined) ?? []) {
    const cm = from.configMapRef as Dict | undefined;
    const secret = from.secretRef as Dict | undefined;
    if (cm) out.push({ kind: 'ConfigMap', name: String(cm.name), optional: cm.optional === true });
    if (secret) out.push({ kind: 'Secret', name: String(secret.name), optional: secret.optional === true });
  }
  for (const env of (container.env as Dict[] | undefined) ?? []) {
    const from = (env.valueFrom ?? {}) as Dict;
    const cm = from.configMapKeyRef as Dict | undefined;
    const secret = from.secretKeyRef as Dict | undefined;
    if (cm) out.push({ kind: 'ConfigMap', name: String(cm.name), key: String(cm.key), optional: cm.optional === true });
    if (secret)
      out.push({
        kind: 'Secret',
        name: String(secret.name),
        key: String(secret.key),
        optional: secret.optional === true,
      });
  }
  return out;
}

/** The first missing piece of the pod's configuration, or undefined when it can start. */
export function findMissingConfig(state: ClusterState, pod: SimObject): MissingConfig | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  for (const volume of ((pod.spec as Dict | undefined)?.volumes as Dict[] | undefined) ?? []) {
    const cm = volume.configMap as Dict | undefined;
    const secret = volume.secret as Dict | undefined;
    const source: Source | undefined = cm
      ? { kind: 'ConfigMap', name: String(cm.name), optional: cm.optional === true }
      : secret
        ? { kind: 'Secret', name: String(secret.secretName), optional: secret.optional === true }
        : undefined;
    const items = ((cm ?? secret)?.items as Dict[] | undefined) ?? [];
    const missing = source && problem(state, namespace, source);
    const object = source && !missing ? state.get(source.kind, namespace, source.name) : undefined;
    const absentKey = object
      ? items.find(
          (item) =>
            ((object.data ?? {}) as Dict)[String(item.key)] === undefined &&
            ((object.binaryData ?? {}) as Dict)[String(item.key)] === undefined,
        )
      : undefined;
    const reason =
      missing ??
      (absentKey && source && !source.optional
        ? `${source.kind === 'ConfigMap' ? 'configmap' : 'secret'} references non-existent config key: ${absentKey.key}`
        : undefined);
    if (reason)
      return {
        stage: 'mount',
        message: `MountVolume.SetUp failed for volume "${volume.name}" : ${reason}`,
        containers: [],
      };
  }
  for (const container of containersOf(pod)) {
    for (const source of envSources(container)) {
      const message = problem(state, namespace, source);
      if (message) return { stage: 'env', message, containers: [String(container.name)] };
    }
  }
  return undefined;
}

const held = new WeakMap<ClusterState, Map<string, number>>();

/**
 * Where the pod's containers start from: its start, or the instant its configuration was found
 * after the kubelet had held it back.
 */
export function configuredStart(state: ClusterState, pod: SimObject, start: number, now: number): number {
  const memory = scratch(held, state, () => new Map<string, number>());
  const key = pod.metadata.uid ?? pod.metadata.name;
  const since = memory.get(key);
  if (since === undefined || since >= 0) return since ?? start;
  // Negative: held until now; the containers start from this instant.
  memory.set(key, now);
  return now;
}

/**
 * Writes the held pod's status (Pending, containers waiting) and the kubelet's event, and returns
 * when to look again.
 */
export function holdPod(
  state: ClusterState,
  pod: SimObject,
  node: SimObject | undefined,
  missing: MissingConfig,
  start: number,
  now: number,
): number {
  scratch(held, state, () => new Map<string, number>()).set(pod.metadata.uid ?? pod.metadata.name, -1);
  const host = node?.metadata.name;
  const statuses = containersOf(pod).map((container) => {
    const name = String(container.name);
    const blocked = missing.stage === 'env' && missing.containers.includes(name);
    return {
      name,
      image: String(container.image ?? ''),
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      lastState: {},
      state: {
        waiting: blocked
          ? { reason: 'CreateContainerConfigError', message: missing.message }
          : { reason: 'ContainerCreating' },
      },
    };
  });
  const unready = statuses.map((s) => s.name).join(' ');
  const notReady = (type: string) => ({
    type,
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: iso(start),
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready}]`,
  });
  const ip = podIP(pod, node);
  const status: Dict = {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodReadyToStartContainers',
        status: missing.stage === 'env' ? 'True' : 'False',
        lastProbeTime: null,
        lastTransitionTime: iso(start),
      },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
      notReady('Ready'),
      notReady('ContainersReady'),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(start) },
    ],
    hostIP: nodeIP(node),
    hostIPs: [{ ip: nodeIP(node) }],
    startTime: iso(start),
    containerStatuses: statuses,
    qosClass: ((pod.status ?? {}) as Dict).qosClass ?? 'BestEffort',
  };
  if (missing.stage === 'env') {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  const written = JSON.stringify(pod.status) === JSON.stringify(status) ? pod : state.update({ ...pod, status });
  if (missing.stage === 'mount') {
    recordEvent(state, written, 'Warning', 'FailedMount', missing.message, { component: 'kubelet', host });
  } else {
    for (const name of missing.containers) {
      recordEvent(
        state,
        written,
        'Warning',
        'Failed',
        `Error: ${missing.message}`,
        { component: 'kubelet', host },
        { fieldPath: `spec.containers{${name}}` },
      );
    }
  }
  return now + (missing.stage === 'mount' ? MOUNT_RETRY_MS : ENV_RETRY_MS);
}

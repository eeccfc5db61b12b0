/**
 * Events as the real recorders write them. Old-style recorders (kubelet, deployment and
 * replicaset controllers, node controller) fill firstTimestamp/lastTimestamp/count and
 * aggregate repeats of the same object+reason+message into one Event with a rising count.
 * New-style recorders (the scheduler, through events.k8s.io) fill eventTime and series instead,
 * and leave the old timestamps null, exactly as a real cluster shows them through core/v1.
 * Events older than one hour of sim time are deleted, like the API server's event TTL.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { iso, isoMicro, ms, scratch } from './util.js';

export interface EventSource {
  component: string;
  host?: string;
}

export interface RecordEventOptions {
  /** When it happened (defaults to now); the kubelet replays transitions at their exact times. */
  at?: Date | number;
  /** Records `times` occurrences at once, the last at `lastAt` (a replay of many repeats is one write). */
  times?: number;
  lastAt?: Date | number;
  /** Container reference, e.g. `spec.containers{api}`. */
  fieldPath?: string;
  /** `series` for events.k8s.io-style recorders (the scheduler). */
  style?: 'core' | 'series';
}

export const EVENT_TTL_MS = 60 * 60 * 1000;

const indexes = new WeakMap<ClusterState, Map<string, string>>();
const sweeps = new WeakMap<ClusterState, { lastSweep: number }>();
let sequence = 0;

/**
 * Records an event about `involved`, aggregating a repeat of the same object, reason, message
 * and source into the existing Event (count+1, lastTimestamp moved) like client-go's recorder.
 */
export function recordEvent(
  state: ClusterState,
  involved: SimObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
  options: RecordEventOptions = {},
): SimObject {
  const at = options.at === undefined ? state.now() : new Date(options.at);
  const namespace = involved.metadata.namespace ?? 'default';
  const aggregateKey = [
    involved.metadata.uid ?? involved.metadata.name,
    options.fieldPath ?? '',
    type,
    reason,
    message,
    source.component,
    source.host ?? '',
  ].join('\u0000');
  const index = scratch(indexes, state, () => new Map<string, string>());
  const existingName = index.get(aggregateKey);
  const existing = existingName ? state.get('Event', namespace, existingName) : undefined;
  const times = Math.max(1, options.times ?? 1);
  const last = options.lastAt === undefined ? at : new Date(options.lastAt);
  if (existing) return state.update(aggregate(existing, last, options.style ?? 'core', times));

  const name = `${involved.metadata.name}.${eventSuffix(at)}`;
  const event = newEvent(involved, type, reason, message, source, at, options);
  event.metadata = { name, namespace };
  const created = state.create(event);
  index.set(aggregateKey, created.metadata.name);
  return created;
}

function newEvent(
  involved: SimObject,
  type: string,
  reason: string,
  message: string,
  source: EventSource,
  at: Date,
  options: RecordEventOptions,
): SimObject {
  const involvedObject: Record<string, unknown> = {
    kind: involved.kind,
    namespace: involved.metadata.namespace,
    name: involved.metadata.name,
    uid: involved.metadata.uid,
    apiVersion: involved.apiVersion,
    resourceVersion: involved.metadata.resourceVersion,
  };
  if (options.fieldPath) involvedObject.fieldPath = options.fieldPath;
  if (involved.metadata.namespace === undefined) delete involvedObject.namespace;
  const base = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: '' },
    involvedObject,
    reason,
    message,
    type,
  };
  if (options.style === 'series') {
    return {
      ...base,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: isoMicro(at),
      ...((options.times ?? 1) > 1
        ? { series: { count: options.times, lastObservedTime: isoMicro(options.lastAt ?? at) } }
        : {}),
      action: reason === 'Scheduled' ? 'Binding' : 'Scheduling',
      reportingComponent: source.component,
      reportingInstance: `${source.component}-${source.host ?? 'control-plane'}`,
    };
  }
  return {
    ...base,
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    firstTimestamp: iso(at),
    lastTimestamp: iso(options.lastAt ?? at),
    count: Math.max(1, options.times ?? 1),
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  };
}

function aggregate(existing: SimObject, at: Date, style: 'core' | 'series', times: number): SimObject {
  const event = structuredClone(existing);
  if (style === 'series') {
    const series = (event.series as { count?: number } | undefined) ?? { count: 1 };
    event.series = { count: (series.count ?? 1) + times, lastObservedTime: isoMicro(at) };
    return event;
  }
  event.count = ((event.count as number | undefined) ?? 1) + times;
  if (ms(event.lastTimestamp) < at.getTime()) event.lastTimestamp = iso(at);
  return event;
}

function eventSuffix(at: Date): string {
  // Real names are `<object>.<UnixNano in hex>`; a sequence keeps same-millisecond events apart.
  sequence = (sequence + 1) % 1_000_000;
  return (BigInt(at.getTime()) * 1_000_000n + BigInt(sequence)).toString(16);
}

/** The instant an event was last seen, whichever recorder style wrote it. */
export function eventLastSeen(event: SimObject): number {
  const series = event.series as { lastObservedTime?: string } | undefined;
  const candidates = [series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.firstTimestamp];
  for (const candidate of candidates) {
    const value = ms(candidate);
    if (!Number.isNaN(value)) return value;
  }
  return ms(event.metadata.creationTimestamp);
}

/** Deletes events older than the TTL; sweeps at most once a minute of sim time. */
export const eventTtlController: Controller = {
  name: 'event-ttl',
  reconcile(state) {
    const now = state.now().getTime();
    const sweep = scratch(sweeps, state, () => ({ lastSweep: 0 }));
    if (now - sweep.lastSweep < 60_000) return;
    sweep.lastSweep = now;
    for (const event of state.list('Event')) {
      if (now - eventLastSeen(event) > EVENT_TTL_MS) {
        state.delete('Event', event.metadata.namespace, event.metadata.name);
      }
    }
  },
};

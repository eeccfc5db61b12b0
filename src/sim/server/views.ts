import type { SimObject } from '../cluster-state.js';
import type { SimResource } from '../resources.js';
import type { StoredObject } from '../store.js';

/**
 * How a stored object is served through one resource. Events are stored once as core/v1 and
 * served through events.k8s.io/v1 with that API's field names (as the API server converts them).
 */

function isEventsV1(resource: SimResource): boolean {
  return resource.group === 'events.k8s.io';
}

type Dict = Record<string, unknown>;

function coreEventToV1(event: SimObject): SimObject {
  const e = event as Dict;
  const out: Dict = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: event.metadata,
    eventTime: e.eventTime ?? null,
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
  };
  const optional: [string, unknown][] = [
    ['series', e.series],
    ['reportingController', e.reportingComponent],
    ['reportingInstance', e.reportingInstance],
    ['action', e.action],
    ['related', e.related],
    ['deprecatedSource', e.source],
    ['deprecatedFirstTimestamp', e.firstTimestamp],
    ['deprecatedLastTimestamp', e.lastTimestamp],
    ['deprecatedCount', e.count],
  ];
  for (const [key, value] of optional) if (value !== undefined && value !== null && value !== '') out[key] = value;
  return out as SimObject;
}

function v1EventToCore(event: SimObject): SimObject {
  const e = event as Dict;
  const out: Dict = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: event.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime ?? null,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp ?? null,
    lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.deprecatedCount ?? 0,
  };
  for (const key of ['series', 'action', 'related']) if (e[key] !== undefined) out[key] = e[key];
  return out as SimObject;
}

/** The served JSON of a stored object; the cached string when no conversion is needed. */
export function servedJson(resource: SimResource, stored: StoredObject): string {
  return isEventsV1(resource) ? JSON.stringify(coreEventToV1(stored.object)) : stored.json;
}

export function servedObject(resource: SimResource, object: SimObject): SimObject {
  return isEventsV1(resource) ? coreEventToV1(object) : object;
}

/** Turns a request body of this resource into the stored form. */
export function storedForm(resource: SimResource, object: SimObject): SimObject {
  const withType = {
    ...object,
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    kind: resource.kind,
  };
  return isEventsV1(resource) ? v1EventToCore(withType) : withType;
}

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

/** core/v1 Event fields and their events.k8s.io/v1 names, with the core default when v1 has none. */
const RENAMED_EVENT_FIELDS: { core: string; v1: string; coreDefault: unknown }[] = [
  { core: 'involvedObject', v1: 'regarding', coreDefault: {} },
  { core: 'message', v1: 'note', coreDefault: undefined },
  { core: 'reportingComponent', v1: 'reportingController', coreDefault: '' },
  { core: 'reportingInstance', v1: 'reportingInstance', coreDefault: '' },
  { core: 'source', v1: 'deprecatedSource', coreDefault: {} },
  { core: 'firstTimestamp', v1: 'deprecatedFirstTimestamp', coreDefault: null },
  { core: 'lastTimestamp', v1: 'deprecatedLastTimestamp', coreDefault: null },
  { core: 'count', v1: 'deprecatedCount', coreDefault: 0 },
];
const SHARED_OPTIONAL_EVENT_FIELDS = ['series', 'action', 'related'];

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

function convertEvent(event: SimObject, to: 'core' | 'v1'): SimObject {
  const e = event as Dict;
  const out: Dict = {
    apiVersion: to === 'v1' ? 'events.k8s.io/v1' : 'v1',
    kind: 'Event',
    metadata: event.metadata,
    reason: e.reason,
    type: e.type,
    eventTime: e.eventTime ?? null,
  };
  for (const { core, v1, coreDefault } of RENAMED_EVENT_FIELDS) {
    if (to === 'core') out[core] = e[v1] ?? coreDefault;
    else if (isSet(e[core]) || core === 'involvedObject' || core === 'message') out[v1] = e[core];
  }
  for (const key of SHARED_OPTIONAL_EVENT_FIELDS) if (isSet(e[key])) out[key] = e[key];
  return out as SimObject;
}

const coreEventToV1 = (event: SimObject) => convertEvent(event, 'v1');
const v1EventToCore = (event: SimObject) => convertEvent(event, 'core');

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

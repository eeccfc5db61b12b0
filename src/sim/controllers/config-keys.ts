/**
 * Applications that read their configuration at start: a pod annotated
 * `sim.inc.dev/required-keys: "configmap/NAME:KEY[,secret/NAME:KEY…]"` that starts while one of those keys
 * is missing crash-loops, logging `config: required key KEY is not set`. The check is made once, before the
 * pod is scheduled; pods already running keep the configuration they started with.
 */
import type { Controller, SimObject } from '../cluster-state.js';
import { LOG_ERROR_ANNOTATION } from './logs.js';
import { BEHAVIOR_ANNOTATION, type Dict } from './util.js';

export const REQUIRED_KEYS_ANNOTATION = 'sim.inc.dev/required-keys';

interface RequiredKey {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key: string;
}

/** Parses the annotation; entries that are not `configmap/NAME:KEY` or `secret/NAME:KEY` are ignored. */
export function parseRequiredKeys(text: string): RequiredKey[] {
  const keys: RequiredKey[] = [];
  for (const entry of text.split(',')) {
    const match = /^\s*(configmap|secret)\/([^:\s]+):(\S+)\s*$/i.exec(entry);
    if (match)
      keys.push({
        kind: match[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap',
        name: match[2]!,
        key: match[3]!,
      });
  }
  return keys;
}

function hasKey(object: SimObject | undefined, key: string): boolean {
  if (!object) return false;
  return [object.data, object.binaryData, object.stringData].some(
    (data) => (data as Dict | undefined)?.[key] !== undefined,
  );
}

export const configKeysController: Controller = {
  name: 'config-keys',
  reconcile(state) {
    for (const pod of state.list('Pod')) {
      const annotations = pod.metadata.annotations;
      const wanted = annotations?.[REQUIRED_KEYS_ANNOTATION];
      if (!wanted || (pod.spec as Dict | undefined)?.nodeName || annotations[BEHAVIOR_ANNOTATION] === 'crashloop')
        continue;
      const namespace = pod.metadata.namespace;
      const missing = parseRequiredKeys(wanted).find(
        ({ kind, name, key }) => !hasKey(state.get(kind, namespace, name), key),
      );
      if (!missing) continue;
      const next = structuredClone(pod);
      next.metadata.annotations = {
        ...annotations,
        [BEHAVIOR_ANNOTATION]: 'crashloop',
        [LOG_ERROR_ANNOTATION]: `config: required key ${missing.key} is not set`,
      };
      state.update(next);
    }
  },
};

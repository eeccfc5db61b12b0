import type { RawObject } from '../../kube/access.js';
import type { ProcessRunner } from '../action-types.js';
import { StepRefusedError } from '../errors.js';
import { findManifest, type GitFileSource, showManifests } from './git-manifest.js';
import { MERGE_PATCH, type MutationPlan, preconditionedPatch } from './mutation.js';

export interface ConfigMapRef {
  namespace: string;
  name: string;
}

type Data = Record<string, string>;

export function configMapPath(ref: ConfigMapRef): string {
  return `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/configmaps/${encodeURIComponent(ref.name)}`;
}

const describe = (ref: ConfigMapRef) => `configmap ${ref.namespace}/${ref.name}`;

/**
 * The ConfigMap's data as a git revision holds it: `git show REVISION:FILE` (no shell), then the
 * document that is this ConfigMap. A Secret is refused: its content never passes through inc.
 */
export async function readConfigMapFromGit(
  run: ProcessRunner,
  source: GitFileSource,
  ref: ConfigMapRef,
): Promise<{ data: Data; binaryData?: Data }> {
  const shown = await showManifests(run, source);
  if (shown.documents.some((doc) => doc?.kind === 'Secret' && doc.metadata?.name === ref.name)) {
    throw new StepRefusedError(
      `${shown.spec} holds a Secret named ${ref.name}: Secrets are refused (their content never passes through inc)`,
      'restore a Secret with your secret manager or kubectl yourself',
    );
  }
  const manifest = findManifest(shown, 'ConfigMap', ref);
  for (const field of ['data', 'binaryData'] as const) {
    for (const [key, value] of Object.entries((manifest[field] ?? {}) as Record<string, unknown>)) {
      // `VER: 1.10` is the number 1.1, `KEY:` is null: restored as text they would not be what git holds.
      if (typeof value !== 'string') {
        throw new StepRefusedError(
          `${shown.spec}: ${field}.${key} is not a string (YAML reads it as ${value === null ? 'null' : `the ${typeof value} ${JSON.stringify(value)}`}); the API server takes only strings, and kubectl apply refuses this manifest too`,
          `quote the value in the manifest (${key}: "…"), or restore the ConfigMap by hand`,
        );
      }
    }
  }
  return {
    data: stringMap(manifest.data),
    ...(manifest.binaryData ? { binaryData: stringMap(manifest.binaryData) } : {}),
  };
}

function stringMap(value: unknown): Data {
  const out: Data = {};
  for (const [key, entry] of Object.entries((value ?? {}) as Record<string, unknown>)) out[key] = String(entry);
  return out;
}

/** The merge patch that makes `current` equal `target` (null removes a key). */
function patchOf(current: Data, target: Data): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const key of Object.keys(current)) if (!(key in target)) patch[key] = null;
  for (const [key, value] of Object.entries(target)) if (current[key] !== value) patch[key] = value;
  return patch;
}

/**
 * Plans replacing the ConfigMap's data (and binaryData) with `target`, with a resourceVersion
 * precondition; the inverse restores the data as read now.
 */
export function planConfigMapRestore(
  ref: ConfigMapRef,
  current: RawObject,
  target: { data: Data; binaryData?: Data },
  source: string,
): MutationPlan {
  const data = stringMap(current.data);
  const binaryData = stringMap(current.binaryData);
  const dataPatch = patchOf(data, target.data);
  const binaryPatch = target.binaryData ? patchOf(binaryData, target.binaryData) : {};
  const changed = Object.keys(dataPatch).length + Object.keys(binaryPatch).length;
  const fields = ['data', ...(current.binaryData || target.binaryData ? ['binaryData'] : [])];
  const before: Record<string, unknown> = { data };
  if (current.binaryData) before.binaryData = binaryData;
  return {
    target: { kind: 'ConfigMap', namespace: ref.namespace, name: ref.name },
    resourceVersion: current.metadata.resourceVersion,
    before,
    fields,
    summary: `restore the data of ${describe(ref)} from ${source} (${changed} key${changed === 1 ? '' : 's'} changed)`,
    ...(changed === 0 ? { skip: `${describe(ref)} already holds the data of ${source}` } : {}),
    request: preconditionedPatch(
      {
        path: configMapPath(ref),
        contentType: MERGE_PATCH,
        fieldManager: 'inc',
        resourceVersion: current.metadata.resourceVersion,
      },
      {
        ...(Object.keys(dataPatch).length ? { data: dataPatch } : {}),
        ...(Object.keys(binaryPatch).length ? { binaryData: binaryPatch } : {}),
      },
    ),
    inverse: {
      action: 'configmap.restore',
      with: {
        namespace: ref.namespace,
        configmap: ref.name,
        data,
        ...(current.binaryData || target.binaryData ? { binaryData } : {}),
      },
      summary: `put back the data ${describe(ref)} held before the restore`,
    },
  };
}

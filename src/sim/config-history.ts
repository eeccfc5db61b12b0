import { stringify } from 'yaml';
import type { Dict } from './controllers/util.js';
import { changeOffsetMs, mergePatch, type Scenario } from './scenario.js';

/** One commit of the repository that deploys a scenario's ConfigMaps: the manifest as it was applied. */
export interface ConfigCommit {
  /** When it was applied, relative to the scenario's "now" (negative: in the past). */
  atMs: number;
  /** The manifest's path from the repository root, `NAMESPACE/NAME.yaml`. */
  file: string;
  namespace: string;
  name: string;
  manifest: string;
  message: string;
}

/**
 * The git history of the ConfigMaps a scenario's timeline changes, as the team that applied them
 * keeps it: one commit with each manifest as it was first applied (at the start of the history), then
 * one per change, oldest first. Empty when the timeline changes no ConfigMap.
 */
export function configMapHistory(scenario: Scenario, historyMs: number): ConfigCommit[] {
  const current = new Map<string, Dict>();
  const commits: ConfigCommit[] = [];
  const changes = [...scenario.timeline].sort((a, b) => changeOffsetMs(a) - changeOffsetMs(b));
  for (const change of changes) {
    const patch = change.patch;
    if (patch?.kind !== 'ConfigMap' || !patch.merge) continue;
    const namespace = patch.namespace ?? 'default';
    const key = `${namespace}/${patch.name}`;
    let before = current.get(key);
    if (!before) {
      before = scenario.manifests.find(
        (m) =>
          m.kind === 'ConfigMap' && m.metadata.name === patch.name && (m.metadata.namespace ?? 'default') === namespace,
      ) as Dict | undefined;
      if (!before) continue;
      before = manifestOf(before, namespace);
      commits.push(commitOf(before, -historyMs, `${patch.name}: as first applied`));
    }
    const after = manifestOf(mergePatch(before, patch.merge) as Dict, namespace);
    current.set(key, after);
    commits.push(commitOf(after, changeOffsetMs(change), `${patch.name}: ${describeDataChange(before, after)}`));
  }
  return commits.sort((a, b) => a.atMs - b.atMs);
}

/** The manifest a team keeps in git: kind, name, namespace, labels and data; none of the server's fields. */
function manifestOf(object: Dict, namespace: string): Dict {
  const metadata = (object.metadata ?? {}) as Dict;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: metadata.name,
      namespace,
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
    ...(object.data ? { data: object.data } : {}),
    ...(object.binaryData ? { binaryData: object.binaryData } : {}),
  };
}

function commitOf(manifest: Dict, atMs: number, message: string): ConfigCommit {
  const metadata = manifest.metadata as { name: string; namespace: string };
  return {
    atMs,
    file: `${metadata.namespace}/${metadata.name}.yaml`,
    namespace: metadata.namespace,
    name: metadata.name,
    manifest: stringify(manifest),
    message,
  };
}

/** "remove PAYMENTS_URL, add PAYMENTS_API_URL": the keys a change added, removed or changed. */
function describeDataChange(before: Dict, after: Dict): string {
  const old = (before.data ?? {}) as Record<string, unknown>;
  const now = (after.data ?? {}) as Record<string, unknown>;
  const removed = Object.keys(old).filter((key) => !(key in now));
  const added = Object.keys(now).filter((key) => !(key in old));
  const changed = Object.keys(now).filter((key) => key in old && old[key] !== now[key]);
  const parts = [
    removed.length ? `remove ${removed.join(', ')}` : '',
    added.length ? `add ${added.join(', ')}` : '',
    changed.length ? `change ${changed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'update';
}

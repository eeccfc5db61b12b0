import { type ClusterFlags, shellQuote } from '../cluster-flags.js';
import type { Change } from './change.js';
import { latestChangeReaching } from './changes.js';
import type { DraftFinding } from './checks/check.js';
import { type ConfigManifest, configChangePhrase } from './config-changes.js';
import { kubectlIn, suggestionCommand, workloadParams } from './suggestion-command.js';
import type { ObjectRef, Suggestion } from './types.js';

const sameRef = (a: ObjectRef, b: ObjectRef) => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/**
 * A deployment failing after a config it reads changed (and no new version rolled out since): the config
 * is what to fix, and a rollout undo would not help. With its previous version in git, configmap-rollback
 * restores it and restarts what reads it. Without, nothing inc runs can restore it: no command is offered
 * to paste (a restart alone brings a new pod that crashes the same way), and the note names the edit
 * first and the restart after it.
 */
export function suggestConfigFix(
  finding: DraftFinding,
  target: ObjectRef,
  context: { changes: readonly Change[]; clusterFlags?: ClusterFlags; configManifests?: readonly ConfigManifest[] },
): { suggestion?: Suggestion; note: string } | undefined {
  const config = latestChangeReaching(context.changes, 'config', target, finding.firstFailureMs);
  if (!config) return undefined;
  const newVersion = context.changes.some(
    (c) => c.kind === 'rollout' && !c.restart && !c.mitigation && sameRef(c.workload, target) && c.atMs > config.atMs,
  );
  if (newVersion) return undefined;
  const namespace = target.namespace ?? 'default';
  const manifest = context.configManifests?.find(
    (m) => m.namespace === config.workload.namespace && m.name === config.workload.name,
  );
  if (manifest && config.workload.kind === 'ConfigMap') {
    const params = {
      namespace: manifest.namespace,
      configmap: manifest.name,
      file: manifest.file,
      repo: manifest.repo,
    };
    return {
      suggestion: suggestionCommand('configmap-rollback', params, context),
      note: `${configChangePhrase(config)}: roll it back to its previous version in git (${manifest.file} in ${manifest.repo}, HEAD~1 unless --set revision=…), then restart what reads it`,
    };
  }
  const kind = config.workload.kind === 'Secret' ? 'secret' : 'configmap';
  const edit = `${kubectlIn(namespace, context)} edit ${kind} ${shellQuote(config.workload.name)}`;
  const restart = suggestionCommand('restart', workloadParams(target), context).command;
  return {
    note: `${configChangePhrase(config)}: restore it first (${edit}, or apply its previous version from git); a restart before that crashes the same way. Then: ${restart}`,
  };
}

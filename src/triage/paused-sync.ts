import { type DraftFinding, draft } from './checks/check.js';
import { autoSyncEnabled } from './managed-by.js';
import type { Mitigation } from './mitigations.js';
import type { Snapshot } from './snapshot.js';
import { formatClock } from './time.js';

/**
 * An Argo CD Application whose auto-sync this incident paused, and that is still paused: said after
 * the mitigation, when nothing else is wrong. Turned back on as it is, sync deploys its source again,
 * which still holds what failed: the source is to be fixed first.
 */
export function pausedAutoSyncFindings(snapshot: Snapshot, mitigations: readonly Mitigation[]): DraftFinding[] {
  return mitigations.flatMap((mitigation) => {
    if (mitigation.action !== 'argo.autosync' || mitigation.target.kind !== 'Application') return [];
    const { namespace, name } = mitigation.target;
    const app = snapshot.applications.find(
      (a) => a.metadata.name === name && (a.metadata.namespace ?? '') === (namespace ?? ''),
    );
    if (!app || autoSyncEnabled(app)) return [];
    const at = mitigation.atMs === undefined ? '' : ` at ${formatClock(mitigation.atMs)}`;
    const ref = { kind: 'Application', namespace, name };
    return [
      draft({
        check: 'rollouts',
        severity: 'info',
        reason: 'AutoSyncPaused',
        // Said in the title: an info finding shows no evidence in the text report.
        title: `argo cd application ${namespace}/${name}: auto-sync paused by inc's mitigation${at}; its source still deploys what failed: fix it in git before auto-sync is back on (inc undo ${mitigation.actionId} turns it on as it was)`,
        objects: [ref],
      }),
    ];
  });
}

import type { ActionDefinition, ActionTable } from '../action-types.js';
import { alertmanagerSilence } from './alertmanager.js';
import { argoAutoSync, argoRollback } from './argo.js';
import { hpaBounds } from './autoscaler.js';
import { nodeCordon, podDelete } from './cluster.js';
import { configMapRestartReaders, configMapRestore } from './configmap.js';
import { nodeDrain } from './drain.js';
import { helmHistoryAction, helmRollback } from './helm.js';
import { confirm, exec, http, note, triage, wait } from './misc.js';
import { networkPolicyRevert } from './network-policy.js';
import { nodeDelete, nodeExpectDown } from './node-delete.js';
import { rolloutHistory, rolloutRestart, rolloutStatus, rolloutUndo, scale, setImage } from './rollout.js';
import { rolloutUnstick } from './unstick.js';

/** Every action by name; the type makes a missing one a compile error. */
export const ACTIONS: ActionTable = {
  'rollout.history': rolloutHistory,
  'rollout.undo': rolloutUndo,
  'rollout.status': rolloutStatus,
  'rollout.restart': rolloutRestart,
  'rollout.unstick': rolloutUnstick,
  'configmap.restore': configMapRestore,
  'configmap.restart-readers': configMapRestartReaders,
  'networkpolicy.revert': networkPolicyRevert,
  scale,
  'hpa.bounds': hpaBounds,
  'set-image': setImage,
  'argo.autosync': argoAutoSync,
  'argo.rollback': argoRollback,
  'helm.history': helmHistoryAction,
  'helm.rollback': helmRollback,
  'pod.delete': podDelete,
  'node.cordon': nodeCordon,
  'node.drain': nodeDrain,
  'node.delete': nodeDelete,
  'node.expect-down': nodeExpectDown,
  'alertmanager.silence': alertmanagerSilence,
  http,
  exec,
  confirm,
  note,
  wait,
  triage,
};

/** Whether a step with these values changes something (http GET and HEAD do not). */
export function isMutatingStep(action: ActionDefinition, w: unknown): boolean {
  if (!action.mutating) return false;
  const readOnly = (action as { readOnly?: (w: unknown) => boolean }).readOnly;
  return !(readOnly?.(w) ?? false);
}

import { clusterFlagsText } from '../../cluster-flags.js';
import { UsageError } from '../../errors.js';
import { describeActingAs } from '../../incident/acting-as.js';
import { readIncident, resolveIncidentId } from '../../incident/incidents.js';
import { incHome } from '../../incident/paths.js';
import { deriveIncidentState } from '../../incident/state.js';
import { chooseUndo, isRevert, type UndoChoice } from '../../playbooks/undo.js';
import type { CommandEnv } from '../context.js';
import { openCluster } from '../open-cluster.js';

/** Reads the incident log and picks what `inc undo` reverts; refuses a different kube context. */
export async function prepareUndo(
  env: CommandEnv,
  actionId: string | undefined,
): Promise<UndoChoice & { redo: boolean }> {
  const home = incHome(env.env);
  const id = await resolveIncidentId(home, env.globals.incident);
  if (!id)
    throw new UsageError('no incident is open, so there is no recorded mitigation to undo', {
      hint: 'inc list shows incidents; --incident ID picks one',
    });
  const { events } = await readIncident(home, id);
  const state = deriveIncidentState(events, env.clock);
  const choice = chooseUndo(state.actions, actionId);
  const kube = await openCluster(env);
  try {
    if (choice.record.context && kube.contextName !== choice.record.context) {
      throw new UsageError(
        `action ${choice.record.actionId} was applied on context ${choice.record.context}, but the current context is ${kube.contextName}`,
        { hint: `rerun with --context ${choice.record.context}` },
      );
    }
    if (choice.record.server && kube.server !== choice.record.server) {
      // Same name, another cluster: kubeconfigs reuse `default`, `minikube`, `kubernetes-admin@kubernetes`.
      throw new UsageError(
        `action ${choice.record.actionId} was applied on context ${choice.record.context} at ${choice.record.server}, but this kubeconfig's ${kube.contextName} is ${kube.server}: another cluster under the same name`,
        {
          hint: `rerun with the kubeconfig whose context ${choice.record.context} is ${choice.record.server} (--kubeconfig FILE)`,
        },
      );
    }
    const madeAs = choice.record.actingAs;
    if (madeAs && kube.impersonation?.user !== madeAs.user) {
      // RBAC decides; the note saves a 403 round trip when only the break-glass identity may revert.
      const flags = clusterFlagsText({ as: madeAs.user, asGroups: madeAs.groups }).trim();
      env.output.err(
        env.errTheme.dim(
          `note: action ${choice.record.actionId} was made as ${describeActingAs(madeAs)}; if this is refused, add ${flags}`,
        ),
      );
    }
  } finally {
    kube.close();
  }
  const { record } = choice;
  for (const later of choice.passedOver) {
    // What cannot be undone at all (a deleted pod, recreated by its controller) has no "by hand" either.
    const why = later.irreversible
      ? `cannot be undone (${later.irreversible}): inc undo leaves it as it is`
      : 'has no inverse: inc undo does not revert it (revert it by hand)';
    env.output.err(env.errTheme.warn(`warning: ${later.actionId} (${later.summary}) was applied later and ${why}`));
  }
  const redo = isRevert(record, state.actions);
  env.output.err(
    env.errTheme.dim(
      redo
        ? `redoing ${record.undoes}: reverting its undo ${record.actionId} (${record.summary})`
        : `undoing ${record.actionId}: ${record.summary}`,
    ),
  );
  return { ...choice, redo };
}

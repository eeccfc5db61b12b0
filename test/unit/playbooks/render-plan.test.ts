import { describe, expect, it } from 'vitest';
import type { ActionPlan } from '../../../src/playbooks/action-types.js';
import { diffViews } from '../../../src/playbooks/diff.js';
import { renderBanner, renderPlan, renderRunResult } from '../../../src/ui/render-plan.js';
import { createTheme } from '../../../src/ui/theme.js';

const theme = createTheme(false);
const before = { 'spec.template': { spec: { containers: [{ name: 'api', image: 'api:2.3.1' }] } } };
const after = { 'spec.template': { spec: { containers: [{ name: 'api', image: 'api:2.3.0' }] } } };
const plan: ActionPlan = {
  action: 'rollout.undo',
  summary: 'roll back deployment payments/api from revision 2 to revision 1',
  target: { kind: 'Deployment', namespace: 'payments', name: 'api' },
  before,
  after,
  diff: diffViews(before, after),
  dryRun: 'passed',
  resourceVersion: '812',
  inverse: { action: 'rollout.undo', with: { toRevision: 2 }, summary: 'roll forward to revision 2' },
};
const step = { id: 'undo', action: 'rollout.undo' as const, with: {} };

describe('plan rendering', () => {
  it('shows the target, the diff of the changed fields, the dry run and the undo', () => {
    expect(renderPlan(step, plan, theme)).toEqual([
      'step undo (rollout.undo): roll back deployment payments/api from revision 2 to revision 1',
      '  target: Deployment payments/api  (resourceVersion 812)',
      '  @@ -3,4 +3,4 @@',
      '       spec:',
      '         containers:',
      '  -        - image: api:2.3.1',
      '  +        - image: api:2.3.0',
      '             name: api',
      '  server-side dry run: passed',
      '  inverse: roll forward to revision 2',
    ]);
  });

  it('says when there is nothing to change', () => {
    const lines = renderPlan(
      step,
      { ...plan, skip: 'skipped rollback (current template already matches revision 0)' },
      theme,
    );
    expect(lines.at(-1)).toBe('  nothing to change: skipped rollback (current template already matches revision 0)');
  });

  it('names context, cluster and namespace in the banner, and a protected context', () => {
    const banner = renderBanner(
      { context: 'prod-eu', cluster: 'eu1', server: 'https://k', namespace: 'payments' },
      true,
      false,
      theme,
    );
    expect(banner).toContain('context:   prod-eu  (protected)');
    expect(banner).toContain('namespace: payments');
    expect(banner).toContain('CHANGES WILL BE APPLIED');
    const yes = renderBanner(
      { context: 'prod-eu', cluster: 'eu1', server: 'https://k', namespace: 'payments' },
      true,
      false,
      theme,
      true,
    );
    expect(yes).toContain('context:   prod-eu  (protected; confirmed by --confirm-context)');
  });

  it('summarises a run with what to do next', () => {
    const lines = renderRunResult(
      {
        playbook: 'rollback',
        dryRun: true,
        status: 'planned',
        steps: [
          { id: 'undo', action: 'rollout.undo', status: 'planned', summary: plan.summary, actionId: 'A1', lines: [] },
        ],
      },
      theme,
    );
    expect(lines[0]).toBe('playbook rollback: planned (dry run, nothing was changed)');
    expect(lines.at(-1)).toBe('to apply: rerun without --dry-run');
  });

  it('names the exact action that reverts a run, a redo after an undo, and nothing when nothing was recorded', () => {
    const applied = {
      playbook: 'rollback',
      dryRun: false,
      status: 'completed' as const,
      steps: [
        { id: 'undo', action: 'rollout.undo' as const, status: 'verified' as const, actionId: 'A1', plan, lines: [] },
      ],
    };
    expect(renderRunResult({ ...applied, incidentId: 'INC-1' }, theme).at(-1)).toBe(
      'to revert: inc undo A1 (roll forward to revision 2)',
    );
    expect(renderRunResult({ ...applied, incidentId: 'INC-1', undoes: 'A0' }, theme).at(-1)).toBe(
      'to redo (revert this undo): inc undo A1',
    );
    expect(renderRunResult(applied, theme).join('\n')).not.toContain('inc undo');
    // A run given --context: the revert command carries it, or it would act on the current context.
    expect(renderRunResult({ ...applied, incidentId: 'INC-1' }, theme, { context: 'eu-west' }).at(-1)).toBe(
      'to revert: inc undo A1 --context eu-west (roll forward to revision 2)',
    );
    // And the identity it acted as: another may not be allowed to revert the change.
    const given = { context: 'eu-west', as: 'oncall-admin', asGroups: ['sre', 'break glass'] };
    expect(renderRunResult({ ...applied, incidentId: 'INC-1' }, theme, given).at(-1)).toBe(
      "to revert: inc undo A1 --context eu-west --as oncall-admin --as-group sre --as-group 'break glass' (roll forward to revision 2)",
    );
  });

  it('warns before a change whose previous values are credentials, and offers no inc undo that would write [REDACTED]', () => {
    const restore: ActionPlan = {
      ...plan,
      action: 'configmap.restore',
      summary: 'restore the data of configmap shop/checkout-config from HEAD~1:k8s/cm.yaml',
      target: { kind: 'ConfigMap', namespace: 'shop', name: 'checkout-config' },
      inverse: {
        action: 'configmap.restore',
        with: {
          namespace: 'shop',
          configmap: 'checkout-config',
          data: { CURRENCY: 'EUR', PASSWORD: 'password: hunter2' },
        },
        summary: 'put back the data configmap shop/checkout-config held before the restore',
      },
    };
    const shown = renderPlan({ id: 'restore', action: 'configmap.restore', with: {} }, restore, theme);
    expect(shown.at(-1)).toBe(
      '  inc undo cannot put back the credentials in data.PASSWORD (inc never records them); keep their values before applying',
    );
    const result = renderRunResult(
      {
        playbook: 'configmap-rollback',
        dryRun: false,
        status: 'completed',
        incidentId: 'INC-1',
        steps: [
          { id: 'restore', action: 'configmap.restore', status: 'applied', actionId: 'A1', plan: restore, lines: [] },
        ],
      },
      theme,
    );
    expect(result.join('\n')).not.toContain('inc undo A1');
    expect(result.at(-1)).toBe(
      'not undoable: restore (the values it replaced in data.PASSWORD are credentials inc never records)',
    );
  });
});

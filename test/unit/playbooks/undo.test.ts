import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../../src/incident/state.js';
import { chooseUndo, isRevert } from '../../../src/playbooks/undo.js';

function record(id: string, phases: string[], extra: Partial<ActionRecord> = {}): ActionRecord {
  return {
    actionId: id,
    action: 'scale',
    context: 'inc-sim',
    target: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    summary: `action ${id}`,
    phases: phases.map((phase) => ({
      phase,
      eventId: `${id}-${phase}`,
      at: '2026-01-01T00:00:00.000Z',
      actor: 'a',
      data: {},
    })) as never,
    latestPhase: phases.at(-1) as never,
    firstAt: '2026-01-01T00:00:00.000Z',
    lastAt: '2026-01-01T00:00:00.000Z',
    dryRun: false,
    inverse: { action: 'scale', with: { namespace: 'payments', deployment: 'api', replicas: 3 } },
    ...extra,
  };
}

describe('chooseUndo', () => {
  it('refuses an inverse whose values were redacted when recorded: it would write [REDACTED] into the cluster', () => {
    const restored = record('A1', ['planned', 'applied', 'verified'], {
      summary: 'restore the data of configmap shop/checkout-config',
      inverse: {
        action: 'configmap.restore',
        with: {
          namespace: 'shop',
          configmap: 'checkout-config',
          data: { CURRENCY: 'EUR', DB_URL: 'postgres://app:[REDACTED]@db:5432/x', PASSWORD: '[REDACTED]' },
        },
      },
    });
    expect(() => chooseUndo([restored])).toThrow(
      /cannot be undone: the state it replaced held credentials \(data\.DB_URL, data\.PASSWORD\), which inc never records/,
    );
    expect(() => chooseUndo([restored], 'A1')).toThrow(/would write \[REDACTED\] into the cluster/);
  });

  it('takes the last applied mitigation with an inverse, as a one-step playbook', () => {
    const actions = [record('A1', ['planned', 'applied', 'verified']), record('A2', ['planned', 'applied'])];
    const choice = chooseUndo(actions);
    expect(choice.record.actionId).toBe('A2');
    expect(choice.playbook.steps).toEqual([
      { id: 'undo', action: 'scale', with: { namespace: 'payments', deployment: 'api', replicas: 3 } },
    ]);
  });

  it('names the later changes it cannot revert (an exec step) when it reverts an earlier one', () => {
    const actions = [
      record('A1', ['planned', 'applied', 'verified']),
      record('E1', ['planned', 'applied'], { action: 'exec', inverse: undefined }),
    ];
    const choice = chooseUndo(actions);
    expect(choice.record.actionId).toBe('A1');
    expect(choice.passedOver.map((a) => a.actionId)).toEqual(['E1']);
    expect(chooseUndo(actions, 'A1').passedOver).toEqual([]);
  });

  it('works as a stack: skips undone actions and the undo actions themselves', () => {
    const actions = [
      record('A1', ['planned', 'applied', 'verified']),
      record('A2', ['planned', 'applied', 'verified']),
      record('U1', ['planned', 'applied', 'undone'], { undoes: 'A2' }),
    ];
    expect(chooseUndo(actions).record.actionId).toBe('A1');
  });

  it('undoing an undo is a redo, and the redo is then the change inc undo reverts first', () => {
    const actions = [
      record('A1', ['planned', 'applied', 'verified']),
      record('A2', ['planned', 'applied', 'verified']),
      record('U1', ['planned', 'applied', 'undone'], { undoes: 'A2' }),
    ];
    expect(chooseUndo(actions, 'U1').record.actionId).toBe('U1');
    actions.push(record('R1', ['planned', 'applied', 'undone'], { undoes: 'U1' }));
    expect(isRevert(actions[2] as ActionRecord, actions)).toBe(true);
    expect(isRevert(actions[3] as ActionRecord, actions)).toBe(false);
    expect(chooseUndo(actions).record.actionId).toBe('R1');
  });

  it('skips plans that were never applied and dry runs', () => {
    const actions = [
      record('A1', ['planned', 'applied']),
      record('A2', ['planned']),
      record('A3', ['planned'], { dryRun: true }),
    ];
    expect(chooseUndo(actions).record.actionId).toBe('A1');
  });

  it('names the ids an unknown action id could have meant, newest first (the text log shows none)', () => {
    const actions = [
      record('A1', ['planned', 'applied']),
      record('P1', ['planned']),
      record('A2', ['planned', 'applied', 'verified']),
    ];
    let hint: string | undefined;
    try {
      chooseUndo(actions, 'A9');
    } catch (error) {
      hint = (error as { hint?: string }).hint;
    }
    expect(hint).toBe('changes applied in this incident, newest first: A2 (action A2), A1 (action A1)');
    expect(() => chooseUndo([record('P1', ['planned'])], 'A9')).toThrow('no action A9 in this incident');
  });

  it('explains what cannot be undone', () => {
    expect(() => chooseUndo([])).toThrow('no applied mitigation with an inverse is left to undo');
    expect(() => chooseUndo([record('A1', ['planned', 'applied'], { inverse: undefined })], 'A1')).toThrow(
      'it has no recorded inverse',
    );
    expect(() => chooseUndo([record('A1', ['planned'])], 'A1')).toThrow('was never applied');
    expect(() => chooseUndo([record('A1', ['planned', 'applied'])], 'A9')).toThrow('no action A9 in this incident');
  });
});

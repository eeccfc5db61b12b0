import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { performedActions } from '../../../src/incident/state.js';
import { eventsUntil, fixtureAction, loadFixtureEvents, projectIncident } from '../report/load-fixture.js';

const ID = 'INC-20260110-1400-checkout-errors';
const all = loadFixtureEvents('checkout-sev1');

function actionEvent(at: string, actionId: string, phase: string, extra: Record<string, unknown> = {}): IncidentEvent {
  const id = `01KAB9${at.replace(/\D/g, '').slice(-12)}${actionId.slice(-8)}`.slice(0, 26);
  return fixtureAction(id, at, { actionId, phase, summary: `summary of ${actionId}`, ...extra });
}

describe('the incident projection for reports', () => {
  it('follows the lifecycle: investigating, identified after a suspect, monitoring after a verified mitigation, resolved', () => {
    expect(projectIncident(ID, eventsUntil(all, '2026-01-10T14:02:00')).updateStatus).toBe('investigating');
    expect(projectIncident(ID, eventsUntil(all, '2026-01-10T14:03:00')).updateStatus).toBe('identified');
    expect(projectIncident(ID, eventsUntil(all, '2026-01-10T14:06:30')).updateStatus).toBe('identified');
    expect(projectIncident(ID, eventsUntil(all, '2026-01-10T14:08:00')).updateStatus).toBe('monitoring');
    expect(projectIncident(ID, all).updateStatus).toBe('resolved');
  });

  it('derives times, roles, actions and updates from the log', () => {
    const view = projectIncident(ID, all);
    expect(view.impactStartGiven).toBe(true);
    expect(view.times.impactStartedAt).toBe('2026-01-10T13:55:00.000Z');
    expect(view.times.declaredAt).toBe('2026-01-10T14:00:00.000Z');
    expect(view.times.resolvedAt).toBe('2026-01-10T14:20:00.000Z');
    expect(view.commander).toBe('alice');
    expect(Object.entries(view.roles)).toEqual([
      ['commander', 'alice'],
      ['scribe', 'bob'],
    ]);
    expect(performedActions(view)).toHaveLength(1);
    expect(performedActions(view)[0]).toMatchObject({ latestPhase: 'verified', playbook: 'rollback' });
    expect(performedActions(view)[0]?.firstAt).toBe('2026-01-10T14:06:00.000Z');
    expect(view.updates.map((update) => update.status)).toEqual(['identified', 'monitoring']);
  });

  it('ignores dry runs, and an undone mitigation takes the status back to identified', () => {
    const base = eventsUntil(all, '2026-01-10T14:05:00');
    const dry = projectIncident(ID, [...base, actionEvent('14:06:00', 'ACT-DRY-1', 'verified', { dryRun: true })]);
    expect(performedActions(dry)).toHaveLength(0);
    expect(dry.updateStatus).toBe('identified');

    const undone = projectIncident(ID, [
      ...base,
      actionEvent('14:06:00', 'ACT-00000001', 'verified'),
      actionEvent('14:07:00', 'ACT-00000002', 'verified', { undoes: 'ACT-00000001' }),
    ]);
    expect(performedActions(undone)[0]).toMatchObject({ latestPhase: 'verified', undoneBy: 'ACT-00000002' });
    expect(undone.updateStatus).toBe('identified');
  });

  it('lets an explicit status or update set the status, and reads events in time order', () => {
    const shuffled = [...eventsUntil(all, '2026-01-10T14:08:00')].reverse();
    const explicit: IncidentEvent = {
      v: 1,
      id: '01KAB9ZZZZZZZZZZZZZZZZZZZZ',
      at: '2026-01-10T14:09:00.000Z',
      type: 'status',
      actor: 'alice',
      data: { state: 'investigating', reason: 'errors came back' },
    };
    const view = projectIncident(ID, [...shuffled, explicit]);
    expect(view.events[0]?.type).toBe('declared');
    expect(view.updateStatus).toBe('investigating');
  });

  it('refuses a log without a declaration', () => {
    expect(() => projectIncident(ID, all.slice(1))).toThrow(/no "declared" event/);
  });
});

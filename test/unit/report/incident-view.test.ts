import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { buildIncidentView } from '../../../src/report/incident-view.js';
import { eventsUntil, loadFixtureEvents } from './load-fixture.js';

const ID = 'INC-20260110-1400-checkout-errors';
const all = loadFixtureEvents('checkout-sev1');

function actionEvent(at: string, actionId: string, phase: string, extra: Record<string, unknown> = {}): IncidentEvent {
  return {
    v: 1,
    id: `01KAB9${at.replace(/\D/g, '').slice(-12)}${actionId.slice(-8)}`.slice(0, 26),
    at: `2026-01-10T${at}.000Z`,
    type: 'action',
    actor: 'alice',
    data: {
      actionId,
      phase,
      action: 'rollout.undo',
      context: 'prod-eu',
      target: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      summary: `summary of ${actionId}`,
      ...extra,
    },
  } as IncidentEvent;
}

describe('buildIncidentView', () => {
  it('follows the lifecycle: investigating, identified after a suspect, monitoring after a verified mitigation, resolved', () => {
    expect(buildIncidentView(ID, eventsUntil(all, '2026-01-10T14:02:00')).status).toBe('investigating');
    expect(buildIncidentView(ID, eventsUntil(all, '2026-01-10T14:03:00')).status).toBe('identified');
    expect(buildIncidentView(ID, eventsUntil(all, '2026-01-10T14:06:30')).status).toBe('identified');
    expect(buildIncidentView(ID, eventsUntil(all, '2026-01-10T14:08:00')).status).toBe('monitoring');
    expect(buildIncidentView(ID, all).status).toBe('resolved');
  });

  it('derives times, roles, actions and updates from the log', () => {
    const view = buildIncidentView(ID, all);
    expect(view.impactStartedAt?.toISOString()).toBe('2026-01-10T13:55:00.000Z');
    expect(view.declaredAt.toISOString()).toBe('2026-01-10T14:00:00.000Z');
    expect(view.resolvedAt?.toISOString()).toBe('2026-01-10T14:20:00.000Z');
    expect(view.commander).toBe('alice');
    expect(view.roles).toEqual([
      { role: 'commander', name: 'alice' },
      { role: 'scribe', name: 'bob' },
    ]);
    expect(view.actions).toHaveLength(1);
    expect(view.actions[0]).toMatchObject({ phase: 'verified', playbook: 'rollback' });
    expect(view.actions[0]?.startedAt.toISOString()).toBe('2026-01-10T14:06:00.000Z');
    expect(view.updates.map((update) => update.status)).toEqual(['identified', 'monitoring']);
  });

  it('ignores dry runs, and an undone mitigation takes the status back to identified', () => {
    const base = eventsUntil(all, '2026-01-10T14:05:00');
    const dry = buildIncidentView(ID, [...base, actionEvent('14:06:00', 'ACT-DRY-1', 'verified', { dryRun: true })]);
    expect(dry.actions).toHaveLength(0);
    expect(dry.status).toBe('identified');

    const undone = buildIncidentView(ID, [
      ...base,
      actionEvent('14:06:00', 'ACT-00000001', 'verified'),
      actionEvent('14:07:00', 'ACT-00000002', 'verified', { undoes: 'ACT-00000001' }),
    ]);
    expect(undone.actions[0]).toMatchObject({ phase: 'verified', undoneBy: 'ACT-00000002' });
    expect(undone.status).toBe('identified');
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
    const view = buildIncidentView(ID, [...shuffled, explicit]);
    expect(view.events[0]?.type).toBe('declared');
    expect(view.status).toBe('investigating');
  });

  it('refuses a log without a declaration', () => {
    expect(() => buildIncidentView(ID, all.slice(1))).toThrow(/no "declared" event/);
  });
});

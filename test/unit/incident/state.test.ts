import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import type { EventDataMap, EventType, IncidentEvent } from '../../../src/incident/event.js';
import { deriveIncidentState } from '../../../src/incident/state.js';

/** Builds a scripted event sequence; each event at the given UTC time. */
function script() {
  const events: IncidentEvent[] = [];
  let n = 0;
  const add = <T extends EventType>(at: string, type: T, data: EventDataMap[T], actor = 'alice') => {
    n += 1;
    events.push({
      v: 1,
      id: `01EVENT${String(n).padStart(4, '0')}`,
      at: `2026-05-01T${at}Z`,
      type,
      actor,
      data,
    } as IncidentEvent);
    return add;
  };
  return { events, add };
}

const action = (
  actionId: string,
  phase: EventDataMap['action']['phase'],
  extra: Partial<EventDataMap['action']> = {},
) => ({
  actionId,
  phase,
  action: 'rollout.undo',
  context: 'prod-eu',
  namespace: 'payments',
  target: { kind: 'Deployment', namespace: 'payments', name: 'api' },
  summary: `roll back payments/api (${phase})`,
  ...extra,
});

describe('deriveIncidentState', () => {
  it('derives times and from→to metrics from a scripted sequence', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', {
      title: 'Checkout errors',
      severity: 'SEV2',
      services: ['checkout'],
      impactStartedAt: '2026-05-01T13:58:00.000Z',
    })(
      '14:07:00.000',
      'status',
      { state: 'acknowledged' },
      'bob',
    )('14:10:00.000', 'action', action('a1', 'planned'))(
      '14:11:00.000',
      'action',
      action('a1', 'applied', { inverse: { action: 'rollout.undo', toRevision: 4 } }),
    )('14:16:00.000', 'action', action('a1', 'verified'))('14:40:00.000', 'resolved', { summary: 'rolled back' });
    const clock = new FakeClock('2026-05-01T15:00:00Z');
    const state = deriveIncidentState(events, clock, { id: 'INC-1' });
    expect(state.times).toEqual({
      impactStartedAt: '2026-05-01T13:58:00.000Z',
      declaredAt: '2026-05-01T14:05:00.000Z',
      acknowledgedAt: '2026-05-01T14:07:00.000Z',
      mitigatedAt: '2026-05-01T14:16:00.000Z',
      resolvedAt: '2026-05-01T14:40:00.000Z',
    });
    const metrics = Object.fromEntries(state.metrics.map((m) => [m.key, [m.from, m.to, m.ms]]));
    expect(metrics).toEqual({
      timeToDeclare: ['impactStartedAt', 'declaredAt', 7 * 60_000],
      timeToAcknowledge: ['declaredAt', 'acknowledgedAt', 2 * 60_000],
      timeToMitigate: ['impactStartedAt', 'mitigatedAt', 18 * 60_000],
      timeToResolve: ['impactStartedAt', 'resolvedAt', 42 * 60_000],
    });
    expect(state.state).toBe('resolved');
    expect(state.open).toBe(false);
    expect(state.elapsedMs).toBe(42 * 60_000);
    expect(state.actions).toHaveLength(1);
    expect(state.actions[0]?.phases.map((p) => p.phase)).toEqual(['planned', 'applied', 'verified']);
    expect(state.actions[0]?.inverse).toEqual({ action: 'rollout.undo', toRevision: 4 });
    expect(state.resolution).toEqual({ summary: 'rolled back', at: '2026-05-01T14:40:00.000Z' });
  });

  it('keeps metrics open (null) while the incident runs, with elapsed time from impact start', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV3', services: [] });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T14:35:00Z'));
    expect(state.state).toBe('declared');
    expect(state.metrics.map((m) => m.ms)).toEqual([0, null, null, null]);
    expect(state.elapsedMs).toBe(30 * 60_000);
    expect(state.impactStartGiven).toBe(false);
  });

  it('uses back-dated status times and the earliest mitigation', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV3', services: [] })(
      '14:30:00.000',
      'action',
      action('a1', 'verified'),
    )('14:40:00.000', 'status', { state: 'mitigated', at: '2026-05-01T14:20:00.000Z' })('14:41:00.000', 'status', {
      state: 'acknowledged',
      at: '2026-05-01T14:06:00.000Z',
    });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T15:00:00Z'));
    expect(state.times.mitigatedAt).toBe('2026-05-01T14:20:00.000Z');
    expect(state.times.acknowledgedAt).toBe('2026-05-01T14:06:00.000Z');
    // A late acknowledgement does not move a mitigated incident back.
    expect(state.state).toBe('mitigated');
  });

  it('does not count dry runs or failed actions as mitigation, and links undos', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV3', services: [] })(
      '14:06:00.000',
      'action',
      action('a1', 'verified', { dryRun: true }),
    )('14:07:00.000', 'action', action('a2', 'failed', { error: 'conflict' }))(
      '14:08:00.000',
      'action',
      action('a3', 'applied'),
    )('14:09:00.000', 'action', action('a4', 'undone', { undoes: 'a3' }))(
      '14:10:00.000',
      'action',
      action('a4', 'verified', { undoes: 'a3' }),
    );
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T15:00:00Z'));
    expect(state.times.mitigatedAt).toBeUndefined();
    expect(state.actions.map((a) => [a.actionId, a.latestPhase])).toEqual([
      ['a1', 'verified'],
      ['a2', 'failed'],
      ['a3', 'applied'],
      ['a4', 'verified'],
    ]);
    expect(state.actions.find((a) => a.actionId === 'a2')?.error).toBe('conflict');
    expect(state.actions.find((a) => a.actionId === 'a3')?.undoneBy).toBe('a4');
  });

  it('tracks severity and role history, notes by kind and action items', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV3', commander: 'alice', services: [] })(
      '14:06:00.000',
      'severity',
      { from: 'SEV3', to: 'SEV1', reason: 'all regions' },
    )('14:07:00.000', 'role', { role: 'commander', name: 'bob', previous: 'alice' })('14:08:00.000', 'role', {
      role: 'scribe',
      name: 'carol',
    })('14:09:00.000', 'note', { text: 'seen 5xx', kind: 'note' })('14:10:00.000', 'note', {
      text: 'fail over at 14:30',
      kind: 'decision',
    })('14:11:00.000', 'note', { text: 'add alert', kind: 'action-item', owner: 'dan', itemType: 'prevent' });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T15:00:00Z'));
    expect(state.severity).toBe('SEV1');
    expect(state.severityHistory.map((s) => [s.from, s.to, s.reason])).toEqual([['SEV3', 'SEV1', 'all regions']]);
    expect(state.commander).toBe('bob');
    expect(state.roles).toEqual({ commander: 'bob', scribe: 'carol' });
    expect(state.roleHistory.map((r) => [r.role, r.previous, r.name])).toEqual([
      ['commander', 'alice', 'bob'],
      ['scribe', undefined, 'carol'],
    ]);
    expect(state.notes).toHaveLength(3);
    expect(state.decisions.map((d) => d.text)).toEqual(['fail over at 14:30']);
    expect(state.actionItems.map((d) => [d.text, d.owner, d.itemType])).toEqual([['add alert', 'dan', 'prevent']]);
  });

  it('computes the first update 5 minutes after declaring a SEV1, then from the cadence, and flags it overdue', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV1', services: [] });
    const clock = new FakeClock('2026-05-01T14:08:00Z');
    const severities = DEFAULT_SEVERITIES;
    let state = deriveIncidentState(events, clock, { severities });
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:10:00.000Z');
    expect(state.updateOverdue).toBe(false);
    clock.set('2026-05-01T14:21:00Z');
    expect(deriveIncidentState(events, clock, { severities }).updateOverdue).toBe(true);

    add('14:21:00.000', 'update', { status: 'investigating', format: 'slack', text: '…' });
    state = deriveIncidentState(events, clock, { severities });
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:36:00.000Z');
    add('14:22:00.000', 'update', {
      status: 'identified',
      format: 'slack',
      text: '…',
      nextUpdateAt: '2026-05-01T14:25:00.000Z',
    });
    state = deriveIncidentState(events, clock, { severities });
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:25:00.000Z');
    expect(state.lastUpdate?.status).toBe('identified');
  });

  it('counts an update Slack did not take for no cadence and no first-update target, until it is resent', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV1', services: [] });
    const clock = new FakeClock('2026-05-01T14:09:00Z');
    const severities = DEFAULT_SEVERITIES;
    const refused = {
      status: 'investigating',
      format: 'text',
      text: '…',
      nextUpdateAt: '2026-05-01T14:23:00.000Z',
      post: { to: 'slack', ok: false, error: 'HTTP 500' },
    };
    add('14:08:00.000', 'update', refused);
    let state = deriveIncidentState(events, clock, { severities });
    // Nobody read it: the first update is still due 5 minutes after the declaration, and not met.
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:10:00.000Z');
    expect(state.lastUpdate).toBeUndefined();
    expect(state.undeliveredUpdate?.eventId).toBe('01EVENT0002');
    expect(state.updates).toHaveLength(1);
    expect(state.targets.find((t) => t.target === 'first-update')?.metAt).toBeUndefined();
    clock.set('2026-05-01T14:12:00Z');
    expect(deriveIncidentState(events, clock, { severities }).updateOverdue).toBe(true);

    add('14:12:00.000', 'update', { ...refused, post: { to: 'slack', ok: true }, resends: '01EVENT0002' });
    state = deriveIncidentState(events, clock, { severities });
    expect(state.undeliveredUpdate).toBeUndefined();
    expect(state.lastUpdate?.at).toBe('2026-05-01T14:12:00.000Z');
    // Resent unchanged, it keeps the next-update time its text promises.
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:23:00.000Z');
    expect(state.targets.find((t) => t.target === 'first-update')?.metAt).toBe('2026-05-01T14:12:00.000Z');
  });

  it('counts an update recorded without posting (printed to paste) as sent', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV1', services: [] })('14:08:00.000', 'update', {
      status: 'investigating',
      format: 'text',
      text: '…',
    });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T14:09:00Z'), {
      severities: DEFAULT_SEVERITIES,
    });
    expect(state.lastUpdate?.at).toBe('2026-05-01T14:08:00.000Z');
    expect(state.undeliveredUpdate).toBeUndefined();
  });

  it('has no update due for a severity without cadence or once resolved', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV4', services: [] });
    expect(
      deriveIncidentState(events, new FakeClock('2026-05-01T18:00:00Z'), { severities: DEFAULT_SEVERITIES })
        .nextUpdateDueAt,
    ).toBeUndefined();
  });

  it('orders events by time, whatever order the file holds them in (merged copies)', () => {
    const { events, add } = script();
    add('14:05:00.000', 'declared', { title: 'x', severity: 'SEV3', services: [] })('14:20:00.000', 'severity', {
      to: 'SEV2',
    })('14:10:00.000', 'severity', { to: 'SEV1' });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T15:00:00Z'));
    expect(state.severity).toBe('SEV2');
  });
});

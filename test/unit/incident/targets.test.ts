import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import { addBusinessDays } from '../../../src/incident/business-days.js';
import { planEscalation, toEngageAfterRaise } from '../../../src/incident/escalate.js';
import type { EventDataMap, EventType, IncidentEvent } from '../../../src/incident/event.js';
import { advisePostmortem } from '../../../src/incident/postmortem-advice.js';
import { deriveIncidentState } from '../../../src/incident/state.js';

/** Events at given UTC times of Friday 2026-05-01. */
function script() {
  const events: IncidentEvent[] = [];
  const add = <T extends EventType>(at: string, type: T, data: EventDataMap[T]) => {
    events.push({
      v: 1,
      id: `01E${events.length}`,
      at: `2026-05-01T${at}Z`,
      type,
      actor: 'alice',
      data,
    } as IncidentEvent);
  };
  return { events, add };
}

const options = { severities: DEFAULT_SEVERITIES, timeBoxMinutes: 30 };
const outcomes = (events: IncidentEvent[], now: string) =>
  Object.fromEntries(
    deriveIncidentState(events, new FakeClock(now), options).targets.map((t) => [
      t.target,
      [t.dueAt.slice(11, 16), t.outcome],
    ]),
  );

describe('response targets in the projection', () => {
  it('counts down a P1’s acknowledge, response, first update and MTTR goal from the declaration', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'site down', severity: 'SEV1', services: [] });
    expect(outcomes(events, '2026-05-01T14:03:00Z')).toEqual({
      acknowledge: ['14:05', 'pending'],
      respond: ['14:05', 'pending'],
      'first-update': ['14:05', 'pending'],
      resolve: ['15:00', 'pending'],
    });
    expect(outcomes(events, '2026-05-01T14:06:00Z')).toMatchObject({
      acknowledge: ['14:05', 'missed'],
      'first-update': ['14:05', 'missed'],
      resolve: ['15:00', 'pending'],
    });
  });

  it('marks a target met in time, and missed when met late', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'payments failing', severity: 'SEV2', services: [] });
    add('14:04:00.000', 'status', { state: 'acknowledged' });
    add('14:09:00.000', 'update', { status: 'investigating', format: 'slack', text: '…' });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T14:20:00Z'), options);
    expect(state.targets.map((t) => [t.target, t.outcome, t.metAt?.slice(11, 16)])).toEqual([
      ['acknowledge', 'met', '14:04'],
      ['respond', 'met', '14:09'],
      ['first-update', 'missed', '14:09'],
    ]);
  });

  it('asks for a postmortem 5 business days after a P2 is resolved, and keeps it missing until written', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'payments failing', severity: 'SEV2', services: [] });
    add('15:00:00.000', 'resolved', {});
    const later = deriveIncidentState(events, new FakeClock('2026-06-30T00:00:00Z'), options);
    expect(later.targets.at(-1)).toEqual({
      target: 'postmortem',
      dueAt: '2026-05-08T15:00:00.000Z',
      outcome: 'missed',
    });
    expect(later.postmortemMissing).toBe(true);
    add('16:00:00.000', 'postmortem', { path: 'postmortem.md' });
    const written = deriveIncidentState(events, new FakeClock('2026-06-30T00:00:00Z'), options);
    expect(written.postmortemMissing).toBe(false);
    expect(written.targets.at(-1)?.outcome).toBe('met');
  });

  it('judges a target under the severity in force until it was met: a later change does not judge it again', () => {
    const lowered = script();
    lowered.add('14:00:00.000', 'declared', { title: 'site down', severity: 'SEV1', services: [] });
    lowered.add('14:10:00.000', 'status', { state: 'acknowledged' });
    lowered.add('14:12:00.000', 'severity', { from: 'SEV1', to: 'SEV3' });
    // Acknowledged at 14:10 under SEV1 (due 14:05): missed, though SEV3 would allow 15 minutes.
    expect(outcomes(lowered.events, '2026-05-01T14:20:00Z').acknowledge).toEqual(['14:05', 'missed']);

    const raised = script();
    raised.add('14:00:00.000', 'declared', { title: 'api slow', severity: 'SEV3', services: [] });
    raised.add('14:10:00.000', 'status', { state: 'acknowledged' });
    raised.add('14:12:00.000', 'severity', { from: 'SEV3', to: 'SEV1' });
    // Acknowledged in time under SEV3; SEV1's first update and resolve goal count from the raise.
    expect(outcomes(raised.events, '2026-05-01T14:14:00Z')).toMatchObject({
      acknowledge: ['14:15', 'met'],
      'first-update': ['14:17', 'pending'],
      resolve: ['15:12', 'pending'],
    });
  });

  it('brings a pending deadline forward on a raise, from the raise, and pushes it back on a lowering', () => {
    const raised = script();
    raised.add('14:00:00.000', 'declared', { title: 'checkout errors', severity: 'SEV2', services: [] });
    raised.add('14:04:00.000', 'update', {
      status: 'investigating',
      format: 'slack',
      text: '…',
      nextUpdateAt: '2026-05-01T14:34:00.000Z',
    });
    raised.add('14:10:00.000', 'severity', { from: 'SEV2', to: 'SEV1' });
    // SEV2's 30 minutes promised 14:34; SEV1's 15 from the raise come first.
    const state = deriveIncidentState(raised.events, new FakeClock('2026-05-01T14:11:00Z'), options);
    expect(state.nextUpdateDueAt).toBe('2026-05-01T14:25:00.000Z');

    const lowered = script();
    lowered.add('14:00:00.000', 'declared', { title: 'checkout errors', severity: 'SEV1', services: [] });
    lowered.add('14:02:00.000', 'severity', { from: 'SEV1', to: 'SEV3' });
    // SEV1's 5-minute acknowledgement becomes SEV3's 15, from the declaration.
    expect(outcomes(lowered.events, '2026-05-01T14:03:00Z').acknowledge).toEqual(['14:15', 'pending']);
  });

  it('counts nothing missed of an incident resolved before a target fell due', () => {
    const { events, add } = script();
    add('12:00:00.000', 'declared', { title: 'flapping alert', severity: 'SEV3', services: [] });
    add('12:10:00.000', 'resolved', { falsePositive: true });
    // SEV3: acknowledge by 12:15, respond by 14:00; resolved at 12:10 without either.
    expect(outcomes(events, '2026-05-01T15:00:00Z')).toEqual({});
  });

  it('counts the response from when a status recorded later says it happened', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'payments failing', severity: 'SEV2', services: [] });
    add('14:20:00.000', 'status', { state: 'mitigated', at: '2026-05-01T14:08:00.000Z' });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T14:21:00Z'), options);
    expect(state.targets.find((t) => t.target === 'respond')).toMatchObject({
      outcome: 'met',
      metAt: '2026-05-01T14:08:00.000Z',
    });
  });

  it('names whom a raise to P1 engages that nobody engaged yet, and nobody after a lowering', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'search slow', severity: 'SEV3', services: [] });
    add('14:02:00.000', 'escalation', { severity: 'SEV3', to: ['on-call'] });
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T14:05:00Z'), options);
    expect(toEngageAfterRaise({ from: 'SEV3', to: 'SEV1' }, state, DEFAULT_SEVERITIES)).toEqual([
      'engineering-manager',
      'vp',
    ]);
    expect(toEngageAfterRaise({ from: 'SEV3', to: 'SEV2' }, state, DEFAULT_SEVERITIES)).toEqual([
      'engineering-manager',
    ]);
    expect(toEngageAfterRaise({ from: 'SEV1', to: 'SEV3' }, state, DEFAULT_SEVERITIES)).toEqual([]);
  });

  it('still asks for the postmortem of a P1 lowered to P3 once mitigated', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'payments down', severity: 'SEV1', services: [] });
    add('14:30:00.000', 'status', { state: 'mitigated' });
    add('14:35:00.000', 'severity', { from: 'SEV1', to: 'SEV3', reason: 'mitigated, monitoring' });
    add('16:00:00.000', 'resolved', {});
    const state = deriveIncidentState(events, new FakeClock('2026-05-02T00:00:00Z'), options);
    expect(state.targets.at(-1)).toEqual({
      target: 'postmortem',
      dueAt: '2026-05-08T16:00:00.000Z',
      outcome: 'pending',
    });
    expect(state.postmortemMissing).toBe(true);
    expect(advisePostmortem(state, DEFAULT_SEVERITIES)).toMatchObject({
      kind: 'required',
      severity: 'SEV3',
      requiredBy: 'SEV1',
      withinBusinessDays: 5,
    });
  });

  it('counts a P3’s response in business hours: declared Friday evening, due Monday morning', () => {
    const { events, add } = script();
    // Friday 2026-05-01 18:30 UTC, after the working day.
    add('18:30:00.000', 'declared', { title: 'slow search', severity: 'SEV3', services: [] });
    const utc = DEFAULT_SEVERITIES.map((s) =>
      s.responseBusinessHours ? { ...s, responseBusinessHours: { ...s.responseBusinessHours, timeZone: 'UTC' } } : s,
    );
    const state = deriveIncidentState(events, new FakeClock('2026-05-02T09:00:00Z'), { ...options, severities: utc });
    expect(state.targets.find((t) => t.target === 'respond')).toMatchObject({
      dueAt: '2026-05-04T11:00:00.000Z',
      outcome: 'pending',
      businessHours: true,
    });
    // The acknowledgement is 24/7.
    expect(state.targets.find((t) => t.target === 'acknowledge')).toMatchObject({
      dueAt: '2026-05-01T18:45:00.000Z',
      outcome: 'missed',
    });
  });

  it('requires no postmortem and sets no countdown for a P4', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'typo', severity: 'SEV4', services: [] });
    add('15:00:00.000', 'resolved', {});
    const state = deriveIncidentState(events, new FakeClock('2026-05-01T16:00:00Z'), options);
    expect(state.targets).toEqual([]);
    expect(state.postmortemMissing).toBe(false);
  });
});

describe('the time-box', () => {
  it('is exceeded after 30 minutes without a mitigation and names the rollback triage suggested', () => {
    const { events, add } = script();
    add('14:00:00.000', 'declared', { title: 'errors', severity: 'SEV2', services: [] });
    const command = 'inc run rollback --set namespace=payments --set deployment=api';
    add('14:10:00.000', 'triage', {
      context: 'prod',
      namespaces: 'all',
      summary: { critical: 1, warning: 0, info: 0 },
      headline: '1 critical',
      findings: [{ id: 'f', severity: 'critical', title: 'crash', suggestion: { playbook: 'rollback', command } }],
      suspects: [],
    });
    expect(deriveIncidentState(events, new FakeClock('2026-05-01T14:29:00Z'), options).timeBox?.exceeded).toBe(false);
    const over = deriveIncidentState(events, new FakeClock('2026-05-01T14:31:00Z'), options).timeBox;
    expect(over).toEqual({
      minutes: 30,
      endsAt: '2026-05-01T14:30:00.000Z',
      exceeded: true,
      rollback: { playbook: 'rollback', command },
    });
    add('14:32:00.000', 'status', { state: 'mitigated' });
    expect(deriveIncidentState(events, new FakeClock('2026-05-01T14:40:00Z'), options).timeBox?.exceeded).toBe(false);
  });
});

describe('addBusinessDays', () => {
  it('skips Saturdays and Sundays', () => {
    expect(addBusinessDays('2026-05-01T15:00:00.000Z', 5)).toBe('2026-05-08T15:00:00.000Z');
    expect(addBusinessDays('2026-05-02T10:00:00.000Z', 1)).toBe('2026-05-04T10:00:00.000Z');
    expect(addBusinessDays('2026-05-04T10:00:00.000Z', 4)).toBe('2026-05-08T10:00:00.000Z');
  });
});

describe('planEscalation', () => {
  const open = { severity: 'SEV2', open: true };
  it('engages the current severity’s list by default', () => {
    expect(planEscalation(open, DEFAULT_SEVERITIES, { to: [] })).toEqual({
      severity: 'SEV2',
      to: ['on-call', 'engineering-manager'],
    });
  });

  it('raises to a higher level and engages its list, plus named people', () => {
    expect(
      planEscalation(open, DEFAULT_SEVERITIES, { level: 'SEV1', to: ['bob', 'vp'], reason: 'all regions' }),
    ).toEqual({
      severity: 'SEV1',
      raise: { from: 'SEV2', to: 'SEV1' },
      to: ['on-call', 'engineering-manager', 'vp', 'bob'],
      reason: 'all regions',
    });
    expect(planEscalation(open, DEFAULT_SEVERITIES, { level: 'SEV3', to: [] }).raise).toBeUndefined();
  });

  it('engages only the named people with --to and no level', () => {
    expect(planEscalation(open, DEFAULT_SEVERITIES, { to: ['database'] })).toEqual({ to: ['database'] });
  });

  it('refuses a resolved incident and an empty list', () => {
    expect(() => planEscalation({ severity: 'SEV2', open: false }, DEFAULT_SEVERITIES, { to: [] })).toThrow(/resolved/);
    const bare = [{ name: 'X', updateCadenceMinutes: null }];
    expect(() => planEscalation({ severity: 'X', open: true }, bare, { to: [] })).toThrow(/no escalation list/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { renderStatus, type TextStyle } from '../../../src/incident/render.js';
import { deriveIncidentState } from '../../../src/incident/state.js';

// Local times are printed: pin the zone.
let previousTz: string | undefined;
beforeAll(() => {
  previousTz = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const plain: TextStyle = {
  bold: (t) => t,
  dim: (t) => t,
  error: (t) => `!${t}!`,
  warn: (t) => t,
  ok: (t) => t,
  cmd: (t) => t,
  heading: (t) => t,
};

const at = (time: string) => `2026-05-01T${time}.000Z`;
const action = (id: string, time: string, actionId: string, phase: string, summary: string, extra = {}) =>
  ({
    v: 1,
    id,
    at: at(time),
    type: 'action',
    actor: 'alice',
    data: {
      actionId,
      phase,
      action: 'rollout.undo',
      context: 'prod',
      target: { kind: 'Deployment', name: 'api' },
      summary,
      ...extra,
    },
  }) as IncidentEvent;

const declared = (severity: string, services: string[]) =>
  ({
    v: 1,
    id: '1',
    at: at('14:00:00'),
    type: 'declared',
    actor: 'alice',
    data: { title: 'Checkout errors', severity, services },
  }) as IncidentEvent;

describe('renderStatus', () => {
  it('shows the last real actions with their outcome, and an overdue update in the error style', () => {
    const events: IncidentEvent[] = [
      declared('SEV1', ['checkout']),
      action('2', '14:05:00', 'a1', 'planned', 'roll back payments/api', { dryRun: true }),
      action('3', '14:06:00', 'a2', 'failed', 'scale payments/api to 6'),
      action('4', '14:07:00', 'a3', 'verified', 'roll back payments/api to revision 3'),
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'complete outage', plain).join('\n');
    expect(text).toContain('INC-1  Checkout errors');
    expect(text).toMatch(/State: +mitigated/);
    // SEV1: the first update is due 5 minutes after the declaration.
    expect(text).toContain('Next update: !OVERDUE by 25m (was due 14:05; inc update)!');
    // In another zone the local time comes with the UTC one the posted update states.
    process.env.TZ = 'Asia/Kolkata';
    try {
      const early = new FakeClock(at('14:02:00'));
      const kolkata = deriveIncidentState(events, early, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
      expect(renderStatus(kolkata, events, early.now(), 'complete outage', plain).join('\n')).toContain(
        'Next update: due 19:35 (14:05 UTC) (in 3m)',
      );
    } finally {
      process.env.TZ = 'UTC';
    }
    expect(text).toContain('acknowledge the page  !MISSED: due 14:05, 25m ago; inc ack!');
    expect(text).toContain('response under way    !MISSED: done at 14:06, 1m after 14:05!');
    expect(text).toContain('resolve (MTTR goal)   due 15:00 (in 30m)');
    // Only what reached the cluster is an action; the failed attempt is listed apart, saying it changed nothing.
    expect(text).toContain('Last actions (1)\n  14:07  verified  roll back payments/api to revision 3 (a3)');
    expect(text).toContain(
      'Attempts that changed nothing (1)\n  14:06  failed before applying  scale payments/api to 6 (a2)',
    );
    expect(text).not.toContain('(a1)');
    expect(text).toMatch(/time to mitigate +impact started → mitigated +7m/);
  });

  it('says the last update was not delivered, how to resend it, and keeps the update due as before', () => {
    const update = (id: string, time: string, post: object, extra = {}) =>
      ({
        v: 1,
        id,
        at: at(time),
        type: 'update',
        actor: 'alice',
        data: { status: 'investigating', format: 'slack', text: '…', nextUpdateAt: at('14:48:00'), post, ...extra },
      }) as IncidentEvent;
    const escalation = {
      v: 1,
      id: '4',
      at: at('14:04:00'),
      type: 'escalation',
      actor: 'alice',
      data: { to: ['dba'], page: { to: 'page-webhook', ok: false, error: 'HTTP 503' } },
    } as IncidentEvent;
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      update('2', '14:03:00', { to: 'slack', ok: false, error: 'HTTP 500' }),
      escalation,
    ];
    const clock = new FakeClock(at('14:10:00'));
    let state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    let text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).toContain('Next update: !OVERDUE by 5m (was due 14:05; inc update)!');
    expect(text).toContain(
      'Last update: !investigating update of 14:03 NOT DELIVERED: not delivered to Slack (HTTP 500), so not counted as sent; ' +
        'resend it: inc update --resend --incident INC-1, or post a new one: inc update --post --incident INC-1!',
    );
    expect(text).toContain('Escalated:   dba (page failed, HTTP 503)');
    events.push(update('5', '14:11:00', { to: 'slack', ok: true }, { resends: '2' }));
    state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).not.toContain('Last update:');
    expect(text).toContain('Next update: due 14:48');
  });

  it('names the context of each action when the incident spans several, as after a fleet triage', () => {
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      action('2', '14:05:00', 'a1', 'verified', 'roll back payments/api to revision 3', { context: 'eu-west' }),
      action('3', '14:06:00', 'a2', 'verified', 'cordon node-2', { context: 'ap-south' }),
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).toContain(
      'Last actions (2)\n  14:05  verified  eu-west: roll back payments/api to revision 3 (a1)\n' +
        '  14:06  verified  ap-south: cordon node-2 (a2)',
    );
  });

  it('says whom an action acted as when it impersonated (--as)', () => {
    const actingAs = { user: 'oncall-admin', groups: ['sre'] };
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      action('2', '14:05:00', 'a1', 'verified', 'roll back payments/api to revision 3', { actingAs }),
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).toContain(
      '14:05  verified  roll back payments/api to revision 3 (as oncall-admin with groups sre) (a1)',
    );
  });

  it('counts in "Last actions" what it lists, and says how many there were in all', () => {
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      ...[1, 2, 3, 4, 5].map((n) => action(`e${n}`, `14:0${n}:00`, `a${n}`, 'verified', `scale payments/api to ${n}`)),
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).toContain('Last actions (3 of 5)');
    expect(text.match(/scale payments\/api to \d \(a\d\)/g)).toEqual([
      'scale payments/api to 3 (a3)',
      'scale payments/api to 4 (a4)',
      'scale payments/api to 5 (a5)',
    ]);
  });

  it('never lists a stopped, declined, planned-only or dry-run attempt as an action', () => {
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      action('2', '14:01:00', 'a1', 'planned', 'scale payments/api to 0', { dryRun: true }),
      action('3', '14:02:00', 'a2', 'planned', 'scale payments/api to 9'),
      action('4', '14:02:30', 'a2', 'stopped', 'scale payments/api to 9: stopped at step "scale": not confirmed'),
      action('5', '14:03:00', 'a3', 'planned', 'restart payments/api'),
      action('6', '14:04:00', 'a4', 'planned', 'set the image of api'),
      action('7', '14:04:10', 'a4', 'applied', 'set the image of api'),
      action('8', '14:09:10', 'a4', 'failed', 'set the image of api', { error: 'verification: timed out' }),
      action('9', '14:10:00', 'a5', 'planned', 'scale payments/worker to 3'),
      action('10', '14:10:30', 'a5', 'failed', 'scale payments/worker to 3', {
        error: 'scale payments/worker to 3: outcome unknown (the answer was lost: socket hang up)',
      }),
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    const [applied, attempts] = text.split('Attempts that changed nothing');
    expect(applied).toContain('Last actions (1)\n  14:09  !applied, verification failed!  set the image of api (a4)');
    expect(applied).not.toMatch(/\(a[1235]\)/);
    expect(attempts).toContain(' (2)\n');
    expect(attempts).toContain('14:02  stopped before applying  scale payments/api to 9: stopped at step');
    expect(attempts).toContain('14:10  outcome unknown  scale payments/worker to 3 (a5)');
    // A plan with nothing after it, and a dry run, are no attempt at all.
    expect(text).not.toContain('(a1)');
    expect(text).not.toContain('(a3)');
  });

  it('shows a long note, update or summary shortened, with how to see it whole', () => {
    const pasted = Array.from({ length: 200 }, (_, i) => `2026-05-01T14:0${i % 10}:00Z ERROR payment ${i} failed`);
    const long = `the cache ${'x'.repeat(400)} end`;
    const note = (id: string, text: string, kind = 'note') =>
      ({ v: 1, id, at: at('14:10:00'), type: 'note', actor: 'alice', data: { kind, text } }) as IncidentEvent;
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      note('2', pasted.join('\n')),
      note('3', long),
      note('4', `TODO: ${pasted.slice(0, 3).join('\n')}`, 'action-item'),
      {
        v: 1,
        id: '5',
        at: at('14:12:00'),
        type: 'update',
        actor: 'alice',
        data: { status: 'identified', format: 'slack', text: 'x', message: pasted.slice(0, 2).join('\n') },
      } as IncidentEvent,
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const lines = renderStatus(state, events, clock.now(), 'degraded', plain, {
      logCommand: 'inc log --incident INC-1',
    });
    const text = lines.join('\n');
    expect(text).not.toContain('payment 1 failed');
    expect(text).not.toContain('payment 199 failed');
    expect(text).toContain(`note: ${pasted[0]}… (+199 lines; inc log --incident INC-1 shows it whole)`);
    expect(text).toContain('note: the cache xxx');
    expect(text).toContain('… (inc log --incident INC-1 shows it whole)');
    expect(text).toContain('(+1 line; inc log --incident INC-1 shows it whole)');
    expect(text).toContain(`  - TODO: ${pasted[0]}… (+2 lines; inc log --incident INC-1 shows it whole)`);
    // Each of them one line of a sensible width.
    for (const line of lines) expect(line.length, line).toBeLessThan(200);
    // The log itself keeps them whole.
    expect(state.notes[0]?.text).toBe(pasted.join('\n'));
  });

  it('leaves a note that fits as it is', () => {
    const events: IncidentEvent[] = [
      declared('SEV2', []),
      {
        v: 1,
        id: '2',
        at: at('14:10:00'),
        type: 'note',
        actor: 'alice',
        data: { kind: 'note', text: 'api pods OOM' },
      } as IncidentEvent,
    ];
    const clock = new FakeClock(at('14:30:00'));
    const state = deriveIncidentState(events, clock, { id: 'INC-1', severities: DEFAULT_SEVERITIES });
    const text = renderStatus(state, events, clock.now(), 'degraded', plain).join('\n');
    expect(text).toMatch(/alice {2}note: api pods OOM$/m);
    expect(text).not.toContain('shows it whole');
  });
});

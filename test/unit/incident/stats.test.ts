import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { median } from '../../../src/incident/metrics.js';
import { renderStats } from '../../../src/incident/render-stats.js';
import { deriveIncidentState } from '../../../src/incident/state.js';
import { computeIncidentStats } from '../../../src/incident/stats.js';
import type { TextStyle } from '../../../src/incident/text-style.js';
import { DEFAULT_SEVERITIES } from '../../../src/severity-table.js';

const same = (text: string) => text;
const plainStyle: TextStyle = { bold: same, dim: same, error: same, warn: same, ok: same, cmd: same, heading: same };

const MIN = 60_000;

/** An incident declared at `declared` with ack/mitigate/resolve offsets in minutes (impact 5 min earlier). */
function incident(severity: string, declared: string, ack?: number, mitigated?: number, resolved?: number) {
  const base = Date.parse(declared);
  const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
  const events: IncidentEvent[] = [
    {
      v: 1,
      id: `${declared}-d`,
      at: at(0),
      type: 'declared',
      actor: 'a',
      data: { title: 't', severity, services: [], impactStartedAt: at(-5) },
    },
  ];
  if (ack !== undefined)
    events.push({
      v: 1,
      id: `${declared}-a`,
      at: at(ack),
      type: 'status',
      actor: 'a',
      data: { state: 'acknowledged' },
    });
  if (mitigated !== undefined)
    events.push({
      v: 1,
      id: `${declared}-m`,
      at: at(mitigated),
      type: 'status',
      actor: 'a',
      data: { state: 'mitigated' },
    });
  if (resolved !== undefined)
    events.push({ v: 1, id: `${declared}-r`, at: at(resolved), type: 'resolved', actor: 'a', data: {} });
  return deriveIncidentState(events, new FakeClock('2026-05-20T00:00:00Z'));
}

describe('computeIncidentStats', () => {
  it('counts an incident under the highest severity it held: a SEV1 lowered to SEV3 once mitigated', () => {
    const events: IncidentEvent[] = [
      {
        v: 1,
        id: 'd',
        at: '2026-05-04T10:00:00.000Z',
        type: 'declared',
        actor: 'a',
        data: { title: 'payments down', severity: 'SEV1', services: [] },
      },
      {
        v: 1,
        id: 's',
        at: '2026-05-04T10:35:00.000Z',
        type: 'severity',
        actor: 'a',
        data: { from: 'SEV1', to: 'SEV3' },
      },
      { v: 1, id: 'r', at: '2026-05-04T12:00:00.000Z', type: 'resolved', actor: 'a', data: {} },
    ];
    const lowered = deriveIncidentState(events, new FakeClock('2026-05-20T00:00:00Z'));
    const stats = computeIncidentStats(
      [lowered, incident('SEV3', '2026-05-05T10:00:00Z', 2, 20, 40)],
      new Date('2026-05-20T00:00:00Z'),
      { severityOrder: ['SEV1', 'SEV2', 'SEV3'] },
    );
    expect(stats.bySeverity.map((s) => [s.severity, s.incidents])).toEqual([
      ['SEV1', 1],
      ['SEV3', 1],
    ]);
  });

  it('summarises median, mean and worst per severity, in the configured order', () => {
    const states = [
      incident('SEV2', '2026-05-01T10:00:00Z', 2, 20, 40),
      incident('SEV1', '2026-05-04T10:00:00Z', 1, 10, 30),
      incident('SEV2', '2026-05-05T10:00:00Z', 4, 30, 60),
      incident('SEV2', '2026-05-12T10:00:00Z', 6),
    ];
    const stats = computeIncidentStats(states, new Date('2026-05-20T00:00:00Z'), {
      severityOrder: ['SEV1', 'SEV2', 'SEV3'],
    });
    expect(stats.total).toBe(4);
    expect(stats.open).toBe(1);
    expect(stats.bySeverity.map((s) => [s.severity, s.incidents, s.open])).toEqual([
      ['SEV1', 1, 0],
      ['SEV2', 3, 1],
    ]);
    const sev2 = Object.fromEntries(
      stats.bySeverity[1]?.metrics.map((m) => [m.key, [m.count, m.medianMs, m.meanMs, m.worstMs]]) ?? [],
    );
    expect(sev2.timeToAcknowledge).toEqual([3, 4 * MIN, 4 * MIN, 6 * MIN]);
    // Mitigate and resolve are measured from impact start, five minutes before the declaration.
    expect(sev2.timeToMitigate).toEqual([2, 30 * MIN, 30 * MIN, 35 * MIN]);
    expect(sev2.timeToResolve).toEqual([2, 55 * MIN, 55 * MIN, 65 * MIN]);
    expect(sev2.timeToDeclare).toEqual([3, 5 * MIN, 5 * MIN, 5 * MIN]);
    // Weeks from Monday 2026-04-27 to the week of 2026-05-18: four weeks.
    expect(stats.perWeek).toEqual([
      { weekOf: '2026-04-27', incidents: 1 },
      { weekOf: '2026-05-04', incidents: 2 },
      { weekOf: '2026-05-11', incidents: 1 },
      { weekOf: '2026-05-18', incidents: 0 },
    ]);
    // Four incidents from 2026-05-01 10:00 to 2026-05-20: 18.6 days, 2.65 weeks (not the 4 calendar weeks touched).
    expect(stats.averagePerWeek).toBe(1.51);
  });

  it('filters by --since and handles no incidents', () => {
    const states = [incident('SEV3', '2026-05-01T10:00:00Z'), incident('SEV3', '2026-05-15T10:00:00Z')];
    const stats = computeIncidentStats(states, new Date('2026-05-20T00:00:00Z'), {
      since: new Date('2026-05-10T00:00:00Z'),
    });
    expect(stats.total).toBe(1);
    // Ten days make 1.43 weeks: one incident is 0.7 a week.
    expect(stats.averagePerWeek).toBe(0.7);
    expect(renderStats(stats, plainStyle)[0]).toBe('1 incident (1 open) since 2026-05-10; times are median / worst');
    // `--since 2d` starts mid-day: the time is said, so an incident earlier that day is not expected in.
    const midDay = computeIncidentStats(states, new Date('2026-05-20T00:00:00Z'), {
      since: new Date('2026-05-15T14:30:00Z'),
    });
    expect(midDay.total).toBe(0);
    expect(renderStats({ ...stats, since: midDay.since }, plainStyle)[0]).toContain('since 2026-05-15 14:30 UTC');
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('the targets beside the figures', () => {
  const now = new FakeClock('2026-05-20T00:00:00Z');
  const options = { severities: DEFAULT_SEVERITIES };
  /** A SEV1 declared at `declared`, acknowledged and resolved after the given minutes, with or without a postmortem. */
  function sev1(declared: string, ack: number, resolved: number, postmortem: boolean) {
    const base = Date.parse(declared);
    const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
    const event = (suffix: string, minutes: number, type: string, data: object) =>
      ({ v: 1, id: `${declared}-${suffix}`, at: at(minutes), type, actor: 'a', data }) as IncidentEvent;
    const events = [
      event('d', 0, 'declared', { title: 't', severity: 'SEV1', services: [] }),
      event('a', ack, 'status', { state: 'acknowledged' }),
      event('r', resolved, 'resolved', {}),
      ...(postmortem ? [event('p', resolved + 60, 'postmortem', { path: 'postmortem.md' })] : []),
    ];
    return deriveIncidentState(events, now, options);
  }

  it('counts each target met or missed per severity, with the MTTA and MTTR goals and postmortem completion', () => {
    const states = [
      sev1('2026-05-01T10:00:00Z', 3, 40, true),
      sev1('2026-05-04T10:00:00Z', 9, 90, false),
      sev1('2026-05-05T10:00:00Z', 4, 50, false),
    ];
    const stats = computeIncidentStats(states, now.now(), { severityOrder: ['SEV1'], severities: DEFAULT_SEVERITIES });
    const targets = stats.bySeverity[0]?.targets;
    expect(targets).toMatchObject({
      countedFrom: 'declaredAt',
      acknowledgeTargetMinutes: 5,
      acknowledgeMedianMs: 4 * MIN,
      resolveTargetMinutes: 60,
      resolveMedianMs: 50 * MIN,
    });
    expect(targets?.tallies.find((t) => t.target === 'acknowledge')).toEqual({
      target: 'acknowledge',
      met: 2,
      missed: 1,
      pending: 0,
      metPercent: 67,
    });
    expect(targets?.tallies.find((t) => t.target === 'resolve')).toMatchObject({ met: 2, missed: 1 });
    expect(targets?.postmortems).toEqual({ required: 3, written: 1, percent: 33 });
    const text = renderStats(stats, plainStyle).join('\n');
    expect(text).toMatch(/^SEV1 +4m \/ 5m +2 of 3 \(67%\) .*50m \/ 1h00m +2 of 3 \(67%\) +1 of 3 \(33%\)$/m);
  });
});

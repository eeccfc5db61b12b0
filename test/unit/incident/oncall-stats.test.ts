import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { describeMetrics } from '../../../src/incident/metric-report.js';
import { computeOncallStats } from '../../../src/incident/oncall-stats.js';
import { deriveIncidentState } from '../../../src/incident/state.js';

const MIN = 60_000;
const NOW = '2026-05-31T00:00:00Z';

interface PageOptions {
  alert?: string;
  /** Minutes from the alert to the acknowledgement. */
  ackAfter?: number;
  resolved?: boolean;
  falsePositive?: boolean;
}

/** An incident declared at `declared`, from an alert that fired two minutes before (impact five before). */
function page(declared: string, options: PageOptions = {}) {
  const base = Date.parse(declared);
  const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
  const event = (id: string, minutes: number, rest: Pick<IncidentEvent, 'type' | 'data'>) =>
    ({ v: 1, id: `${declared}-${id}`, at: at(minutes), actor: 'oncall', ...rest }) as IncidentEvent;
  const name = options.alert;
  const events: IncidentEvent[] = [
    event('d', 0, {
      type: 'declared',
      data: {
        title: 't',
        severity: 'SEV2',
        services: [],
        impactStartedAt: at(-5),
        ...(name ? { fromAlert: { name, fingerprint: `fp-${name}` } } : {}),
      },
    }),
  ];
  if (name)
    events.push(
      event('al', 0, {
        type: 'alert',
        data: { name, fingerprint: `fp-${name}`, labels: { alertname: name }, annotations: {}, startsAt: at(-2) },
      }),
    );
  if (options.ackAfter !== undefined)
    events.push(event('ack', options.ackAfter - 2, { type: 'status', data: { state: 'acknowledged' } }));
  if (options.resolved || options.falsePositive)
    events.push(event('r', 30, { type: 'resolved', data: options.falsePositive ? { falsePositive: true } : {} }));
  return deriveIncidentState(events, new FakeClock(NOW));
}

describe('the time model with an alert', () => {
  it('detect runs from impact start to the alert, acknowledge from the alert (else the declaration)', () => {
    const paged = page('2026-05-20T10:00:00Z', { alert: 'HighErrorRate', ackAfter: 3 });
    expect(paged.times.alertedAt).toBe('2026-05-20T09:58:00.000Z');
    const metric = (key: string) => paged.metrics.find((m) => m.key === key);
    expect(metric('timeToDetect')).toMatchObject({ from: 'impactStartedAt', to: 'alertedAt', ms: 3 * MIN });
    expect(metric('timeToAcknowledge')).toMatchObject({ from: 'alertedAt', to: 'acknowledgedAt', ms: 3 * MIN });
    const lines = describeMetrics(paged).metrics;
    expect(lines.find((l) => l.name === 'Time to acknowledge')).toMatchObject({
      from: 'first alert fired',
      text: '3m',
    });
    expect(lines.find((l) => l.name === 'Time to detect')).toMatchObject({ to: 'first alert fired', text: '3m' });

    const typed = page('2026-05-20T10:00:00Z', { ackAfter: 6 });
    expect(typed.metrics.find((m) => m.key === 'timeToAcknowledge')).toMatchObject({ from: 'declaredAt', ms: 4 * MIN });
    // Nothing detected it: no detection time to report.
    expect(typed.metrics.find((m) => m.key === 'timeToDetect')).toBeUndefined();
  });
});

describe('computeOncallStats', () => {
  it('counts pages per week, acknowledgement within the target from the alert, and false positives', () => {
    const states = [
      page('2026-05-18T10:00:00Z', { alert: 'HighErrorRate', ackAfter: 3, resolved: true }),
      page('2026-05-19T10:00:00Z', { alert: 'DiskFull', ackAfter: 12, falsePositive: true }),
      page('2026-05-20T10:00:00Z', { alert: 'DiskFull', ackAfter: 4 }),
      page('2026-05-21T10:00:00Z', { ackAfter: 1, resolved: true }),
    ];
    const stats = computeOncallStats(states, { now: new Date(NOW), weeks: 2, ackTargetMinutes: 5 });
    expect(stats).toEqual({
      pages: 3,
      pagesPerWeek: 1.5,
      // Acks 3, 12 and 4 minutes after the alert: the median is 4.
      acknowledgedWithinTarget: {
        count: 2,
        of: 3,
        targetMinutes: 5,
        countedFrom: 'alertedAt|declaredAt',
        medianMs: 4 * MIN,
      },
      falsePositives: { count: 1, of: 2 },
      toil: [],
    });
  });

  it('names an alert that started five or more incidents in 30 days as toil, not older ones', () => {
    const days = ['05-03', '05-10', '05-15', '05-20', '05-25'];
    const noisy = days.map((d) => page(`2026-${d}T10:00:00Z`, { alert: 'PodRestarting', ackAfter: 2 }));
    const old = ['03-01', '03-02', '03-03', '03-04', '03-05'].map((d) =>
      page(`2026-${d}T10:00:00Z`, { alert: 'OldNoise', ackAfter: 2 }),
    );
    const four = days.slice(1).map((d) => page(`2026-${d}T11:00:00Z`, { alert: 'Sometimes', ackAfter: 2 }));
    const stats = computeOncallStats([...noisy, ...old, ...four], {
      now: new Date(NOW),
      weeks: 13,
      ackTargetMinutes: 5,
    });
    expect(stats.toil).toEqual([{ alert: 'PodRestarting', incidents: 5, hint: 'automate or tune this alert' }]);
  });
});

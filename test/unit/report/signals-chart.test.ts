import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { deriveDeclaredIncident } from '../../../src/incident/state.js';
import { renderSignalsChart } from '../../../src/report/chart/render-signals-chart.js';
import { signalsChartData } from '../../../src/report/chart/signals-chart-data.js';

const api = { kind: 'Deployment', namespace: 'payments', name: 'api' };
const event = (at: string, type: string, data: unknown): IncidentEvent =>
  ({ v: 1, id: `01J${at.replace(/\D/g, '')}`, at, type, actor: 'alice', data }) as IncidentEvent;
const triage = (at: string, ratio: number, reasons: string[]) =>
  event(at, 'triage', {
    context: 'prod',
    namespaces: 'all',
    summary: { critical: reasons.length, warning: 0, info: 0 },
    headline: '',
    findings: [],
    suspects: [],
    signals: {
      at,
      windowSeconds: 300,
      source: 'by Prometheus http://prometheus:9090',
      workloads: [
        { workload: api, requestRate: { now: 20 }, errorRatio: { now: ratio }, p99Seconds: { now: 0.15 }, reasons },
      ],
    },
  });

const events = [
  event('2026-01-10T14:00:00.000Z', 'declared', { title: 'api errors', severity: 'SEV2', services: [] }),
  triage('2026-01-10T14:01:00.000Z', 0.3, ['HighErrorRate']),
  event('2026-01-10T14:03:00.000Z', 'action', {
    actionId: 'a1',
    phase: 'verified',
    playbook: 'rollback',
    action: 'rollout.undo',
    context: 'prod',
    target: api,
    summary: 'roll back',
  }),
  triage('2026-01-10T14:05:00.000Z', 0.003, []),
  event('2026-01-10T14:06:00.000Z', 'resolved', {}),
];

describe('the postmortem signals chart', () => {
  const clock = new FakeClock('2026-01-10T15:00:00Z');
  const incident = deriveDeclaredIncident('INC-1', events, clock);

  it('draws the flagged workload over the incident, with the milestones marked', () => {
    const evidence = [
      {
        workload: api,
        requestRate: { points: [{ at: '2026-01-10T13:59:00.000Z', value: 20 }] },
        errorRatio: {
          points: [
            { at: '2026-01-10T13:59:00.000Z', value: 0.28 },
            { at: '2026-01-10T12:00:00.000Z', value: 1 },
          ],
        },
        p99Seconds: { points: [] },
      },
    ];
    const data = signalsChartData(incident, evidence, clock.now().getTime());
    const ratios = data?.points
      .filter((p) => p.panel === '5xx ratio (%)')
      .map((p) => [p.at, Math.round(p.value * 10) / 10]);
    // The point from long before the impact is outside the chart.
    expect(ratios).toEqual([
      ['2026-01-10T13:59:00.000Z', 28],
      ['2026-01-10T14:01:00.000Z', 30],
      ['2026-01-10T14:05:00.000Z', 0.3],
    ]);
    expect(data?.marks.map((m) => m.label)).toEqual(['declared', 'rollback', 'resolved']);
  });

  it('renders SVG in Node, and draws nothing when no signal was flagged', async () => {
    const data = signalsChartData(incident, [], clock.now().getTime());
    const svg = await renderSignalsChart(data!);
    expect(svg).toMatch(/^<svg /);
    for (const text of ['5xx ratio (%)', 'request rate (/s)', 'p99 latency (ms)', 'rollback', 'resolved', 'UTC'])
      expect(svg).toContain(`>${text}</text>`);
    // 24-hour times in UTC, as the timeline: 14:00 and 14:00:30, never 02 PM and :30.
    expect(svg).toContain('>14:00</text>');
    expect(svg).toContain('>14:00:30</text>');
    expect(svg).not.toMatch(/>(02 PM|02:0\d|:30)<\/text>/);
    const calm = deriveDeclaredIncident('INC-2', [events[0]!, triage('2026-01-10T14:01:00.000Z', 0.001, [])], clock);
    expect(signalsChartData(calm, [], clock.now().getTime())).toBeUndefined();
  });
});

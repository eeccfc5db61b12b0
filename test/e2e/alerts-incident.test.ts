import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * The page as the entry point, end to end on Debian's real Alertmanager: `inc start --from-alert`,
 * `inc note --from-alert`, `inc resolve` with linked alerts still firing, and the alert in
 * `inc status`, `inc stats` and the postmortem. inc's clock is pinned (INC_NOW) and the alerts
 * carry their own times, so nothing depends on the machine's clock.
 */

const NOW = '2026-03-10T14:12:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

const HIGH_ERROR_RATE = {
  labels: { alertname: 'HighErrorRate', namespace: 'payments', service: 'api', severity: 'critical' },
  annotations: {
    summary: '5xx ratio of payments/api above 5 %',
    runbook_url: 'https://runbooks.example.com/high-error-rate',
  },
  startsAt: at(-8),
  generatorURL: 'http://prometheus.example/graph?g0.expr=errors',
};
const HIGH_LATENCY = {
  labels: { alertname: 'HighLatency', namespace: 'payments', deployment: 'api', severity: 'warning' },
  annotations: { summary: 'p99 of payments/api above 1 s' },
  startsAt: at(-4),
};
const POD_RESTARTS = [1, 2].map((n) => ({
  labels: { alertname: 'PodRestarting', namespace: 'shop', pod: `web-${n}`, severity: 'warning' },
  startsAt: at(-6),
}));

let home: string;
let alertmanager: RunningAlertmanager;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-alerts-incident-'));
  alertmanager = await startAlertmanager();
  await alertmanager.postAlerts([HIGH_ERROR_RATE, HIGH_LATENCY, ...POD_RESTARTS]);
});
afterEach(async () => {
  await alertmanager.stop();
  await rm(home, { recursive: true, force: true });
});

function inc(args: string[], minutes = 1) {
  return runInc(args, {
    env: { INC_HOME: join(home, 'inc'), HOME: home, INC_NOW: at(minutes), INC_ALERTMANAGER_URL: alertmanager.url },
    timeoutMs: 30_000,
  });
}

async function fingerprintOf(name: string): Promise<string> {
  const listed = await inc(['alerts', '-o', 'json']);
  const row = (JSON.parse(listed.stdout) as { name: string; fingerprint: string }[]).find((r) => r.name === name);
  if (!row) throw new Error(`${name} is not listed: ${listed.stdout}${listed.stderr}`);
  return row.fingerprint;
}

describe('inc start --from-alert', () => {
  it('declares from the alert: title, service, severity from its label, impact start = startsAt, acknowledged', async () => {
    const started = await inc(['start', '--from-alert', 'HighErrorRate', '-o', 'json']);
    expect(started.code, started.stderr).toBe(0);
    const { id, event } = JSON.parse(started.stdout) as { id: string; event: { data: Record<string, unknown> } };
    expect(event.data).toMatchObject({
      title: 'HighErrorRate: 5xx ratio of payments/api above 5 %',
      severity: 'SEV2',
      services: ['api'],
      impactStartedAt: at(-8),
      fromAlert: { name: 'HighErrorRate', fingerprint: await fingerprintOf('HighErrorRate') },
    });
    const log = await inc(['log', '--json']);
    const events = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual(['declared', 'alert', 'status']);
    expect(events[1]?.data).toMatchObject({
      name: 'HighErrorRate',
      labels: HIGH_ERROR_RATE.labels,
      annotations: HIGH_ERROR_RATE.annotations,
      startsAt: at(-8),
      generatorURL: HIGH_ERROR_RATE.generatorURL,
      source: alertmanager.url,
    });
    expect(events[2]?.data).toMatchObject({ state: 'acknowledged' });

    const status = await inc(['status', '-o', 'json'], 2);
    const state = JSON.parse(status.stdout) as {
      id: string;
      metrics: { key: string; from: string; to: string; ms: number | null }[];
    };
    expect(state.id).toBe(id);
    const metric = (key: string) => state.metrics.find((m) => m.key === key);
    // The alert fired 8 minutes before NOW, the page was taken at NOW+1 (plus inc's start-up time).
    expect(metric('timeToAcknowledge')).toMatchObject({ from: 'alertedAt', to: 'acknowledgedAt' });
    expect(metric('timeToAcknowledge')?.ms).toBeGreaterThanOrEqual(9 * 60_000);
    expect(metric('timeToAcknowledge')?.ms).toBeLessThan(10 * 60_000);
    expect(metric('timeToDetect')).toMatchObject({ from: 'impactStartedAt', to: 'alertedAt', ms: 0 });
  }, 60_000);

  it('maps the severity label through the config, and flags win over the alert', async () => {
    const started = await inc([
      'start',
      '--from-alert',
      'HighLatency',
      '--severity',
      'SEV1',
      'api',
      'slow',
      '-o',
      'json',
    ]);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout).event.data).toMatchObject({
      title: 'api slow',
      severity: 'SEV1',
      services: ['api'],
    });
    const warning = await inc(['start', '--from-alert', 'HighLatency', '-o', 'json']);
    expect(JSON.parse(warning.stdout).event.data.severity).toBe('SEV3');
  }, 60_000);

  it('without a terminal: the argument is required, an ambiguous one exits 2 listing the candidates', async () => {
    const bare = await inc(['start', '--from-alert']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--from-alert needs the alert name or fingerprint/);
    expect(bare.stderr).toMatch(/HighErrorRate/);
    const ambiguous = await inc(['start', '--from-alert', 'PodRestarting']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/"PodRestarting" matches 2 firing alerts/);
    expect(ambiguous.stderr).toMatch(/PodRestarting \[warning\] on pod shop\/web-1/);
    expect(ambiguous.stderr).toMatch(/PodRestarting \[warning\] on pod shop\/web-2/);
    const unknown = await inc(['start', '--from-alert', 'NoSuchAlert']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no firing alert is named "NoSuchAlert"/);
    // By fingerprint, one of the two is taken.
    const fingerprint = await fingerprintOf('PodRestarting');
    const one = await inc(['start', '--from-alert', fingerprint.slice(0, 8), '-o', 'json']);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).event.data.fromAlert.fingerprint).toBe(fingerprint);
    const list = await inc(['list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  }, 60_000);
});

describe('a later alert, the resolve and the record', () => {
  it('links a later alert, refuses to resolve while linked alerts fire, and reports the page everywhere', async () => {
    expect((await inc(['start', '--from-alert', 'HighErrorRate'])).code).toBe(0);
    const noted = await inc(['note', '--from-alert', 'HighLatency'], 2);
    expect(noted.code, noted.stderr).toBe(0);
    expect(noted.stdout).toMatch(/alert HighLatency \([0-9a-f]{16}\), firing since/);
    const again = await inc(['note', '--from-alert', 'HighLatency'], 2);
    expect(again.stderr).toMatch(/nothing recorded: alert HighLatency is already linked/);

    const refused = await inc(['resolve'], 20);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/still firing \(2 of the linked alerts\)/);
    expect(refused.stderr).toMatch(/--force/);

    // Prometheus sends a resolved alert with its end time: both stop firing.
    await alertmanager.postAlerts([
      { ...HIGH_ERROR_RATE, endsAt: at(15) },
      { ...HIGH_LATENCY, endsAt: at(15) },
    ]);
    const resolved = await inc(['resolve', '--summary', 'rolled back'], 20);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toMatch(/linked alerts: none still firing \(HighErrorRate, HighLatency\)/);

    const postmortem = await inc(['postmortem', '--file', '-'], 25);
    expect(postmortem.code, postmortem.stderr).toBe(0);
    const timeline = postmortem.stdout.slice(postmortem.stdout.indexOf('## Timeline'));
    const firstRow = timeline.split('\n').find((line) => /^\| 20\d\d-/.test(line));
    expect(firstRow).toMatch(
      /2026-03-10 14:04:00 \| First alert fired: HighErrorRate \| Alertmanager \| 5xx ratio of payments\/api above 5 %/,
    );
    expect(timeline).toMatch(/14:08:00 \| Alert fired: HighLatency/);
    expect(postmortem.stdout).toMatch(
      /Detected by the alert HighErrorRate \(5xx ratio of payments\/api above 5 %\), fired 2026-03-10 14:04/,
    );
    expect(postmortem.stdout).toMatch(/\| Time to acknowledge \| first alert fired \| acknowledged \| 9m(\d\ds)? \|/);
    expect(postmortem.stdout).toMatch(/\| Time to detect \| impact started \| first alert fired \| 0s \|/);
  }, 90_000);

  it('resolves with --force while alerts fire; --false-positive pages count in inc stats', async () => {
    expect((await inc(['start', '--from-alert', 'HighErrorRate'])).code).toBe(0);
    const forced = await inc(['resolve', '--force', '--false-positive'], 5);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/still firing \(1 of the linked alerts\)/);
    expect((await inc(['start', 'typed by hand', '-s', 'SEV3'], 6)).code).toBe(0);
    const stats = await inc(['stats', '-o', 'json'], 10);
    expect(JSON.parse(stats.stdout).oncall).toEqual({
      pages: 1,
      pagesPerWeek: 1,
      acknowledgedWithinTarget: {
        count: 0,
        of: 1,
        targetMinutes: 5,
        countedFrom: 'alertedAt|declaredAt',
        medianMs: expect.any(Number),
      },
      falsePositives: { count: 1, of: 1 },
      toil: [],
    });
    const text = await inc(['stats'], 10);
    expect(text.stdout).toMatch(/1 page \(incidents started from an alert\), 1 per week/);
    // Counted from the alert (8 minutes before the declaration), not from the declaration.
    expect(JSON.parse(stats.stdout).oncall.acknowledgedWithinTarget.medianMs).toBeGreaterThanOrEqual(9 * 60_000);
    expect(text.stdout).toMatch(
      /alerted → acknowledged within 5m \(alertmanager\.ackTargetMinutes\): 0 of 1; median 9m/,
    );
    expect(text.stdout).toMatch(/false positives \(paged, nothing to do\): 1 of 1 resolved/);
  }, 90_000);
});

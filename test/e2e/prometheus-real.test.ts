import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startAlertmanager } from '../helpers/alertmanager.js';
import { ALERTMANAGER, AMTOOL, PROMETHEUS } from '../helpers/binaries.js';
import { startPrometheus } from '../helpers/prometheus.js';

const run = promisify(execFile);

describe("Debian's Prometheus and Alertmanager, unpacked by the test setup", () => {
  it('run from the unpacked tree and print their versions', async () => {
    const prometheus = await run(PROMETHEUS, ['--version'], { timeout: 10_000 });
    expect(`${prometheus.stdout}${prometheus.stderr}`).toMatch(/^prometheus, version 2\.\d+/m);
    const alertmanager = await run(ALERTMANAGER, ['--version'], { timeout: 10_000 });
    expect(`${alertmanager.stdout}${alertmanager.stderr}`).toMatch(/^alertmanager, version 0\.\d+/m);
    const amtool = await run(AMTOOL, ['--version'], { timeout: 10_000 });
    expect(`${amtool.stdout}${amtool.stderr}`).toMatch(/^amtool, version 0\.\d+/m);
    // Debian's Alertmanager refuses its configuration without its default templates in this folder.
    expect(existsSync('/usr/share/prometheus/alertmanager/default.tmpl')).toBe(true);
  });

  it('starts on a free port, scrapes every second and answers PromQL', async () => {
    // Prometheus scrapes its own /metrics once its port is known: start it, then point a second one at it.
    const first = await startPrometheus();
    try {
      const second = await startPrometheus({ targets: [{ job: 'first', url: `${first.url}/metrics` }] });
      try {
        const up = await second.waitFor('up{job="first"}', (s) => s.length === 1 && s[0]!.value === 1, 20_000);
        expect(up[0]!.metric.instance).toBe(`127.0.0.1:${first.port}`);
        // At a 1 s interval, two samples arrive within a few seconds, so rate() has data.
        const rate = await second.waitFor(
          'rate(prometheus_http_requests_total{job="first"}[5s])',
          (s) => s.length > 0,
          20_000,
        );
        expect(rate.every((s) => Number.isFinite(s.value))).toBe(true);
        await expect(second.query('sum(')).rejects.toThrow(/failed/);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });

  it('starts Alertmanager, which takes an alert and a silence that amtool then lists', async () => {
    const alertmanager = await startAlertmanager();
    try {
      const posted = await fetch(`${alertmanager.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([{ labels: { alertname: 'HighErrorRate', namespace: 'payments', service: 'api' } }]),
        signal: AbortSignal.timeout(5000),
      });
      expect(posted.status).toBe(200);
      const alerts = await alertmanager.amtool(['alert', 'query', '-o', 'json']);
      expect(JSON.parse(alerts.stdout)).toEqual([
        expect.objectContaining({ labels: expect.objectContaining({ alertname: 'HighErrorRate' }) }),
      ]);
      const silence = await alertmanager.amtool([
        'silence',
        'add',
        'alertname=HighErrorRate',
        '--comment=rolling back',
        '--author=on-call',
        '--duration=1h',
      ]);
      const id = silence.stdout.trim();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const listed = await alertmanager.amtool(['silence', 'query', '-q']);
      expect(listed.stdout.trim()).toBe(id);
    } finally {
      await alertmanager.stop();
    }
  });
});

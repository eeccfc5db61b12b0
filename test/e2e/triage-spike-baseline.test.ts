// biome-ignore-all lint/suspicious/noExplicitAny: the report is read as plain JSON
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSimWorld, type SimWorld } from './playbooks-sim.js';

/**
 * traffic-spike without Prometheus, after the scale-out and as the spike eases: the pods the
 * scale-out added have averaged over the spike only, so the request-rate baseline leaves them out
 * and no traffic drop is made of the spike's end.
 */

let w: SimWorld;

beforeAll(async () => {
  // Speed 5: the minutes are advanced by hand, so a slow machine adds seconds, not minutes, at the spike's end.
  // Twelve pods: a direct scrape reads ten of a workload's pods at most, which ten varies.
  w = await openSimWorld('traffic-spike', 5);
  w.sim.advance(30 * 60_000, 5_000);
  const scaled = await w.kubectl(['scale', 'deployment/web', '-n', 'shop', '--replicas=12']);
  expect(scaled.exitCode, scaled.stderr).toBe(0);
  w.sim.advance(5 * 60_000, 5_000);
  const eased = await w.kubectl([
    'annotate',
    'service/web',
    '-n',
    'shop',
    'sim.inc.dev/request-rate=40',
    '--overwrite',
  ]);
  expect(eased.exitCode, eased.stderr).toBe(0);
  w.sim.advance(2 * 60_000, 5_000);
});

afterAll(async () => {
  await w?.close();
});

describe('a direct scrape after a scale-out', () => {
  it('compares the request rate with the pods from before the scale-out', async () => {
    const triage = await w.inc(['triage', '-n', 'shop', '-o', 'json', '--sample', '5s']);
    expect(triage.stdout, triage.stderr).toMatch(/^\{/);
    const report = JSON.parse(triage.stdout);
    const web = report.signals.workloads.find((s: any) => s.workload.name === 'web');
    // Ten pods read, their rate standing for the twelve's 40/s (33/s alone; a 5 s sample reads within 10 %).
    expect(web.via).toBe('10 of its 12 pods');
    expect(web.requestRate.now).toBeGreaterThan(35);
    expect(web.requestRate.now).toBeLessThan(46);
    // The three first pods served 60/s for half an hour, then a share of it: about 51/s on average,
    // however many of them were read.
    expect(web.requestRate.baseline).toBeGreaterThan(45);
    expect(web.requestRate.baseline).toBeLessThan(60);
    expect(report.findings.filter((f: any) => f.reason === 'TrafficDrop').map((f: any) => f.title)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { type KubeClient, openKube } from '../../src/kube/index.js';
import { type RunningSim, SimClock, startSim } from '../../src/sim/index.js';
import { fetchSnapshot } from '../../src/triage/adapters/fetch-snapshot.js';
import { runTriage } from '../../src/triage/run-triage.js';
import { allPods, type Snapshot } from '../../src/triage/snapshot.js';
import { CHECK_NAMES, type TriageReport } from '../../src/triage/types.js';

// A generated cluster the suite can afford: every kind of unhealthy pod the generator makes, among
// thousands of healthy ones, on a clock that stands still so both reads see the same instant.
const PODS = 2000;

describe('triage of a generated cluster, healthy pods folded and events sifted as they stream in', () => {
  let sim: RunningSim;
  let kube: KubeClient;
  const controller = new AbortController();

  beforeAll(async () => {
    sim = await startSim({ pods: PODS, clock: new SimClock({ speed: 0, start: '2026-03-02T10:00:00Z' }) });
    // The kubelet gives the unhealthy pods their restarts and events over a few simulated minutes.
    for (let i = 0; i < 24; i++) sim.advance(5000, 5000);
    kube = await openKube({
      globals: { kubeconfig: sim.kubeconfigPath },
      env: {},
      // A local clock that stands still too: "now" on the server is then its Date header, for both reads.
      clock: { now: () => new Date('2026-03-02T10:02:00Z'), sleep: systemClock.sleep },
      signal: controller.signal,
    });
  });
  afterAll(async () => {
    kube?.close();
    await sim?.stop();
  });

  const triage = async (foldHealthyPods: boolean) => {
    let snapshot: Snapshot | undefined;
    const result = await runTriage(
      {
        context: kube.contextName,
        namespace: undefined,
        checks: CHECK_NAMES.filter((name) => name !== 'signals' && name !== 'alerts'),
        sinceMs: 3_600_000,
        urls: [],
        clock: systemClock,
      },
      {
        fetchSnapshot: async (options) => {
          snapshot = await fetchSnapshot(kube, { ...options, foldHealthyPods });
          return snapshot;
        },
      },
    );
    return { report: normalize(result.report), snapshot: snapshot as Snapshot };
  };

  it('finds exactly what it finds with every pod kept in full, keeping only the unhealthy ones', async () => {
    const full = await triage(false);
    const folded = await triage(true);
    expect(full.report.findings.length).toBeGreaterThan(20);
    expect(full.report.findings.map((f) => f.reason)).toEqual(
      expect.arrayContaining(['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff', 'Unhealthy', 'Unschedulable']),
    );
    expect(folded.report).toEqual(full.report);

    expect(full.snapshot.pods).toHaveLength(PODS);
    expect(full.snapshot.healthyPods).toBeUndefined();
    // Folded: the unhealthy pods in full, the healthy ones a group per ReplicaSet; read back, the same pods in the same order.
    const kept = folded.snapshot.pods.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(PODS / 5);
    const groups = folded.snapshot.healthyPods?.groups ?? [];
    expect(groups.reduce((sum, g) => sum + g.names.length, 0)).toBe(PODS - kept);
    expect(groups.length).toBeLessThan((PODS - kept) / 3);
    expect(allPods(folded.snapshot).map((p) => p.metadata.uid)).toEqual(full.snapshot.pods.map((p) => p.metadata.uid));
    // Events sifted page by page: the same ones, in the same order, as the whole list filtered at the end.
    expect(full.snapshot.events.length).toBeGreaterThan(20);
    expect(folded.snapshot.events).toEqual(full.snapshot.events);
  });
});

/** The report without what differs between two runs of the same cluster: how long each took. */
function normalize(report: TriageReport): TriageReport {
  return {
    ...report,
    durationMs: 0,
    headline: report.headline.replace(/[\d.]+ s$/, 'N s'),
    checks: report.checks.map((check) => ({ ...check, durationMs: 0 })),
  };
}

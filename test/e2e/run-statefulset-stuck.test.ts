// biome-ignore-all lint/suspicious/noExplicitAny: simulated objects and logged events are read as plain JSON
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

/**
 * Upstream's "forced rollback": a StatefulSet (OrderedReady) whose last pod crash-loops on the bad
 * revision stays stuck after its template is rolled back, until that pod is deleted. The simulator
 * must behave so (checked with the real kubectl), and inc's rollback must say so and offer the fix.
 */

const ledgerPods = (sim: { state: { list(kind: string, ns?: string): any[] } }) =>
  sim.state
    .list('Pod', 'payments')
    .filter((p) => p.metadata.name.startsWith('ledger-'))
    .map((p) => ({
      name: p.metadata.name,
      revision: p.metadata.labels['controller-revision-hash'],
      image: p.spec.containers[0].image,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

describe('the simulator reproduces a StatefulSet stuck after a rollback (real kubectl)', () => {
  let world: FrozenSim;
  beforeAll(async () => {
    world = await startFrozenSim('statefulset-stuck');
  });
  afterAll(async () => {
    await world?.sim.stop();
  });

  it('rollout undo leaves the crash-looping pod of the bad revision in place; deleting it lets the rollout finish', async () => {
    const undo = await world.kubectl(['rollout', 'undo', 'statefulset/ledger', '-n', 'payments']);
    expect(undo.stdout, undo.stderr).toContain('statefulset.apps/ledger rolled back');
    world.sim.advance(10 * 60_000, 5_000);
    const sts = world.sim.state.get('StatefulSet', 'payments', 'ledger') as any;
    const stuck = ledgerPods(world.sim);
    expect(stuck.find((p) => p.name === 'ledger-2')?.image).toBe('registry.example.com/payments/ledger:1.5.0');
    expect(stuck.find((p) => p.name === 'ledger-2')?.revision).not.toBe(sts.status.updateRevision);
    const waiting = await world.kubectl(['rollout', 'status', 'statefulset/ledger', '-n', 'payments', '--watch=false']);
    expect(waiting.stdout).toContain('Waiting for 1 pods to be ready...');

    const deleted = await world.kubectl(['delete', 'pod', 'ledger-2', '-n', 'payments', '--wait=false']);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    world.advanceUntil(
      () => (world.sim.state.get('StatefulSet', 'payments', 'ledger')?.status as any)?.readyReplicas === 3,
      120_000,
    );
    const done = await world.kubectl(['rollout', 'status', 'statefulset/ledger', '-n', 'payments', '--watch=false']);
    expect(done.stdout).toContain('partitioned roll out complete: 3 new pods have been updated...');
    for (const pod of ledgerPods(world.sim)) expect(pod.image).toBe('registry.example.com/payments/ledger:1.4.2');
  });
});

describe('inc run rollback on a StatefulSet stuck after its rollback', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('statefulset-stuck');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('the dry run previews the pod its unstick step would delete, as kubectl delete --dry-run=server names it', async () => {
    const pod = () => world.object('Pod', 'payments', 'ledger-2').metadata.uid;
    const uid = pod();
    const plan = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'statefulset=ledger', '--dry-run']);
    expectExit(plan, 0);
    // Nothing is stuck before the rollback is applied: the preview says what its rollout would wait on.
    expect(plan.stdout).toMatch(
      /^step unstick \(rollout\.unstick\): delete pod payments\/ledger-2 \(revision ledger-\w+, (in CrashLoopBackOff|crash-looping \(restarted \d+ times\))\) of statefulset payments\/ledger: once "roll back statefulset payments\/ledger to revision 1" is applied, the rollout to revision ledger-\w+ would wait for it in vain \(OrderedReady\); deleted only if the rollout is stuck on it then\n {2}target: StatefulSet payments\/ledger\n {2}-pod payments\/ledger-2\n {2}server-side dry run: passed\n/m,
    );
    expect(plan.stdout).toMatch(/^✓ unstick \(rollout\.unstick\): planned — delete pod payments\/ledger-2 /m);
    expect(plan.stdout).not.toContain('nothing to unstick');
    // A restart's new revision leaves that pod stuck too.
    const restart = await world.inc(['run', 'restart', '-n', 'payments', '--set', 'statefulset=ledger', '--dry-run']);
    expectExit(restart, 0);
    expect(restart.stdout).toMatch(
      /^✓ unstick \(rollout\.unstick\): planned — delete pod payments\/ledger-2 .*: once "restart the pods of statefulset payments\/ledger \(rolling\)" is applied, the rollout to a new revision would wait for it in vain/m,
    );

    // kubectl's server dry run of the same deletion names the same pod, and deletes nothing either.
    const kubectl = await world.kubectl(['delete', 'pod', 'ledger-2', '-n', 'payments', '--dry-run=server']);
    expect(kubectl.stdout, kubectl.stderr).toBe('pod "ledger-2" deleted (server dry run)');
    expect(pod()).toBe(uid);
    expect(world.object('StatefulSet', 'payments', 'ledger').spec.template.spec.containers[0].image).toBe(
      'registry.example.com/payments/ledger:1.5.0',
    );
  });

  it('verification says the rollout is stuck, and the playbook deletes the pod as a confirmed step', async () => {
    const started = await world.inc(['start', 'ledger crash-loops', '--severity', 'SEV2']);
    expectExit(started, 0);
    const began = Date.now();
    const run = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'statefulset=ledger', '--yes']);
    expectExit(run, 0);
    // Said as soon as the controller is seen waiting on the crash-looping pod, far from the 5m timeout.
    expect(Date.now() - began).toBeLessThan(40_000);
    expect(run.stderr).toMatch(
      /statefulset payments\/ledger is stuck: pod ledger-2 \(revision ledger-\w+\) is in CrashLoopBackOff, .* OrderedReady .* \(the forced rollback case\)/,
    );
    expect(run.stdout).toMatch(/^! undo \(rollout\.undo\): stuck — /m);
    expect(run.stdout).toMatch(/^✓ unstick \(rollout\.unstick\): verified — delete pod payments\/ledger-2 /m);
    expect(run.stdout).toMatch(/^✓ wait \(rollout\.status\): done/m);

    const sts = world.object('StatefulSet', 'payments', 'ledger');
    expect(sts.status.readyReplicas).toBe(3);
    for (const pod of ledgerPods(world.sim)) {
      expect(pod.image).toBe('registry.example.com/payments/ledger:1.4.2');
      expect(pod.revision).toBe(sts.status.updateRevision);
    }

    const home = world.env.INC_HOME ?? '';
    const id = readFileSync(join(home, 'current'), 'utf8').trim();
    const events = readFileSync(join(home, 'incidents', id, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'action');
    const phases = events.map((e) => `${e.data.step}:${e.data.phase}`);
    expect(phases).toEqual(
      expect.arrayContaining(['undo:applied', 'undo:failed', 'unstick:planned', 'unstick:applied', 'unstick:verified']),
    );
    expect(events.find((e) => e.data.step === 'undo' && e.data.phase === 'failed').data.error).toContain(
      'the forced rollback case',
    );

    // Deleting the stuck pod does not make the rollback irreversible: the run names its undo, and
    // a plain inc undo picks it (and says the pod deletion after it is not reverted, nor revertable by hand).
    const undoId = events.find((e) => e.data.step === 'undo' && e.data.phase === 'applied').data.actionId;
    // Named as a Deployment's revert is: the revision it returns to, and its ControllerRevision.
    const badRevision = world.sim.state
      .list('ControllerRevision', 'payments')
      .find((cr: any) => cr.revision === 2 && cr.metadata.name.startsWith('ledger-')) as any;
    expect(run.stdout).toContain(
      `to revert: inc undo ${undoId} (roll statefulset payments/ledger forward again to revision 2 (ControllerRevision ${badRevision.metadata.name}))`,
    );
    const undo = await world.inc(['undo', '--dry-run']);
    expectExit(undo, 0);
    expect(undo.stderr).toContain(`undoing ${undoId}: roll back statefulset payments/ledger to revision 1`);
    expect(undo.stdout).toContain('roll back statefulset payments/ledger to revision 2');
    expect(undo.stderr).toMatch(
      /warning: \w+ \(delete pod payments\/ledger-2 .*\) was applied later and cannot be undone \(a deleted pod is recreated by its StatefulSet, not restored\): inc undo leaves it as it is$/m,
    );

    // Triage afterwards tells the rollback as this incident's mitigation, and the bad rollout before it.
    const triage = await world.inc(['triage', '-n', 'payments', '-o', 'json']);
    const report = JSON.parse(triage.stdout);
    const rollouts = report.findings
      .filter((f: any) => f.workload?.kind === 'StatefulSet' && f.check === 'rollouts' && f.severity === 'info')
      .map((f: any) => `${f.reason}: ${f.title}`);
    expect(rollouts).toEqual([
      expect.stringMatching(
        /^IncMitigation: statefulset payments\/ledger: rollout to revision 3 \(image registry\.example\.com\/payments\/ledger:1\.4\.2, was .*:1\.5\.0\) \S+ ago, inc's mitigation in this incident$/,
      ),
      expect.stringMatching(
        /^RecentRollout: statefulset payments\/ledger: rollout to revision 2 \(image .*:1\.5\.0, was .*:1\.4\.2\) /,
      ),
    ]);
  });

  it('a second rollback in the incident does not bring back the revision it rolled away from', async () => {
    const again = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'statefulset=ledger', '--dry-run']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      'every earlier revision of statefulset payments/ledger is one this incident already moved away from (revision 2)',
    );
    expect(world.object('StatefulSet', 'payments', 'ledger').spec.template.spec.containers[0].image).toBe(
      'registry.example.com/payments/ledger:1.4.2',
    );
  });

  it('without a terminal or --yes it changes nothing and names --yes', async () => {
    const refused = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'statefulset=ledger']);
    expectExit(refused, 2);
    expect(refused.stderr).toContain('--yes');
  });
});

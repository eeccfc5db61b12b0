import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type RawJson, type SimWorld } from './playbooks-sim.js';

/**
 * StatefulSets and DaemonSets on twin simulators: the real kubectl acts on one, `inc run … --yes`
 * on the other; spec, pod template and revisions must come out the same. One pair of twins serves
 * every step, in order: pin an image, restart, roll back.
 */

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

interface Target {
  kind: 'StatefulSet' | 'DaemonSet';
  flag: 'statefulset' | 'daemonset';
  namespace: string;
  name: string;
  container: string;
  image: string;
}

const TARGETS: Target[] = [
  {
    kind: 'StatefulSet',
    flag: 'statefulset',
    namespace: 'payments',
    name: 'postgres',
    container: 'postgres',
    image: 'docker.io/library/postgres:16.6',
  },
  {
    kind: 'DaemonSet',
    flag: 'daemonset',
    namespace: 'monitoring',
    name: 'node-exporter',
    container: 'node-exporter',
    image: 'quay.io/prometheus/node-exporter:v1.8.3',
  },
];

let viaKubectl: SimWorld;
let viaInc: SimWorld;

beforeAll(async () => {
  [viaKubectl, viaInc] = await Promise.all([openSimWorld('healthy', 120), openSimWorld('healthy', 120)]);
});
afterAll(async () => {
  await Promise.all([viaKubectl?.close(), viaInc?.close()]);
});

/** The workload's spec (the restart stamp set aside, checked apart), its annotations and its revisions. */
function stateOf(world: SimWorld, t: Target) {
  const object = world.object(t.kind, t.namespace, t.name);
  const spec = object.spec as RawJson;
  const stamp = spec.template.metadata?.annotations?.[RESTARTED_AT] as string | undefined;
  if (stamp !== undefined) delete spec.template.metadata.annotations[RESTARTED_AT];
  const revisions = world.sim.state
    .list('ControllerRevision', t.namespace)
    .filter((cr) => cr.metadata.ownerReferences?.some((o) => o.uid === object.metadata.uid))
    .map((cr) => {
      const template = (cr.data as RawJson).spec.template;
      return {
        revision: cr.revision,
        image: template.spec.containers[0].image,
        restarted: template.metadata?.annotations?.[RESTARTED_AT] !== undefined,
      };
    })
    .sort((a, b) => Number(a.revision) - Number(b.revision));
  const current = revisions.at(-1);
  return { spec, annotations: object.metadata.annotations, revisions, current, stamp };
}

async function kubectlDone(t: Target, args: string[], expected: string) {
  const result = await viaKubectl.kubectl([...args, '-n', t.namespace]);
  expect(result.stdout, result.stderr).toContain(expected);
  const status = await viaKubectl.kubectl([
    'rollout',
    'status',
    `${t.flag}/${t.name}`,
    '-n',
    t.namespace,
    '--timeout=60s',
  ]);
  expect(status.exitCode, status.stderr).toBe(0);
}

async function incDone(args: string[]) {
  const result = await viaInc.inc([...args, '--yes']);
  expectExit(result, 0);
  return result;
}

function expectSame(t: Target) {
  for (const world of [viaKubectl, viaInc]) world.sim.reconcile();
  const a = stateOf(viaKubectl, t);
  const b = stateOf(viaInc, t);
  expect(b.spec).toEqual(a.spec);
  expect(b.annotations).toEqual(a.annotations);
  expect(b.revisions).toEqual(a.revisions);
  return { a, b };
}

async function pinImage(t: Target) {
  const [, inc] = await Promise.all([
    kubectlDone(t, ['set', 'image', `${t.flag}/${t.name}`, `${t.container}=${t.image}`], 'image updated'),
    incDone([
      'run',
      'pin-image',
      '-n',
      t.namespace,
      '--set',
      `${t.flag}=${t.name}`,
      '--set',
      `container=${t.container}`,
      '--set',
      `image=${t.image}`,
    ]),
  ]);
  expect(inc.stderr).toMatch(/successfully rolled out|rolling update complete|roll out complete/);
  const { b } = expectSame(t);
  expect(b.spec.template.spec.containers[0].image).toBe(t.image);
  expect(b.current).toEqual({ revision: 2, image: t.image, restarted: false });
}

/** The restart stamp is the one difference: each tool writes its own time, in kubectl's format. */
async function restart(t: Target) {
  await Promise.all([
    kubectlDone(t, ['rollout', 'restart', `${t.flag}/${t.name}`], 'restarted'),
    incDone(['run', 'restart', '-n', t.namespace, '--set', `kind=${t.flag}`, '--set', `deployment=${t.name}`]),
  ]);
  const { a, b } = expectSame(t);
  expect(a.stamp).toMatch(STAMP);
  expect(b.stamp).toMatch(STAMP);
  expect(b.current).toEqual({ revision: 3, image: t.image, restarted: true });
}

/** Revision 2 (the pinned image, no restart stamp) comes back, promoted to revision 4. */
async function rollback(t: Target) {
  const [, inc] = await Promise.all([
    kubectlDone(t, ['rollout', 'undo', `${t.flag}/${t.name}`], 'rolled back'),
    incDone(['run', 'rollback', '-n', t.namespace, '--set', `${t.flag}=${t.name}`]),
  ]);
  expect(inc.stderr).toContain(`${t.flag} ${t.namespace}/${t.name}`);
  const { a, b } = expectSame(t);
  expect(a.stamp).toBeUndefined();
  expect(b.stamp).toBeUndefined();
  expect(b.current).toEqual({ revision: 4, image: t.image, restarted: false });
  expect(b.revisions.map((r) => r.revision)).toEqual([1, 3, 4]);
}

describe('StatefulSets and DaemonSets: inc run against kubectl on twin simulators', () => {
  // The two workloads are independent: they run side by side, each one's steps in order.
  it.concurrent.each(TARGETS)(
    '$kind $namespace/$name: pin-image, restart and rollback as kubectl set image, rollout restart and rollout undo',
    async (t) => {
      await pinImage(t);
      await restart(t);
      await rollback(t);
    },
  );
});

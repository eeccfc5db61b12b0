// biome-ignore-all lint/suspicious/noExplicitAny: responses are read as plain JSON
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { SimClock } from '../../../src/sim/clock.js';
import { type RunningSim, type SimFaults, startSim } from '../../../src/sim/index.js';

const START = '2026-06-01T12:00:00.000Z';
let sim: RunningSim;

async function boot(faults?: SimFaults): Promise<RunningSim> {
  const clock = new SimClock({ start: START, speed: 0, base: new FakeClock() });
  return startSim({ controllers: [], clock, faults, bookmarkIntervalMs: 50 });
}

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const configMap = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { a: '1' },
});

const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
  },
});

describe('simulator API server', () => {
  beforeEach(async () => {
    sim = await boot();
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('serves discovery, with the Date header from the simulated clock', async () => {
    const version = await call('GET', '/version');
    expect(version.json.gitVersion).toBe('v1.31.0-inc-sim');
    expect(version.headers.get('content-type')).toBe('application/json');
    expect(version.headers.get('date')).toBe(new Date(START).toUTCString());
    const groups = await call('GET', '/apis');
    expect(groups.json.groups.map((g: any) => g.name)).toEqual([
      'apps',
      'batch',
      'events.k8s.io',
      'metrics.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'policy',
      'networking.k8s.io',
      'discovery.k8s.io',
      'argoproj.io',
    ]);
    const apps = await call('GET', '/apis/apps/v1');
    const names = apps.json.resources.map((r: any) => r.name);
    expect(names).toContain('deployments/scale');
    expect(apps.json.resources.find((r: any) => r.name === 'deployments').shortNames).toEqual(['deploy']);
    expect((await call('GET', '/api')).json.versions).toEqual(['v1']);
    expect((await call('GET', '/healthz')).text).toBe('ok');
    const missing = await call('GET', '/apis/nothing/v1');
    expect(missing.status).toBe(404);
    expect(missing.json.kind).toBe('Status');
  });

  it('creates with defaults and answers the Kubernetes Status errors', async () => {
    const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'));
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ generation: 1, creationTimestamp: '2026-06-01T12:00:00Z' });
    expect(created.json.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });

    const again = await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'));
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'deployments.apps "web" already exists',
      code: 409,
    });

    const noNamespace = await call('POST', '/api/v1/namespaces/nope/configmaps', configMap('x'));
    expect(noNamespace.json).toMatchObject({ code: 404, message: 'namespaces "nope" not found' });

    const invalid = await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('Web', -1));
    expect(invalid.status).toBe(422);
    expect(invalid.json.reason).toBe('Invalid');
    expect(invalid.json.details.causes.map((c: any) => c.field)).toEqual(['metadata.name', 'spec.replicas']);

    const notFound = await call('GET', '/apis/apps/v1/namespaces/default/deployments/ghost');
    expect(notFound.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "ghost" not found',
      reason: 'NotFound',
      details: { name: 'ghost', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('updates with optimistic concurrency and keeps status out of main-resource writes', async () => {
    const created = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).json;
    sim.state.update({ ...created, status: { replicas: 2 } });
    const current = (await call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json;
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: created.metadata.resourceVersion } };
    const conflict = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', stale);
    expect(conflict.status).toBe(409);
    expect(conflict.json.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    const replaced = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', {
      ...current,
      spec: { ...current.spec, replicas: 4 },
      status: { replicas: 99 },
    });
    expect(replaced.json.spec.replicas).toBe(4);
    expect(replaced.json.status).toEqual({ replicas: 2 });
    expect(replaced.json.metadata.generation).toBe(2);
    const status = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/status',
      { status: { replicas: 3 } },
      'application/merge-patch+json',
    );
    expect(status.json.status).toEqual({ replicas: 3 });
    expect(status.json.metadata.generation).toBe(2);
  });

  it('patches with each content type, refusing strategic merge on custom resources and apply without a manager', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'));
    const path = '/apis/apps/v1/namespaces/default/deployments/web';
    const smp = await call(
      'PATCH',
      path,
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.json.spec.template.spec.containers).toHaveLength(1);
    expect(smp.json.spec.template.spec.containers[0].image).toBe('img:2');
    const json = await call(
      'PATCH',
      path,
      [{ op: 'replace', path: '/spec/replicas', value: 5 }],
      'application/json-patch+json',
    );
    expect(json.json.spec.replicas).toBe(5);
    const failing = await call(
      'PATCH',
      path,
      [{ op: 'test', path: '/spec/replicas', value: 1 }],
      'application/json-patch+json',
    );
    expect(failing.status).toBe(422);
    const apply = await call('PATCH', path, 'spec: {}', 'application/apply-patch+yaml');
    expect(apply.status).toBe(422);
    expect(apply.json.message).toMatch(/fieldManager: Required value/);
    const kindless = await call('PATCH', `${path}?fieldManager=ops`, 'spec: {}', 'application/apply-patch+yaml');
    expect(kindless.status).toBe(400);
    expect(kindless.json.message).toMatch(/apiVersion and kind must be set/);
    const rvPatch = await call(
      'PATCH',
      path,
      { metadata: { resourceVersion: '1' }, spec: { replicas: 1 } },
      'application/merge-patch+json',
    );
    expect(rvPatch.status).toBe(409);

    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop' },
      spec: { syncPolicy: { automated: { selfHeal: true } } },
    };
    await call('POST', '/apis/argoproj.io/v1alpha1/namespaces/default/applications', app);
    const appPath = '/apis/argoproj.io/v1alpha1/namespaces/default/applications/shop';
    expect((await call('PATCH', appPath, { spec: {} }, 'application/strategic-merge-patch+json')).status).toBe(415);
    const merged = await call(
      'PATCH',
      appPath,
      { spec: { syncPolicy: { automated: null } } },
      'application/merge-patch+json',
    );
    expect(merged.json.spec.syncPolicy).toEqual({});
  });

  it('honours dryRun=All on every mutation: answers, stores nothing', async () => {
    const dry = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', configMap('dry'));
    expect(dry.status).toBe(201);
    expect(dry.json.metadata.uid).toBeDefined();
    expect(sim.state.get('ConfigMap', 'default', 'dry')).toBeUndefined();
    await call('POST', '/api/v1/namespaces/default/configmaps', configMap('real'));
    const rv = sim.store.resourceVersion;
    const patched = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/real?dryRun=All',
      { data: { a: '2' } },
      'application/merge-patch+json',
    );
    expect(patched.json.data.a).toBe('2');
    await call('DELETE', '/api/v1/namespaces/default/configmaps/real?dryRun=All');
    expect(sim.state.get('ConfigMap', 'default', 'real')?.data).toEqual({ a: '1' });
    expect(sim.store.resourceVersion).toBe(rv);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=Maybe', configMap('x'))).status).toBe(400);
  });

  it('lists with selectors and pages with limit/continue; an expired token answers 410', async () => {
    for (let i = 0; i < 5; i += 1)
      await call('POST', '/api/v1/namespaces/default/configmaps', configMap(`cm-${i}`, { n: String(i % 2) }));
    await call('POST', '/api/v1/namespaces/kube-system/configmaps', configMap('elsewhere'));
    const selected = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=n%3D1');
    expect(selected.json.items.map((i: any) => i.metadata.name)).toEqual(['cm-1', 'cm-3']);
    expect(selected.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    const byField = await call('GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dkube-system');
    expect(byField.json.items.map((i: any) => i.metadata.name)).toEqual(['elsewhere']);
    expect((await call('GET', '/api/v1/configmaps?fieldSelector=data.a%3D1')).status).toBe(400);

    const first = await call('GET', '/api/v1/namespaces/default/configmaps?limit=2');
    expect(first.json.items.map((i: any) => i.metadata.name)).toEqual(['cm-0', 'cm-1']);
    expect(first.json.metadata.remainingItemCount).toBe(3);
    const token = first.json.metadata.continue;
    const second = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${token}`);
    expect(second.json.items.map((i: any) => i.metadata.name)).toEqual(['cm-2', 'cm-3']);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    const last = await call(
      'GET',
      `/api/v1/namespaces/default/configmaps?limit=2&continue=${second.json.metadata.continue}`,
    );
    expect(last.json.items.map((i: any) => i.metadata.name)).toEqual(['cm-4']);
    expect(last.json.metadata.continue).toBeUndefined();

    await call('POST', '/api/v1/namespaces/default/configmaps', configMap('later'));
    sim.store.compact();
    const expired = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${token}`);
    expect(expired.status).toBe(410);
    expect(expired.json.reason).toBe('Expired');
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?continue=garbage')).status).toBe(400);
  });

  it('serves the scale subresource and the events.k8s.io view of core events', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 2));
    const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { selector: 'app=web' },
    });
    const patched = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      { spec: { replicas: 7 } },
      'application/merge-patch+json',
    );
    expect(patched.json.spec.replicas).toBe(7);
    expect((sim.state.get('Deployment', 'default', 'web')!.spec as any).replicas).toBe(7);
    const negative = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      { spec: { replicas: -1 } },
      'application/merge-patch+json',
    );
    expect(negative.status).toBe(422);

    sim.state.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up',
      type: 'Normal',
      count: 2,
      lastTimestamp: '2026-06-01T12:00:00Z',
    });
    const v1 = await call('GET', '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dweb');
    expect(v1.json.items[0]).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { kind: 'Deployment', name: 'web' },
      note: 'Scaled up',
      deprecatedCount: 2,
      deprecatedLastTimestamp: '2026-06-01T12:00:00Z',
    });
  });

  it('serves pod logs from the PodLog a controller keeps, with the kubelet errors', async () => {
    const pod = sim.state.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'default' },
      spec: { containers: [{ name: 'api', image: 'api:1' }] },
      status: { containerStatuses: [{ name: 'api', state: { running: {} } }] },
    });
    sim.state.create({
      apiVersion: 'sim.inc.dev/v1',
      kind: 'PodLog',
      metadata: {
        name: 'api-1',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'api-1', uid: pod.metadata.uid! }],
      },
      containers: {
        api: {
          current: [
            { at: '2026-06-01T11:59:00Z', text: 'starting' },
            { at: '2026-06-01T11:59:30Z', text: 'ready' },
          ],
          previous: [{ at: '2026-06-01T11:50:00Z', text: 'ERROR boom' }],
        },
      },
    });
    expect((await call('GET', '/api/v1/namespaces/default/pods/api-1/log')).text).toBe('starting\nready\n');
    expect((await call('GET', '/api/v1/namespaces/default/pods/api-1/log?tailLines=1&timestamps=true')).text).toBe(
      '2026-06-01T11:59:30.000000000Z ready\n',
    );
    expect((await call('GET', '/api/v1/namespaces/default/pods/api-1/log?previous=true')).text).toBe('ERROR boom\n');
    expect((await call('GET', '/api/v1/namespaces/default/pods/api-1/log?container=nope')).status).toBe(400);

    const follow = await fetch(`${sim.url}/api/v1/namespaces/default/pods/api-1/log?follow=true&tailLines=1`);
    const reader = follow.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('ready\n');
    const log = structuredClone(sim.state.get('PodLog', 'default', 'api-1')!) as any;
    log.containers.api.current.push({ at: '2026-06-01T12:00:00Z', text: 'served /pay' });
    sim.state.update(log);
    expect(decoder.decode((await reader.read()).value)).toBe('served /pay\n');

    sim.state.delete('Pod', 'default', 'api-1');
    expect(sim.state.get('PodLog', 'default', 'api-1')).toBeUndefined();
    expect((await reader.read()).done).toBe(true);
  });

  it('deletes with propagation: background takes dependents, orphan keeps them without the reference', async () => {
    const owner = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('a'))).json;
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a', uid: owner.metadata.uid, controller: true };
    sim.state.create({
      ...configMap('dep-a'),
      metadata: { name: 'dep-a', namespace: 'default', ownerReferences: [ref] },
    });
    const deleted = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/a');
    expect(deleted.json).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'a', kind: 'deployments' },
    });
    expect(sim.state.get('ConfigMap', 'default', 'dep-a')).toBeUndefined();

    const owner2 = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('b'))).json;
    sim.state.create({
      ...configMap('dep-b'),
      metadata: {
        name: 'dep-b',
        namespace: 'default',
        ownerReferences: [{ ...ref, name: 'b', uid: owner2.metadata.uid }],
      },
    });
    await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/b', { propagationPolicy: 'Orphan' });
    const orphan = sim.state.get('ConfigMap', 'default', 'dep-b');
    expect(orphan?.metadata.ownerReferences).toBeUndefined();
    expect((await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/b')).status).toBe(404);
  });
});

describe('watch', () => {
  beforeEach(async () => {
    sim = await boot();
  });
  afterEach(async () => {
    await sim.stop();
  });

  /** Reads watch events until `count` arrived (bounded by the test timeout). */
  async function readEvents(path: string, count: number, act?: () => Promise<void>): Promise<any[]> {
    const controller = new AbortController();
    const res = await fetch(`${sim.url}${path}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('application/json');
    const reader = res.body!.getReader();
    const events: any[] = [];
    let buffer = '';
    let acted = false;
    while (events.length < count) {
      if (!acted && act) {
        acted = true;
        await act();
      }
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    }
    controller.abort();
    return events;
  }

  it('starts with the current state, then streams changes; a selector turns leaving into DELETED', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', configMap('one', { team: 'a' }));
    const events = await readEvents(
      '/api/v1/namespaces/default/configmaps?watch=true&labelSelector=team%3Da',
      4,
      async () => {
        await call('POST', '/api/v1/namespaces/default/configmaps', configMap('two', { team: 'a' }));
        await call('POST', '/api/v1/namespaces/default/configmaps', configMap('other', { team: 'b' }));
        await call(
          'PATCH',
          '/api/v1/namespaces/default/configmaps/one',
          { data: { a: '2' } },
          'application/merge-patch+json',
        );
        await call(
          'PATCH',
          '/api/v1/namespaces/default/configmaps/two',
          { metadata: { labels: { team: 'b' } } },
          'application/merge-patch+json',
        );
      },
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED one',
      'ADDED two',
      'MODIFIED one',
      'DELETED two',
    ]);
  });

  it('replays from a resourceVersion, sends bookmarks, and reports a compacted version as 410', async () => {
    const one = (await call('POST', '/api/v1/namespaces/default/configmaps', configMap('one'))).json;
    await call('DELETE', '/api/v1/namespaces/default/configmaps/one');
    const events = await readEvents(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${one.metadata.resourceVersion}&allowWatchBookmarks=true`,
      2,
    );
    expect(events[0]).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'one' } } });
    expect(events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', metadata: { resourceVersion: String(sim.store.resourceVersion) } },
    });

    sim.store.compact();
    const expired = await readEvents(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${one.metadata.resourceVersion}`,
      1,
    );
    expect(expired[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('ends at timeoutSeconds, and stop() closes open watches', async () => {
    const started = Date.now();
    const res = await fetch(`${sim.url}/api/v1/namespaces?watch=true&timeoutSeconds=1`);
    const text = await res.text();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    const open = await fetch(`${sim.url}/api/v1/pods?watch=true`);
    const body = open.text().catch(() => 'closed');
    await sim.stop();
    await expect(body).resolves.toBeDefined();
  });
});

describe('faults', () => {
  afterEach(async () => {
    await sim.stop();
  });

  it('answers 429 with Retry-After at the error rate, only for the chosen resources', async () => {
    sim = await boot({ errorRate: 1, errorStatus: 429, errorResources: ['pods'] });
    const pods = await call('GET', '/api/v1/pods');
    expect(pods.status).toBe(429);
    expect(pods.headers.get('retry-after')).toBe('1');
    expect(pods.json).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 1 } });
    expect((await call('GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('repeats the same pattern for the same seed', async () => {
    const pattern = async () => {
      sim = await boot({ errorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await call('GET', '/api/v1/configmaps')).status);
      await sim.stop();
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
    sim = await boot();
  });

  it('denies forbidden resources with the RBAC message, and leaves out metrics without metrics-server', async () => {
    sim = await boot({ forbidden: ['nodes', 'deployments'], noMetrics: true });
    const nodes = await call('GET', '/api/v1/nodes');
    expect(nodes.status).toBe(403);
    expect(nodes.json.message).toBe(
      'nodes is forbidden: User "inc-sim-user" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const scale = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/prod/deployments/web/scale',
      {},
      'application/merge-patch+json',
    );
    expect(scale.json.message).toBe(
      'deployments.apps "web" is forbidden: User "inc-sim-user" cannot patch resource "deployments/scale" in API group "apps" in the namespace "prod"',
    );
    const review = (resource: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', resource } },
    });
    expect(
      (await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', review('nodes'))).json.status
        .allowed,
    ).toBe(false);
    expect(
      (await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', review('pods'))).json.status
        .allowed,
    ).toBe(true);
    expect((await call('GET', '/apis')).json.groups.map((g: any) => g.name)).not.toContain('metrics.k8s.io');
    expect((await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).status).toBe(404);
  });

  it('drops the connection mid-body', async () => {
    sim = await boot({ dropConnectionRate: 1 });
    await expect(call('GET', '/api/v1/namespaces')).rejects.toThrow();
    expect((await call('GET', '/version')).status).toBe(200);
  });

  it('adds latency to every answer', async () => {
    sim = await boot({ latencyMs: 150 });
    const started = Date.now();
    await call('GET', '/version');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

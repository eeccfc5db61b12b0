import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock.js';
import { KubeClient } from '../../../../src/kube/client.js';
import { fetchSnapshot } from '../../../../src/triage/adapters/fetch-snapshot.js';
import { RESOURCE_KEYS } from '../../../../src/triage/snapshot.js';

let server: Server | undefined;
let kube: KubeClient | undefined;
afterEach(async () => {
  kube?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const crashing = {
  metadata: {
    name: 'api-1',
    namespace: 'payments',
    uid: 'u1',
    ownerReferences: [{ kind: 'ReplicaSet', name: 'api-abc' }],
    managedFields: [{ manager: 'kubelet' }],
  },
  spec: {
    containers: [
      {
        name: 'api',
        env: [
          { name: 'DB_PASSWORD', value: 'hunter2' },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
    ],
  },
  status: {
    containerStatuses: [
      {
        name: 'api',
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
    ],
  },
};

async function serveCluster(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const lists: Record<string, unknown[]> = {
    '/api/v1/namespaces/payments/pods': [crashing],
    '/api/v1/namespaces/payments/events': [
      { metadata: { name: 'e1' }, type: 'Warning', reason: 'BackOff' },
      { metadata: { name: 'e2' }, type: 'Normal', reason: 'Pulled' },
      { metadata: { name: 'e3' }, type: 'Normal', reason: 'ScalingReplicaSet' },
    ],
    '/apis/argoproj.io/v1alpha1/applications': [{ metadata: { name: 'payments-api', namespace: 'argocd' } }],
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${url.pathname}${url.pathname.endsWith('/log') ? url.search : ''}`);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Date', 'Tue, 10 Mar 2026 14:30:00 GMT');
    if (url.pathname === '/api/v1/nodes') {
      res.statusCode = 403;
      return res.end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'nodes is forbidden' }));
    }
    if (url.pathname.startsWith('/apis/metrics.k8s.io/')) {
      res.statusCode = 404;
      return res.end(
        JSON.stringify({
          kind: 'Status',
          code: 404,
          reason: 'NotFound',
          message: 'the server could not find the requested resource',
        }),
      );
    }
    if (url.pathname.endsWith('/log')) {
      res.setHeader('Content-Type', 'text/plain');
      return res.end('starting\npanic: missing key\n');
    }
    res.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: '7' }, items: lists[url.pathname] ?? [] }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('fetchSnapshot', () => {
  it('lists each resource kind once, in the namespace (Argo CD applications across namespaces), and classifies failures', async () => {
    const { url, requests } = await serveCluster();
    kube = new KubeClient({
      resolved: {
        source: 'test',
        contextName: 'ctx',
        clusterName: 'c',
        userName: 'u',
        cluster: { server: url },
        user: {},
        server: url,
        namespace: 'payments',
        contextNamespace: undefined,
        merged: { files: [], currentContext: 'ctx', clusters: [], users: [], contexts: [] },
      },
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      signal: new AbortController().signal,
      requestTimeoutMs: 2000,
      retry: { attempts: 1 },
    });
    const seen: string[] = [];
    const snapshot = await fetchSnapshot(kube, {
      namespace: 'payments',
      resources: RESOURCE_KEYS,
      logs: true,
      onResource: (key, failure) => seen.push(`${key}:${failure?.kind ?? 'ok'}`),
    });

    const lists = requests.filter((path) => !path.includes('/log'));
    expect(new Set(lists).size).toBe(lists.length);
    expect(lists).toHaveLength(RESOURCE_KEYS.length);
    expect(lists).toContain('/apis/apps/v1/namespaces/payments/deployments');
    expect(lists).toContain('/apis/argoproj.io/v1alpha1/applications');
    expect(snapshot.now).toBe('2026-03-10T14:30:00.000Z');
    expect(snapshot.failures.nodes).toMatchObject({ kind: 'forbidden' });
    expect(snapshot.failures.podMetrics).toMatchObject({
      kind: 'absent',
      message: 'metrics API not available (404 NotFound)',
    });
    expect(snapshot.applications).toHaveLength(1);
    expect(seen).toContain('logs:ok');
    expect(seen).toHaveLength(RESOURCE_KEYS.length + 1);

    // Evidence never carries env values or managedFields; only Warning and scaling events are kept.
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('managedFields');
    expect(snapshot.pods[0]?.spec).toMatchObject({
      containers: [{ env: [{ name: 'DB_PASSWORD' }, { name: 'TOKEN', valueFrom: {} }] }],
    });
    expect(snapshot.events.map((e) => e.reason)).toEqual(['BackOff', 'ScalingReplicaSet']);

    // The previous container's log of the crash-looping pod, bounded.
    expect(requests.find((path) => path.includes('/log'))).toBe(
      '/api/v1/namespaces/payments/pods/api-1/log?container=api&previous=true&tailLines=40&limitBytes=4096',
    );
    expect(snapshot.logs).toEqual([
      { namespace: 'payments', pod: 'api-1', podUid: 'u1', container: 'api', text: 'starting\npanic: missing key\n' },
    ]);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { KubeClient } from '../../../src/kube/client.js';
import type { InteractiveLogin } from '../../../src/kube/credential-plugin.js';
import {
  ClusterUnreachableError,
  KubeApiError,
  KubeCredentialsError,
  KubeForbiddenError,
  KubeTimeoutError,
} from '../../../src/kube/errors.js';
import { KubeconfigError } from '../../../src/kubeconfig/kubeconfig-error.js';
import type { ResolvedKubeconfig } from '../../../src/kubeconfig/resolve-kubeconfig.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server | undefined;
const clients: KubeClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  }
});

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function resolvedFor(url: string, namespace = 'default'): ResolvedKubeconfig {
  const cluster = { server: url, 'insecure-skip-tls-verify': true };
  const user = { token: 'secret-token' };
  return {
    source: 'test',
    contextName: 'test-ctx',
    clusterName: 'test-cluster',
    userName: 'u',
    cluster,
    user,
    server: url,
    namespace,
    contextNamespace: undefined,
    merged: { files: [], currentContext: 'test-ctx', clusters: [], users: [], contexts: [] },
  };
}

const sleeps: number[] = [];
function client(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal; clock?: FakeClock } = {},
): KubeClient {
  sleeps.length = 0;
  const made = new KubeClient({
    resolved: resolvedFor(url),
    clock: options.clock ?? new FakeClock('2026-01-01T00:00:00Z'),
    signal: options.signal ?? new AbortController().signal,
    requestTimeoutMs: options.timeoutMs ?? 2000,
    retry: { baseDelayMs: 1, maxDelayMs: 8, random: () => 1, sleep: async (ms) => void sleeps.push(ms) },
  });
  clients.push(made);
  return made;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

describe('KubeClient.list', () => {
  it('follows continue tokens with the default page size and sends the bearer token', async () => {
    const seen: string[] = [];
    const url = await serve((req, res, u) => {
      seen.push(`${u.searchParams.get('limit')}:${u.searchParams.get('continue') ?? ''}:${req.headers.authorization}`);
      const token = u.searchParams.get('continue');
      if (!token) return json(res, 200, { kind: 'PodList', metadata: { continue: 'p2' }, items: [{ n: 1 }, { n: 2 }] });
      if (token === 'p2') return json(res, 200, { kind: 'PodList', metadata: { continue: 'p3' }, items: [{ n: 3 }] });
      json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '42' }, items: [{ n: 4 }] });
    });
    const result = await client(url).list<{ n: number }>('/api/v1/pods');
    expect(result.items.map((item) => item.n)).toEqual([1, 2, 3, 4]);
    expect(result.resourceVersion).toBe('42');
    expect(seen).toEqual(['5000::Bearer secret-token', '5000:p2:Bearer secret-token', '5000:p3:Bearer secret-token']);
  });

  it('passes selectors and applies the item transform', async () => {
    let query = '';
    const url = await serve((_req, res, u) => {
      query = `${u.searchParams.get('labelSelector')}|${u.searchParams.get('fieldSelector')}`;
      json(res, 200, { items: [{ a: 1, big: 'x' }] });
    });
    const result = await client(url).list('/api/v1/namespaces/p/pods', {
      labelSelector: 'app=api',
      fieldSelector: 'status.phase!=Running',
      transform: (item) => ({ a: (item as { a: number }).a }),
    });
    expect(query).toBe('app=api|status.phase!=Running');
    expect(result.items).toEqual([{ a: 1 }]);
  });

  it('restarts the list when the continue token expired (410)', async () => {
    let calls = 0;
    const url = await serve((_req, res, u) => {
      calls += 1;
      if (u.searchParams.get('continue') === 'old')
        return json(res, 410, status(410, 'Expired', 'too old resource version'));
      if (calls === 1) return json(res, 200, { metadata: { continue: 'old' }, items: [{ n: 1 }] });
      json(res, 200, { metadata: {}, items: [{ n: 1 }, { n: 2 }] });
    });
    const result = await client(url).list<{ n: number }>('/api/v1/pods');
    expect(result.items.map((item) => item.n)).toEqual([1, 2]);
    expect(calls).toBe(3);
  });

  it('gives up after a bounded number of restarts', async () => {
    let calls = 0;
    const url = await serve((_req, res, u) => {
      calls += 1;
      if (u.searchParams.get('continue')) return json(res, 410, status(410, 'Expired', 'expired'));
      json(res, 200, { metadata: { continue: 'x' }, items: [] });
    });
    await expect(client(url).list('/api/v1/pods')).rejects.toMatchObject({ status: 410, reason: 'Expired' });
    expect(calls).toBe(8);
  });
});

describe('KubeClient retries', () => {
  it('retries a read on 503 and 500, then succeeds', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 503, status(503, 'ServiceUnavailable', 'etcd busy'));
      if (calls === 2) return json(res, 500, status(500, 'InternalError', 'oops'));
      json(res, 200, { ok: true });
    });
    await expect(client(url).get('/api/v1/namespaces/a/pods/b')).resolves.toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(sleeps).toEqual([1, 2]);
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '3' });
      json(res, 200, { ok: true });
    });
    await client(url).get('/api/v1/nodes');
    expect(sleeps).toEqual([3000]);
  });

  it('stops after a bounded number of tries and reports the last error', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 500, status(500, 'InternalError', 'boom'));
    });
    const error = await client(url)
      .get('/api/v1/namespaces/x/events')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).message).toBe('list events in namespace x failed (500 InternalError): boom');
    expect(calls).toBe(4);
  });

  it('never retries a mutation', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 503, status(503, 'ServiceUnavailable', 'busy'));
    });
    const kube = client(url);
    await expect(
      kube.request({
        method: 'PATCH',
        path: '/apis/apps/v1/namespaces/p/deployments/api/scale',
        body: { spec: { replicas: 3 } },
        contentType: 'application/merge-patch+json',
      }),
    ).rejects.toMatchObject({
      status: 503,
      call: {
        verb: 'patch',
        resource: 'deployments',
        group: 'apps',
        namespace: 'p',
        name: 'api',
        subresource: 'scale',
      },
    });
    expect(calls).toBe(1);
  });

  it('retries a read after a connection reset', async () => {
    let calls = 0;
    const url = await serve((req, res) => {
      calls += 1;
      if (calls === 1) return req.socket.destroy();
      json(res, 200, { ok: true });
    });
    await expect(client(url).get('/api/v1/nodes/n1')).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('does not retry 4xx errors other than 429', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 404, status(404, 'NotFound', 'pods "x" not found'));
    });
    await expect(client(url).get('/api/v1/namespaces/a/pods/x')).rejects.toMatchObject({
      status: 404,
      reason: 'NotFound',
    });
    expect(calls).toBe(1);
  });
});

describe('KubeClient error mapping', () => {
  it('turns 403 into a message naming verb, resource, group and scope', async () => {
    const url = await serve((_req, res) =>
      json(res, 403, status(403, 'Forbidden', 'nodes is forbidden: User "jane" cannot list resource "nodes"')),
    );
    const error = (await client(url)
      .list('/api/v1/nodes')
      .catch((e: unknown) => e)) as KubeForbiddenError;
    expect(error).toBeInstanceOf(KubeForbiddenError);
    expect(error.message).toBe(
      'cannot list nodes at cluster scope (forbidden): ask for RBAC permission `list` on `nodes` at cluster scope',
    );
    expect(error.status).toBe(403);
    expect(error.reason).toBe('Forbidden');
    expect(error.hint).toContain('User "jane"');

    const namespaced = (await client(url)
      .list('/apis/apps/v1/namespaces/payments/deployments')
      .catch((e: unknown) => e)) as KubeForbiddenError;
    expect(namespaced.message).toBe(
      'cannot list deployments.apps in namespace payments (forbidden): ask for RBAC permission `list` on `deployments` in API group `apps` in namespace payments',
    );
  });

  it('turns 401 into an authentication message naming the context', async () => {
    const url = await serve((_req, res) => json(res, 401, status(401, 'Unauthorized', 'Unauthorized')));
    await expect(client(url).get('/api/v1/nodes/x')).rejects.toThrow(/rejected the credentials of context test-ctx/);
  });

  it('keeps the Status reason and message of other errors', async () => {
    const url = await serve((_req, res) => json(res, 409, status(409, 'Conflict', 'the object has been modified')));
    const error = (await client(url)
      .request({ method: 'PUT', path: '/apis/apps/v1/namespaces/p/deployments/api', body: {} })
      .catch((e: unknown) => e)) as KubeApiError;
    expect(error.status).toBe(409);
    expect(error.reason).toBe('Conflict');
    expect(error.message).toBe('update deployments.apps p/api failed (409 Conflict): the object has been modified');
  });

  it('maps connection refused to ClusterUnreachableError naming server and context (exit 4)', async () => {
    const url = await serve((_req, res) => json(res, 200, {}));
    server?.close();
    server = undefined;
    const error = (await client(url)
      .get('/api/v1/nodes')
      .catch((e: unknown) => e)) as ClusterUnreachableError;
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain('refused');
    expect(error.message).toContain(url);
    expect(error.message).toContain('context test-ctx');
  });

  it('maps DNS failures to ClusterUnreachableError', async () => {
    const error = (await client('http://nosuch-host.invalid:6443')
      .get('/api/v1/nodes')
      .catch((e: unknown) => e)) as ClusterUnreachableError;
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.message).toMatch(/cannot resolve host nosuch-host.invalid:6443|no route|failed/);
  });

  it('maps TLS failures to ClusterUnreachableError', async () => {
    // A plain HTTP server spoken to over https fails the TLS handshake.
    const url = await serve((_req, res) => json(res, 200, {}));
    const error = (await client(url.replace('http:', 'https:'))
      .get('/api/v1/nodes')
      .catch((e: unknown) => e)) as ClusterUnreachableError;
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.message).toMatch(/TLS handshake|SSL|reset/);
  });

  it('times out a slow request after the per-request timeout', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = (await client(url, { timeoutMs: 150 })
      .get('/api/v1/namespaces/p/pods')
      .catch((e: unknown) => e)) as KubeTimeoutError;
    expect(error).toBeInstanceOf(KubeTimeoutError);
    expect(error.message).toContain('no answer within 150 ms to list pods in namespace p');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('KubeClient.serverNow', () => {
  it('uses the Date header of the last answer, advanced by the local clock', async () => {
    const url = await serve((_req, res) => json(res, 200, {}, { Date: 'Wed, 01 Jul 2026 12:00:00 GMT' }));
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const kube = client(url, { clock });
    expect(kube.serverNow().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    await kube.get('/version');
    clock.advance(5000);
    expect(kube.serverNow().toISOString()).toBe('2026-07-01T12:00:05.000Z');
  });
});

/** A client whose kubeconfig user runs `command args` for its credentials. */
function execClient(
  url: string,
  command: string,
  args: string[],
  options: {
    cluster?: ResolvedKubeconfig['cluster'];
    user?: ResolvedKubeconfig['user'];
    /** More of the `exec` entry (interactiveMode). */
    exec?: Record<string, unknown>;
    requestTimeoutMs?: number;
    login?: InteractiveLogin;
  } = {},
): KubeClient {
  const resolved = resolvedFor(url);
  if (options.cluster) resolved.cluster = options.cluster;
  const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args, ...options.exec };
  resolved.user = { exec, ...options.user };
  resolved.merged = {
    files: [],
    currentContext: 'test-ctx',
    clusters: [{ name: 'test-cluster', value: resolved.cluster }],
    users: [{ name: 'u', value: resolved.user }],
    contexts: [{ name: 'test-ctx', value: { cluster: 'test-cluster', user: 'u' } }],
  };
  const kube = new KubeClient({
    resolved,
    clock: new FakeClock(),
    signal: new AbortController().signal,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    login: options.login,
  });
  clients.push(kube);
  return kube;
}

describe('KubeClient impersonation', () => {
  const impersonation = {
    as: 'oncall@example.com',
    'as-uid': '1234',
    'as-groups': ['sre', 'system:authenticated'],
    'as-user-extra': { scopes: ['view', 'edit'], 'acme.io/team name': ['payments'] },
  };
  const sent = (req: IncomingMessage) =>
    Object.fromEntries(Object.entries(req.headersDistinct).filter(([name]) => name.startsWith('impersonate-')));
  const expected = {
    'impersonate-user': ['oncall@example.com'],
    'impersonate-uid': ['1234'],
    'impersonate-group': ['sre', 'system:authenticated'],
    'impersonate-extra-scopes': ['view', 'edit'],
    // Header names arrive lower-cased: client-go's escape is acme.io%2Fteam%20name.
    'impersonate-extra-acme.io%2fteam%20name': ['payments'],
  };

  it("sends the kubeconfig user's as, as-uid, as-groups and as-user-extra as kubectl does", async () => {
    let headers = {};
    const url = await serve((req, res) => {
      headers = sent(req);
      json(res, 200, {});
    });
    const made = new KubeClient({
      resolved: { ...resolvedFor(url), user: { token: 't', ...impersonation } },
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      signal: new AbortController().signal,
      requestTimeoutMs: 2000,
    });
    clients.push(made);
    await made.get('/version');
    expect(headers).toEqual(expected);
  });

  it('sends them too when client-node authenticates (an exec plugin), which itself sends only the user', async () => {
    let headers = {};
    const url = await serve((req, res) => {
      headers = sent(req);
      json(res, 200, {});
    });
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'exec-token' },
    });
    const made = execClient(url, process.execPath, ['-e', `console.log(${JSON.stringify(credential)})`], {
      user: impersonation,
    });
    await made.get('/version');
    expect(headers).toEqual(expected);
  });
});

describe('KubeClient with kubeconfig files it cannot read', () => {
  const build = (resolved: ResolvedKubeconfig) => {
    const kube = new KubeClient({
      resolved,
      clock: new FakeClock(),
      signal: new AbortController().signal,
      requestTimeoutMs: 2000,
    });
    clients.push(kube);
    return kube;
  };

  it('names the key and the file, as kubectl does, rather than failing as a bug or an unreachable cluster', async () => {
    const withCa = resolvedFor('https://127.0.0.1:6443');
    withCa.cluster = { server: 'https://127.0.0.1:6443', 'certificate-authority': '/nonexistent/ca.crt' };
    expect(() => build(withCa)).toThrow(KubeconfigError);
    expect(() => build(withCa)).toThrow(
      'unable to read certificate-authority /nonexistent/ca.crt of context test-ctx: no such file',
    );
    const url = await serve((_req, res) => json(res, 200, {}));
    const withToken = resolvedFor(url);
    withToken.user = { tokenFile: '/nonexistent/token' };
    const error = await build(withToken)
      .get('/version')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as KubeconfigError).message).toBe(
      'unable to read tokenFile /nonexistent/token of context test-ctx: no such file',
    );
    expect((error as KubeconfigError).hint).toContain('give the token inline');
  });
});

describe('KubeClient with an exec credential plugin', () => {
  it('authenticates through client-node, which runs the plugin', async () => {
    let auth = '';
    const url = await serve((req, res) => {
      auth = String(req.headers.authorization);
      json(res, 200, { ok: true });
    });
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'exec-token' },
    });
    const kube = execClient(url, process.execPath, ['-e', `console.log(${JSON.stringify(credential)})`]);
    await expect(kube.get('/version')).resolves.toEqual({ ok: true });
    expect(auth).toBe('Bearer exec-token');
  });

  it('a plugin that is not installed or fails is a credentials error, never "cluster unreachable"', async () => {
    let asked = 0;
    const url = await serve((_req, res) => {
      asked += 1;
      json(res, 200, {});
    });
    const missing = (await execClient(url, 'aws-not-installed', ['eks', 'get-token', '--cluster-name', 'prod'])
      .get('/version')
      .catch((e: unknown) => e)) as KubeCredentialsError;
    expect(missing).toBeInstanceOf(KubeCredentialsError);
    expect(missing).not.toBeInstanceOf(ClusterUnreachableError);
    expect(missing.message).toBe(
      'no credentials: the credential plugin "aws-not-installed eks get-token" of context test-ctx could not be started: aws-not-installed is not on the PATH; the cluster was not asked',
    );
    expect(missing.hint).toContain('install aws-not-installed');
    const expired = (await execClient(url, process.execPath, [
      '-e',
      'console.error("Error when retrieving token from sso: Token has expired and refresh failed"); process.exit(255)',
    ])
      .get('/version')
      .catch((e: unknown) => e)) as KubeCredentialsError;
    expect(expired).toBeInstanceOf(KubeCredentialsError);
    expect(expired.message).toContain(
      'failed: Error when retrieving token from sso: Token has expired and refresh failed',
    );
    expect(expired.hint).toContain('log in again');
    expect(asked).toBe(0);
  });

  it("says how to install a missing plugin in the kubeconfig's own words (its installHint), as kubectl does", async () => {
    const url = await serve((_req, res) => json(res, 200, {}));
    const installHint = `gke-gcloud-auth-plugin is needed for continued use of kubectl.
      Install it with: gcloud components install gke-gcloud-auth-plugin`;
    const error = (await execClient(url, 'gke-gcloud-auth-plugin-not-installed', [], { exec: { installHint } })
      .get('/version')
      .catch((caught: unknown) => caught)) as KubeCredentialsError;
    expect(error).toBeInstanceOf(KubeCredentialsError);
    expect(error.hint).toBe(
      'gke-gcloud-auth-plugin is needed for continued use of kubectl. Install it with: gcloud components install gke-gcloud-auth-plugin; kubectl --context test-ctx get --raw /version fails the same way',
    );
  });

  it('runs the plugin once for many requests at once, even when it gives no expiry', async () => {
    const url = await serve((_req, res) => json(res, 200, { ok: true }));
    const runs = join(mkdtempSync(join(tmpdir(), 'inc-exec-runs-')), 'runs');
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'exec-token' },
    });
    const script = `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x'); setTimeout(() => console.log(${JSON.stringify(credential)}), 200)`;
    const kube = execClient(url, process.execPath, ['-e', script]);
    await Promise.all(Array.from({ length: 12 }, () => kube.get('/version')));
    await kube.get('/version');
    expect(readFileSync(runs, 'utf8')).toBe('x');
  });

  it('says a plugin that gives no answer (a login waiting in a browser) instead of waiting for ever', async () => {
    const url = await serve((_req, res) => json(res, 200, {}));
    const kube = execClient(url, process.execPath, ['-e', 'setTimeout(() => {}, 3000)'], { requestTimeoutMs: 300 });
    const error = await kube.get('/version').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeCredentialsError);
    expect((error as KubeCredentialsError).message).toContain(
      'failed: it gave no answer within the request timeout (is it waiting for a login in a browser?)',
    );
  });

  /** A plugin that answers after `delayMs` with a token saying what KUBERNETES_EXEC_INFO and its input were. */
  const tellingPlugin = (delayMs: number, prompt = '') => [
    '-e',
    `const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO ?? '{}');
     if (${JSON.stringify(prompt)}) process.stderr.write(${JSON.stringify(`${prompt}
`)});
     let input = '';
     const answer = () => console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
       status: { token: 'interactive-' + info.spec?.interactive + '-input-' + input.length } }));
     if (info.spec?.interactive) setTimeout(answer, ${delayMs});
     else { process.stdin.on('data', (d) => (input += d)); process.stdin.on('end', () => setTimeout(answer, ${delayMs})); }`,
  ];

  it('takes a plain http:// server as kubectl does (client-node alone refuses it unless told to skip TLS checks)', async () => {
    const url = await serve((_req, res) => json(res, 200, { ok: true }));
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'exec-token' },
    });
    const kube = execClient(url, process.execPath, ['-e', `console.log(${JSON.stringify(credential)})`], {
      cluster: { server: url },
    });
    await expect(kube.get('/version')).resolves.toEqual({ ok: true });
  });

  it('tells the plugin it may not ask (KUBERNETES_EXEC_INFO), and gives it no input to wait on, without a terminal', async () => {
    let auth = '';
    const url = await serve((req, res) => {
      auth = String(req.headers.authorization);
      json(res, 200, {});
    });
    await execClient(url, process.execPath, tellingPlugin(0)).get('/version');
    expect(auth).toBe('Bearer interactive-false-input-0');
  });

  it('on a terminal, shows its prompts as they come and waits for the login past the request timeout', async () => {
    let auth = '';
    const url = await serve((req, res) => {
      auth = String(req.headers.authorization);
      json(res, 200, {});
    });
    const shown: string[] = [];
    const kube = execClient(
      url,
      process.execPath,
      tellingPlugin(600, 'Open https://login.example/device and enter ABCD-1234'),
      {
        requestTimeoutMs: 200,
        login: { show: (text) => shown.push(text) },
      },
    );
    await kube.get('/version');
    expect(auth).toBe('Bearer interactive-true-input-0');
    expect(shown).toEqual(['Open https://login.example/device and enter ABCD-1234']);
  });

  it('refuses a plugin whose interactiveMode is Always without a terminal, as kubectl does', async () => {
    const url = await serve((_req, res) => json(res, 200, {}));
    const error = await execClient(url, process.execPath, tellingPlugin(0), { exec: { interactiveMode: 'Always' } })
      .get('/version')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeCredentialsError);
    expect((error as Error).message).toContain('interactiveMode: Always');
  });

  it('tells a plugin with provideClusterInfo the cluster, its CA and its exec extension, as kubectl does', async () => {
    let auth = '';
    const url = await serve((req, res) => {
      auth = String(req.headers.authorization);
      json(res, 200, {});
    });
    const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
    const cluster = {
      server: url,
      // client-node refuses an http:// server otherwise.
      'insecure-skip-tls-verify': true,
      'certificate-authority-data': ca,
      extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'prod-eu' } }],
    };
    const script = `const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
      console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
        status: { token: Buffer.from(JSON.stringify(info.spec.cluster)).toString('base64url') } }));`;
    await execClient(url, process.execPath, ['-e', script], { cluster, exec: { provideClusterInfo: true } }).get(
      '/version',
    );
    const told = JSON.parse(Buffer.from(auth.replace('Bearer ', ''), 'base64url').toString('utf8'));
    expect(told).toEqual({
      server: url,
      'insecure-skip-tls-verify': true,
      'certificate-authority-data': ca,
      config: { audience: 'prod-eu' },
    });
  });

  it("a certificate file it cannot read is the kubeconfig's error, not the plugin's", async () => {
    const server = 'https://127.0.0.1:6443';
    const kube = execClient(server, process.execPath, ['-e', 'console.log("{}")'], {
      cluster: { server, 'certificate-authority': '/nonexistent/ca.crt' },
    });
    const error = await kube.get('/version').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as KubeconfigError).message).toBe(
      'unable to read /nonexistent/ca.crt of context test-ctx: no such file',
    );
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInc } from '../helpers/run-inc.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
// A definition only the Kubernetes client has (as the bundle test reads it).
const CLIENT_NODE = /\bKubeConfig\s*=\s*class\b/;
const TOKEN = 'Bearer flag-token-7f3a9c1e5b2d';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('inc run feature-flag (no cluster)', () => {
  let server: Server;
  let url: string;
  let home: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/flags`;
    home = mkdtempSync(join(tmpdir(), 'inc-flag-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    rmSync(home, { recursive: true, force: true });
  });
  beforeEach(() => {
    received.length = 0;
  });

  /** No kubeconfig anywhere: KUBECONFIG names a missing file and HOME has no ~/.kube. */
  const env = () => ({
    HOME: home,
    KUBECONFIG: join(home, 'no-such-kubeconfig'),
    INC_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    INC_ACTOR: 'oncall',
    FLAG_TOKEN: TOKEN,
  });
  const inc = (args: string[], extra: Record<string, string> = {}) =>
    runInc(args, { env: { ...env(), ...extra }, cwd: home, timeoutMs: 20_000 });

  it('makes the runbooks\' call by default — POST {"feature": false} — without a kubeconfig or the Kubernetes client', async () => {
    expect((await inc(['start', 'checkout flag misbehaving', '-s', 'P2'])).code).toBe(0);
    // Every module the process loads is logged by a loader hook, to show the client is never loaded.
    const loaded = join(home, 'loaded.txt');
    const hook = join(home, 'hook.mjs');
    const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }`;
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});\n`,
    );
    const result = await inc(['run', 'feature-flag', '--set', `url=${url}`, '--yes'], {
      NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', path: '/admin/flags', body: '{"feature": false}' });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers.authorization).toBe(TOKEN);
    expect(result.stderr).toContain('none (this playbook does not touch a cluster)');
    expect(result.stderr).toContain('body: {"feature": false}');

    const files = readFileSync(loaded, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('file:'))
      .map((line) => fileURLToPath(line));
    const fromDist = files.filter((file) => file.startsWith(DIST));
    expect(fromDist.length).toBeGreaterThan(1);
    const client = readdirSync(join(DIST, 'chunks'))
      .map((name) => join(DIST, 'chunks', name))
      .filter((file) => CLIENT_NODE.test(readFileSync(file, 'utf8')));
    expect(client).toHaveLength(1);
    expect(fromDist).not.toContain(client[0]);

    // Recorded in the incident's log, with the request but never the token.
    const incidents = join(home, 'state', 'incidents');
    const [id] = readdirSync(incidents);
    const log = readFileSync(join(incidents, id ?? '', 'events.jsonl'), 'utf8');
    const applied = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((event) => event.type === 'action' && event.data.phase === 'applied');
    expect(applied?.data).toMatchObject({
      playbook: 'feature-flag',
      context: '',
      after: { status: 200 },
    });
    expect(log).not.toContain('flag-token-7f3a9c1e5b2d');
  });

  it('takes the method and body from the config (playbookDefaults), and --set over the config', async () => {
    mkdirSync(join(home, 'config', 'inc'), { recursive: true });
    const config = join(home, 'config', 'inc', 'config.yaml');
    writeFileSync(
      config,
      `playbookDefaults:\n  feature-flag:\n    url: ${url}\n    method: PUT\n    body: '{"enabled": false}'\n`,
    );
    try {
      const configured = await inc(['run', 'feature-flag', '--yes']);
      expect(configured.code, configured.stderr).toBe(0);
      const flag = await inc(['run', 'feature-flag', '--set', 'method=PATCH', '--yes']);
      expect(flag.code, flag.stderr).toBe(0);
      expect(received.map((r) => [r.method, r.body])).toEqual([
        ['PUT', '{"enabled": false}'],
        ['PATCH', '{"enabled": false}'],
      ]);

      writeFileSync(config, 'playbookDefaults:\n  feature-flag:\n    verb: PUT\n');
      const unknown = await inc(['run', 'feature-flag', '--set', `url=${url}`, '--yes']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('playbookDefaults.feature-flag.verb in the config');
      expect(unknown.stderr).toContain('has no parameter "verb"');
      writeFileSync(config, 'playbookDefaults:\n  feature-flag:\n    method: FETCH\n');
      const wrong = await inc(['run', 'feature-flag', '--set', `url=${url}`, '--yes']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('playbookDefaults.feature-flag.method in the config');
      expect(wrong.stderr).toContain('one of: POST, PUT, PATCH, DELETE');
    } finally {
      rmSync(config, { force: true });
    }
    expect(received).toHaveLength(2);
  });

  it('refuses a body that is not the JSON its content type says, and a run without --yes, sending nothing', async () => {
    const bad = await inc(['run', 'feature-flag', '--set', `url=${url}`, '--set', 'body={feature: false', '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the body is not valid JSON (content type application/json)');
    const unconfirmed = await inc(['run', 'feature-flag', '--set', `url=${url}`]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(received).toEqual([]);
  });
});

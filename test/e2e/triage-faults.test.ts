import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimFaults, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { startForwardProxy, startSocksProxy } from '../helpers/forward-proxy.js';
import { runInc } from '../helpers/run-inc.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ INC_HOME: join(dir, 'home'), HOME: dir });

async function withSim<T>(
  faults: SimFaults | undefined,
  run: (kubeconfig: string, url: string) => Promise<T>,
  scenario = 'bad-deploy',
): Promise<T> {
  const sim = await startSim({ scenario, faults });
  try {
    return await run(sim.kubeconfigPath, sim.url);
  } finally {
    await sim.stop();
  }
}

function parseReport(stdout: string, stderr: string): TriageReport {
  expect(stdout, stderr).toMatch(/^\{/);
  return JSON.parse(stdout) as TriageReport;
}

const check = (report: TriageReport, name: string) => report.checks.find((c) => c.check === name);
const culpritFound = (report: TriageReport) =>
  report.findings.some(
    (f) => f.reason === 'CrashLoopBackOff' && f.workload?.name === 'api' && f.workload.namespace === 'payments',
  );

/** A kubeconfig for the simulator's server at another URL (a proxy, or a closed port). */
function kubeconfigFor(url: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\ncurrent-context: inc-sim\nclusters:\n- name: inc-sim\n  cluster: {server: "${url}", insecure-skip-tls-verify: true}\nusers:\n- name: inc-sim\n  user: {token: t}\ncontexts:\n- name: inc-sim\n  context: {cluster: inc-sim, user: inc-sim}\n`,
  );
  return file;
}

/** Forwards to the simulator, holding back requests whose path matches for `delayMs`. */
async function slowProxy(target: string, slow: RegExp, delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const forward = () => {
      const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (slow.test(req.url ?? '')) setTimeout(forward, delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('inc triage when parts of the cluster fail', () => {
  it('403 on nodes: reports the rest and names the missing permission', async () => {
    await withSim({ forbidden: ['nodes'] }, async (kubeconfig) => {
      const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json'], { cwd: dir, env: env() });
      expect(result.code).toBe(0);
      const report = parseReport(result.stdout, result.stderr);
      expect(culpritFound(report)).toBe(true);
      expect(check(report, 'nodes')).toMatchObject({
        status: 'error',
        error: expect.stringContaining('cannot list nodes at cluster scope (forbidden)'),
      });
      expect(check(report, 'pods')?.status).toBe('ok');

      // With -n, a forbidden cluster-scope list is a note, not a failure; the text report says so on stderr.
      const scoped = await runInc(['--kubeconfig', kubeconfig, 'triage', '-n', 'payments'], { cwd: dir, env: env() });
      expect(scoped.code).toBe(0);
      expect(scoped.stdout).toContain('crash-looping');
      expect(scoped.stderr).toContain('check nodes skipped: cannot list nodes at cluster scope');
    });
  });

  it('no metrics API: top is skipped with a note, the rest runs', async () => {
    await withSim({ noMetrics: true }, async (kubeconfig) => {
      const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json'], { cwd: dir, env: env() });
      expect(result.code).toBe(0);
      const report = parseReport(result.stdout, result.stderr);
      expect(check(report, 'top')).toMatchObject({
        status: 'skipped',
        error: expect.stringContaining('metrics API not available'),
      });
      expect(culpritFound(report)).toBe(true);
    });
  });

  it('500s on events: the events check fails after bounded retries, the pods check still finds the culprit', async () => {
    await withSim({ errorRate: 1, errorStatus: 500, errorResources: ['events'] }, async (kubeconfig) => {
      const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json'], { cwd: dir, env: env() });
      expect(result.code).toBe(0);
      const report = parseReport(result.stdout, result.stderr);
      expect(check(report, 'events')).toMatchObject({ status: 'error', error: expect.stringContaining('500') });
      expect(culpritFound(report)).toBe(true);
    });
  });

  it('a slow events API past --request-timeout: events times out, the rest is reported', async () => {
    await withSim(undefined, async (_kubeconfig, url) => {
      const proxy = await slowProxy(url, /\/events/, 3000);
      try {
        const kubeconfig = kubeconfigFor(proxy.url, 'slow-events');
        const result = await runInc(
          ['--kubeconfig', kubeconfig, '--request-timeout', '400ms', 'triage', '-A', '-o', 'json'],
          { cwd: dir, env: env() },
        );
        expect(result.code).toBe(0);
        const report = parseReport(result.stdout, result.stderr);
        expect(check(report, 'events')).toMatchObject({
          status: 'error',
          error: expect.stringContaining('no answer within 400 ms to list events'),
        });
        expect(culpritFound(report)).toBe(true);
        expect(report.durationMs).toBeLessThan(3000);
      } finally {
        await close(proxy.server);
      }
    });
  });

  it('an API slower than --request-timeout everywhere: exit 4, says what that means, still probes --url', async () => {
    const health = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
    try {
      await withSim({ latencyMs: 2000 }, async (kubeconfig) => {
        const result = await runInc(
          ['--kubeconfig', kubeconfig, '--request-timeout', '300ms', 'triage', '-A', '-o', 'json', '--url', healthUrl],
          { cwd: dir, env: env() },
        );
        expect(result.code).toBe(4);
        expect(result.stderr).toContain('cluster unreachable');
        expect(result.stderr).toContain('running pods keep serving');
        const report = parseReport(result.stdout, result.stderr);
        expect(report.probes?.[0]).toMatchObject({ url: healthUrl, ok: true, status: 200, body: 'ok' });
        expect(report.probes?.[0]?.timings.totalMs).toBeGreaterThanOrEqual(0);
      });
    } finally {
      await close(health);
    }
  });

  it("reaches an API server only a SOCKS5 proxy can reach (HTTPS_PROXY=socks5://…, kubectl's SSH tunnel setup)", async () => {
    await withSim(undefined, async (_kubeconfig, url) => {
      const socks = await startSocksProxy(Number(new URL(url).port));
      try {
        const kubeconfig = kubeconfigFor(`http://cluster.invalid:${new URL(url).port}`, 'socks');
        const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json'], {
          cwd: dir,
          env: { ...env(), HTTP_PROXY: socks.url, NO_PROXY: '' },
        });
        expect(culpritFound(parseReport(result.stdout, result.stderr))).toBe(true);
        expect(new Set(socks.connects)).toEqual(new Set([`cluster.invalid:${new URL(url).port}`]));
      } finally {
        socks.close();
      }
    });
  });

  it("a --url probe goes through the environment's proxy, as curl's does", async () => {
    const health = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    const proxy = await startForwardProxy((health.address() as AddressInfo).port);
    try {
      // shop.invalid resolves nowhere: only the proxy reaches the health endpoint.
      const result = await runInc(
        ['triage', '--check', 'health', '--url', 'http://shop.invalid/healthz', '-o', 'json'],
        {
          cwd: dir,
          env: { ...env(), HTTP_PROXY: proxy.url, NO_PROXY: '' },
        },
      );
      const report = parseReport(result.stdout, result.stderr);
      expect(report.probes?.[0]).toMatchObject({
        url: 'http://shop.invalid/healthz',
        ok: true,
        status: 200,
        body: 'ok',
      });
      expect(proxy.forwarded).toEqual(['GET http://shop.invalid/healthz']);
      // And through a SOCKS5 proxy (an SSH tunnel), the name resolved on the far side.
      const socks = await startSocksProxy((health.address() as AddressInfo).port);
      try {
        const tunnelled = await runInc(
          ['triage', '--check', 'health', '--url', 'http://shop.invalid/healthz', '-o', 'json'],
          {
            cwd: dir,
            env: { ...env(), HTTP_PROXY: socks.url, NO_PROXY: '' },
          },
        );
        expect(parseReport(tunnelled.stdout, tunnelled.stderr).probes?.[0]).toMatchObject({ ok: true, status: 200 });
        expect(socks.connects).toEqual(['shop.invalid:80']);
      } finally {
        socks.close();
      }
    } finally {
      proxy.close();
      await close(health);
    }
  });

  it('an unreachable server exits 4 naming the server and the context', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await close(closed);
    const result = await runInc(['--kubeconfig', kubeconfigFor(url, 'closed'), 'triage', '-A'], {
      cwd: dir,
      env: env(),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('refused');
    expect(result.stderr).toContain(url);
    expect(result.stderr).toContain('context inc-sim');
  });
});

describe('inc triage input and output', () => {
  it('an unknown --context lists the contexts that exist (exit 2)', async () => {
    const kubeconfig = kubeconfigFor('http://127.0.0.1:1', 'contexts');
    const result = await runInc(['--kubeconfig', kubeconfig, '--context', 'nosuch', 'triage'], {
      cwd: dir,
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('context "nosuch" does not exist');
    expect(result.stderr).toContain('inc-sim');
  });

  it('an unknown --check lists the known ones (exit 2)', async () => {
    const result = await runInc(['triage', '--check', 'pods,bogus'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown check "bogus"');
    expect(result.stderr).toContain('pods, events, top, rollouts, nodes, services, logs');
  });

  it('text and markdown reports: headline, suspect, findings with evidence and the command to run', async () => {
    await withSim(undefined, async (kubeconfig) => {
      const text = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A'], { cwd: dir, env: env() });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^inc triage · context inc-sim · all namespaces/);
      expect(text.stdout).toMatch(/\n\d+ critical/);
      expect(text.stdout).toContain('Suspect: deployment payments/api: rollout to revision 2');
      expect(text.stdout).toMatch(
        /CRITICAL {2}\d+\/\d+ pods of deployment payments\/api crash-looping since \d\d:\d\d/,
      );
      expect(text.stdout).toContain('PAYMENTS_LEDGER_URL');
      expect(text.stdout).toContain('→ inc run rollback --set namespace=payments --set deployment=api');
      expect(text.stdout.includes('\u001b[')).toBe(false);
      expect(text.stderr).toContain('no incident is open; nothing was recorded (inc start TITLE to declare one)');

      const markdown = await runInc(
        ['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'markdown', '--check', 'pods,rollouts'],
        { cwd: dir, env: env() },
      );
      expect(markdown.stdout).toMatch(/^### Triage: \d+ critical/);
      expect(markdown.stdout).toContain('- **critical** ');
      expect(markdown.stdout).toContain('`inc run rollback --set namespace=payments --set deployment=api`');
      const checks = JSON.parse(
        (
          await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json', '--check', 'pods'], {
            cwd: dir,
            env: env(),
          })
        ).stdout,
      ) as TriageReport;
      expect(checks.checks.map((c) => c.check)).toEqual(['pods']);
    });
  });

  it('records the run and the raw snapshot in the current incident', async () => {
    const home = join(dir, 'record-home');
    const recordEnv = { INC_HOME: home, HOME: dir };
    const started = await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { cwd: dir, env: recordEnv });
    expect(started.code, started.stderr).toBe(0);
    await withSim(undefined, async (kubeconfig) => {
      const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A'], { cwd: dir, env: recordEnv });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/recorded in INC-/);
    });
    const [incident] = readdirSync(join(home, 'incidents'));
    const folder = join(home, 'incidents', incident ?? '');
    const events = readFileSync(join(folder, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const triage = events.find((event) => event.type === 'triage');
    expect(triage.data).toMatchObject({ context: 'inc-sim', namespaces: 'all' });
    expect(triage.data.summary.critical).toBeGreaterThan(0);
    expect(triage.data.findings[0]).toMatchObject({ severity: 'critical', suggestion: { playbook: 'rollback' } });
    expect(triage.data.suspects[0].workload).toEqual({ kind: 'Deployment', namespace: 'payments', name: 'api' });
    expect(triage.data.evidence).toMatch(/^evidence\/triage-.*\.json\.gz$/);
    const evidence = gunzipSync(readFileSync(join(folder, triage.data.evidence))).toString('utf8');
    const saved = JSON.parse(evidence);
    expect(saved.snapshot.pods.length).toBeGreaterThan(0);
    expect(saved.snapshot.events.length).toBeGreaterThan(0);
    expect(evidence).not.toContain('"kind":"Secret"');
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimFaults, startSim } from '../../../src/sim/index.js';
import { triageReportSchema } from '../../../src/triage/report-schema.js';
import type { TriageReport } from '../../../src/triage/types.js';
import { runInc } from '../../helpers/run-inc.js';

/** A cluster that answers, but never with what triage needs: it must never read as healthy. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-adversarial-triage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (home = 'home') => ({ INC_HOME: join(dir, home), HOME: dir });

async function withSim<T>(faults: SimFaults, run: (kubeconfig: string) => Promise<T>, scenario = 'healthy') {
  const sim = await startSim({ scenario, faults });
  try {
    return await run(sim.kubeconfigPath);
  } finally {
    await sim.stop();
  }
}

function parseReport(stdout: string, stderr: string): TriageReport {
  expect(stdout, stderr).toMatch(/^\{/);
  const report = JSON.parse(stdout) as TriageReport;
  triageReportSchema.parse(report);
  return report;
}

const EVERY_CHECK_FAILS: [string, SimFaults, number, RegExp][] = [
  ['503 on every request', { errorRate: 1, errorStatus: 503 }, 1, /list pods at cluster scope failed \(503/],
  ['dropped connections', { dropConnectionRate: 1 }, 4, /connection to .* reset during list pods/],
  ['an HTML login page', { htmlRate: 1 }, 1, /list pods at cluster scope: the answer was an HTML page/],
  ['truncated JSON', { truncateRate: 1 }, 1, /list pods at cluster scope: the answer was not valid JSON/],
  ['forbidden everywhere', { forbidden: ['*'] }, 1, /ask for RBAC permission `list` on `pods`/],
];

describe('inc triage never reports a cluster it could not read as healthy', () => {
  for (const [name, faults, exitCode, podsError] of EVERY_CHECK_FAILS) {
    it(`${name}: complete false, says so first, exit ${exitCode}`, async () => {
      await withSim(faults, async (kubeconfig) => {
        const result = await runInc(
          ['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json', '--fail-on', 'critical'],
          {
            cwd: dir,
            env: env(),
          },
        );
        expect(result.code, result.stderr).toBe(exitCode);
        const report = parseReport(result.stdout, result.stderr);
        expect(report.complete).toBe(false);
        expect(report.headline).toMatch(/^triage incomplete: /);
        expect(report.headline).not.toMatch(/^no problems found/);
        expect(report.checks.find((check) => check.check === 'pods')).toMatchObject({
          status: 'error',
          error: expect.stringMatching(podsError),
        });
        // Each check names the request it needed, not the first failure's.
        expect(report.checks.find((check) => check.check === 'events')?.error).toMatch(/list events/);
        expect(report.checks.find((check) => check.check === 'rollouts')?.error).toMatch(/list deployments\.apps/);
        expect(result.stderr).toMatch(exitCode === 4 ? /cluster unreachable/ : /triage incomplete: could not read/);
      });
    });
  }

  it('text and Markdown say so on their first line; the incident records "triage incomplete"', async () => {
    const started = await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { cwd: dir, env: env('rec') });
    expect(started.code, started.stderr).toBe(0);
    await withSim({ errorRate: 1, errorStatus: 503 }, async (kubeconfig) => {
      const text = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A'], { cwd: dir, env: env('rec') });
      expect(text.code).toBe(1);
      expect(text.stdout.split('\n')[0]).toMatch(/^triage incomplete: could not read the cluster/);
      expect(text.stdout).not.toMatch(/^no problems found/m);
      const markdown = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'markdown'], {
        cwd: dir,
        env: env('rec'),
      });
      expect(markdown.code).toBe(1);
      expect(markdown.stdout.split('\n')[0]).toMatch(/^### ⚠ Triage incomplete: could not read the cluster/);
      expect(markdown.stdout).toContain('**Checks not completed**');
    });
    const [incident] = readdirSync(join(dir, 'rec', 'incidents'));
    const events = readFileSync(join(dir, 'rec', 'incidents', incident ?? '', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const triage = events.filter((event) => event.type === 'triage');
    expect(triage.length).toBeGreaterThan(0);
    for (const event of triage) {
      expect(event.data.complete).toBe(false);
      expect(event.data.headline).toMatch(/^triage incomplete: /);
    }
    const log = await runInc(['log'], { cwd: dir, env: env('rec') });
    expect(log.stdout).toContain('triage incomplete');
    expect(log.stdout).not.toContain('no problems found');
  });

  it('one failed check on a healthy cluster: exit 0 but incomplete; --fail-on counts the failed check', async () => {
    await withSim({ errorRate: 1, errorStatus: 500, errorResources: ['events'] }, async (kubeconfig) => {
      const plain = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json'], { cwd: dir, env: env() });
      expect(plain.code, plain.stderr).toBe(0);
      const report = parseReport(plain.stdout, plain.stderr);
      expect(report.complete).toBe(false);
      expect(report.summary).toEqual({ critical: 0, warning: 0, info: expect.any(Number) });
      expect(report.headline).toMatch(/^triage incomplete: 1 of \d+ checks failed \(events\); /);
      const failOn = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '--fail-on', 'critical'], {
        cwd: dir,
        env: env(),
      });
      expect(failOn.code).toBe(3);
      expect(failOn.stderr).toContain('1 failed check');
    });
  });

  it('a healthy cluster is complete and still exits 0 with --fail-on', async () => {
    await withSim({}, async (kubeconfig) => {
      const result = await runInc(['--kubeconfig', kubeconfig, 'triage', '-A', '-o', 'json', '--fail-on', 'warning'], {
        cwd: dir,
        env: env(),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(parseReport(result.stdout, result.stderr).complete).toBe(true);
    });
  });
});

describe('inc triage bounds', () => {
  it('--watch below 2s is refused with a clear error (exit 2)', async () => {
    for (const interval of ['0s', '0', '500ms']) {
      const result = await runInc(['triage', '--watch', interval], { cwd: dir, env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the interval must be at least 2s');
    }
  });

  it('an answer that never ends, with --request-timeout 0, stops at the size cap with a clear error', async () => {
    // A server that streams the pod list without end: inc must stop reading, not run out of memory.
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const endless: Server = createServer((req, res) => {
      if (!req.url?.startsWith('/api/v1/pods')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"kind":"List","items":[],"metadata":{}}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"PodList","items":[{"metadata":{"name":"');
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        if (!res.destroyed) res.once('drain', pump);
      };
      req.socket.on('close', () => res.destroy());
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
    try {
      const kubeconfig = join(dir, 'endless.yaml');
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\ncurrent-context: endless\nclusters:\n- name: endless\n  cluster: {server: "${url}"}\nusers:\n- name: endless\n  user: {token: t}\ncontexts:\n- name: endless\n  context: {cluster: endless, user: endless}\n`,
      );
      const result = await runInc(
        ['--kubeconfig', kubeconfig, '--request-timeout', '0', 'triage', '-A', '--check', 'pods', '-o', 'json'],
        { cwd: dir, env: env(), timeoutMs: 50_000 },
      );
      expect(result.stderr).not.toContain('bug');
      expect(result.code).toBe(1);
      const report = parseReport(result.stdout, result.stderr);
      expect(report.complete).toBe(false);
      expect(report.checks[0]?.error).toMatch(/list pods at cluster scope: the answer exceeded 256 MiB/);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });
});

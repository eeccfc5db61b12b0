import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { FleetReport } from '../../src/triage/fleet/fleet-report.js';
import { triageReportSchema } from '../../src/triage/report-schema.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/on-terminal.js';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

/**
 * A fleet: three simulators, each under its own context name, merged by KUBECONFIG=a:b:c as a
 * team's kubeconfig merges its regions' files.
 */
let dir: string;
const sims: RunningSim[] = [];
const fleet = [
  { context: 'eu-west', scenario: 'bad-deploy' },
  { context: 'us-east', scenario: 'healthy' },
  { context: 'ap-south', scenario: 'node-failure' },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-e2e-fleet-'));
  for (const { context, scenario } of fleet) {
    sims.push(await startSim({ scenario, contextName: context, kubeconfigPath: join(dir, `${context}.yaml`) }));
  }
});
afterAll(async () => {
  for (const sim of sims) await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function inc(args: string[]) {
  const kubeconfig = fleet.map(({ context }) => join(dir, `${context}.yaml`)).join(delimiter);
  return runInc(args, { cwd: dir, env: { KUBECONFIG: kubeconfig, INC_HOME: join(dir, 'home'), HOME: dir, TZ: 'UTC' } });
}

describe('inc triage across kubeconfig contexts', () => {
  it('finds each planted culprit in its own context, worst first, with --context in the suggestions; recorded as one event', async () => {
    const started = await inc(['start', 'Checkout errors in several regions', '--severity', 'SEV2']);
    expect(started.code, started.stderr).toBe(0);

    const result = await inc(['triage', '--all-contexts', '-A', '-o', 'json', '--check', 'pods,events,rollouts,nodes']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as FleetReport;
    expect(report.schemaVersion).toBe(1);
    expect(triageReportSchema.safeParse(report).error).toBeUndefined();
    expect(report.fleet.map((entry) => entry.context).sort()).toEqual(['ap-south', 'eu-west', 'us-east']);
    expect(report.fleet.every((entry) => entry.status === 'ok')).toBe(true);
    // The healthy cluster has nothing critical and comes last.
    expect(report.fleet.at(-1)?.context).toBe('us-east');
    expect(report.fleet.find((e) => e.context === 'us-east')?.critical).toBe(0);

    const crash = report.findings.find((f) => f.reason === 'CrashLoopBackOff');
    expect(crash?.context).toBe('eu-west');
    expect(crash?.workload).toMatchObject({ namespace: 'payments', name: 'api' });
    expect(crash?.suggestion?.command).toContain('--context eu-west');
    const node = report.findings.find((f) => f.reason === 'NodeNotReady');
    expect(node?.context).toBe('ap-south');
    expect(report.findings.filter((f) => f.context === 'us-east' && f.severity === 'critical')).toEqual([]);
    expect(report.suspects.find((s) => s.workload.name === 'api')?.context).toBe('eu-west');

    const text = await inc(['triage', '--contexts', '^(eu|us)-', '-A', '--check', 'pods,events,rollouts']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const header = lines.findIndex((line) => /^CONTEXT\s+CRITICAL\s+WARNING\s+TOP SUSPECT/.test(line));
    expect(header).toBeGreaterThan(-1);
    expect(lines[header + 1]).toMatch(/^eu-west\s+[1-9]\d*\s+\d+\s+Deployment payments\/api/);
    expect(lines[header + 2]).toMatch(/^us-east\s+0\s+/);
    expect(text.stdout).not.toContain('ap-south');

    const log = readFileSync(
      join(dir, 'home', 'incidents', /INC-\S+/.exec(started.stdout)?.[0] ?? '', 'events.jsonl'),
      'utf8',
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const triages = log.filter((event) => event.type === 'triage');
    expect(triages).toHaveLength(2);
    expect(triages[0].data.contexts.map((c: { context: string }) => c.context).sort()).toEqual([
      'ap-south',
      'eu-west',
      'us-east',
    ]);
    // The crash loop began before the declaration: the hint to date the impact names its context.
    expect(result.stderr).toMatch(
      /"1\/\d pods of deployment payments\/api crash-looping since [\d:]+" \(context eu-west\) began \d+m(\d+s)? before the declaration, .*: inc impact --started [\d:]+\n/,
    );
    // Every context's run in one evidence file, compressed as a single context's is; the line says its size.
    expect(result.stderr).toMatch(
      /recorded in INC-\S+ \(snapshot: evidence\/triage-fleet-\S+\.json\.gz, [\d.]+ [KM]?B\)/,
    );
    const incidentDir = join(dir, 'home', 'incidents', /INC-\S+/.exec(started.stdout)?.[0] ?? '');
    const evidence = JSON.parse(gunzipSync(readFileSync(join(incidentDir, triages[0].data.evidence))).toString());
    expect(evidence.report.fleet).toHaveLength(3);
    expect(Object.keys(evidence.contexts).sort()).toEqual(['ap-south', 'eu-west', 'us-east']);
    const euWest = evidence.contexts['eu-west'];
    expect(euWest.report.findings.some((f: { reason: string }) => f.reason === 'CrashLoopBackOff')).toBe(true);
    expect(
      euWest.snapshot.pods.some((p: { metadata: { namespace: string } }) => p.metadata.namespace === 'payments'),
    ).toBe(true);
  }, 120_000);

  it('lists a stopped cluster as unreachable and reports the others; none reachable is exit 4', async () => {
    const stopped = sims[1] as RunningSim;
    await stopped.stop();
    const result = await inc([
      '--request-timeout',
      '2s',
      'triage',
      '--context',
      'eu-west',
      '--context',
      'us-east',
      '-A',
      '-o',
      'json',
      '--check',
      'pods,nodes',
      '--fail-on',
      'critical',
    ]);
    // --fail-on sees eu-west's crash loop (and the context it could not read).
    expect(result.code, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout) as FleetReport;
    expect(report.fleet.find((e) => e.context === 'us-east')?.status).toBe('unreachable');
    expect(report.fleet.find((e) => e.context === 'eu-west')).toMatchObject({ status: 'ok' });
    expect(report.findings.some((f) => f.context === 'eu-west' && f.reason === 'CrashLoopBackOff')).toBe(true);
    expect(result.stderr).toMatch(/us-east: \S*\s*unreachable/);
    expect(report.headline).toMatch(/^triage incomplete: 2 contexts · /);
    expect(report.fleet.find((e) => e.context === 'us-east')?.hint).toContain(
      'kubectl --context us-east get --raw /version',
    );

    const none = await inc(['--request-timeout', '2s', 'triage', '--contexts', '^us-', '--check', 'pods']);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/no context could be reached \(us-east\)/);
    expect(none.stdout).toMatch(/^triage incomplete: 1 context · none read/m);
    expect(none.stderr).toMatch(/hint: .*kubectl --context us-east get --raw \/version/);
  }, 120_000);

  it('reads a dozen contexts at once without a warning from Node', async () => {
    // Twelve contexts (more than Node's default of ten listeners per signal), all on eu-west's cluster.
    const kubeconfig = parse(readFileSync(join(dir, 'eu-west.yaml'), 'utf8')) as {
      contexts: { name: string; context: object }[];
      'current-context': string;
    };
    const names = Array.from({ length: 12 }, (_, i) => `region-${String(i + 1).padStart(2, '0')}`);
    kubeconfig.contexts = names.map((name) => ({ name, context: kubeconfig.contexts[0]!.context }));
    kubeconfig['current-context'] = names[0]!;
    const path = join(dir, 'dozen.yaml');
    writeFileSync(path, stringify(kubeconfig), { mode: 0o600 });
    const result = await runInc(['triage', '--all-contexts', '-A', '-o', 'json', '--check', 'pods'], {
      cwd: dir,
      env: { KUBECONFIG: path, INC_HOME: join(dir, 'home-dozen'), HOME: dir },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/Warning/);
    const report = JSON.parse(result.stdout) as FleetReport;
    expect(report.fleet.map((entry) => entry.context).sort()).toEqual(names);
    expect(report.fleet.every((entry) => entry.status === 'ok')).toBe(true);
  }, 60_000);

  it('a fleet that answers but can be read nowhere (forbidden) is a failure, exit 1, not an all-clear', async () => {
    // An API server that refuses every request, as one whose credentials grant nothing does.
    const denying = createServer((_request, response) => {
      response.writeHead(403, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403 }),
      );
    });
    await new Promise<void>((resolve) => denying.listen(0, '127.0.0.1', resolve));
    try {
      const path = writeKubeconfig('denied', denying.address() as AddressInfo);
      const result = await runInc(['triage', '--contexts', '^denied$', '--check', 'pods'], {
        cwd: dir,
        env: { KUBECONFIG: path, INC_HOME: join(dir, 'home-denied'), HOME: dir },
      });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/^triage incomplete: 1 context · none read · 1 not read \(denied\)$/m);
      expect(result.stderr).toMatch(/no context could be read \(denied\)/);
    } finally {
      denying.close();
    }
  });

  it('Ctrl-C: shows what it learnt, records nothing and exits 130, as one context does', async () => {
    const silent = await silentContext();
    const home = join(dir, 'home-interrupted');
    const env = {
      ...process.env,
      KUBECONFIG: [silent.kubeconfig, join(dir, 'ap-south.yaml')].join(delimiter),
      INC_HOME: home,
      HOME: dir,
      NO_COLOR: '1',
    };
    try {
      const started = await runInc(['start', 'Interrupted fleet triage', '--severity', 'SEV3'], { cwd: dir, env });
      expect(started.code, started.stderr).toBe(0);
      const events = () =>
        readdirSync(join(home, 'incidents')).flatMap((id) =>
          readFileSync(join(home, 'incidents', id, 'events.jsonl'), 'utf8')
            .split('\n')
            .filter(Boolean),
        );
      const before = events().length;
      const child = spawn(process.execPath, [INC_BIN, 'triage', '--all-contexts', '--check', 'pods,events'], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      // ap-south answers at once; the silent one holds the run until its 10 s request timeout.
      const answered = /ap-south: \d+ critical/;
      const deadline = Date.now() + 8_000;
      while (!answered.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stderr).toMatch(answered);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stdout).toMatch(/^CONTEXT +CRITICAL/m);
      expect(stderr).toContain(
        'triage interrupted before every check finished: the report above is partial and was not recorded',
      );
      expect(events().length).toBe(before);
    } finally {
      silent.close();
    }
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal, names the contexts it still waits for', async () => {
    // The silent context gives up after 6 s, long after ap-south is read even on a busy machine.
    const silent = await silentContext();
    try {
      const { code, output } = await runOnTerminal(
        ['--request-timeout', '6s', 'triage', '--all-contexts', '--check', 'pods'],
        {
          cwd: dir,
          env: {
            KUBECONFIG: [silent.kubeconfig, join(dir, 'ap-south.yaml')].join(delimiter),
            INC_HOME: join(dir, 'home-terminal'),
            HOME: dir,
          },
        },
      );
      expect(output).toMatch(/ap-south: \d+ critical/);
      expect(output).toContain('1 of 2 contexts read; waiting for silent');
      expect(output).toMatch(/silent: cluster unreachable/);
      expect(code, output).toBe(0);
    } finally {
      silent.close();
    }
  });

  it('refuses an unknown context, a bad pattern and --watch with a clear error', async () => {
    const unknown = await inc(['triage', '--context', 'eu-west', '--context', 'mars', '--check', 'pods']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no context "mars" in the kubeconfig/);
    const pattern = await inc(['triage', '--contexts', '(', '--check', 'pods']);
    expect(pattern.code).toBe(2);
    expect(pattern.stderr).toMatch(/is not a regular expression/);
    // One --context beside --all-contexts is not dropped unsaid.
    const both = await inc(['triage', '--all-contexts', '--context', 'eu-west', '--check', 'pods']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/choose one way to name the fleet/);
    const watch = await inc(['triage', '--all-contexts', '--watch', '10s']);
    expect(watch.code).toBe(2);
    expect(watch.stderr).toMatch(/--watch follows one context/);
    const other = await inc(['status', '--context', 'a', '--context', 'b']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/only inc triage reads several/);
  });
});

/** A context whose API server accepts connections and never answers, as a cluster behind a stalled link. */
async function silentContext(): Promise<{ kubeconfig: string; close(): void }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    kubeconfig: writeKubeconfig('silent', server.address() as AddressInfo),
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A kubeconfig of one context NAME (its cluster and user named alike) for a local server; its path. */
function writeKubeconfig(name: string, { port }: AddressInfo): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name, user: { token: 'x' } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
  return path;
}

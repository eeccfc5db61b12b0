import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, type TestContext } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { readEvidenceJson } from '../../src/incident/compressed-evidence.js';
import { openKube } from '../../src/kube/index.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { resolveSignalsConfig } from '../../src/triage/signals/signals-config.js';
import type { TriageReport } from '../../src/triage/types.js';
import { verifyWorkloadSignals } from '../../src/triage/verify-signals.js';
import { runKubectl } from '../helpers/kubectl.js';
import { monitoringServiceManifest } from '../helpers/monitoring-service.js';
import { type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * The signals check end to end: the built inc against the simulator, its figures from Debian's real
 * Prometheus (given by URL or found in the cluster behind the service proxy) or from the pods scraped
 * directly through the pods proxy.
 */

/**
 * What one test owns: its INC_HOME, and the servers it started, stopped when it ends. The tests of
 * this file run at once (most of their time is spent waiting for Prometheus and the simulator's
 * clock), so nothing is shared between them.
 */
interface Case {
  home: string;
  /** Stopped in reverse order when the test ends. */
  running: { stop(): Promise<void> }[];
}

async function newCase(context: TestContext): Promise<Case> {
  const home = await mkdtemp(join(tmpdir(), 'inc-triage-signals-'));
  const running: Case['running'] = [];
  context.onTestFinished(async () => {
    for (const server of running.splice(0).reverse()) await server.stop();
    await rm(home, { recursive: true, force: true });
  });
  return { home, running };
}

async function simWithPrometheus(
  test: Case,
  scenario: string,
): Promise<{ sim: RunningSim; prometheus: RunningPrometheus }> {
  const sim = await startSim({ scenario });
  test.running.push(sim);
  const prometheus = await startPrometheus({ targets: [{ job: 'inc-sim', url: sim.metricsUrl }] });
  test.running.push(prometheus);
  // Two scrapes of every series: rate() has data.
  await prometheus.waitFor('count(rate(http_requests_total{namespace="payments"}[10s]) > 0)', (s) => s.length === 1);
  return { sim, prometheus };
}

function incEnv(test: Case, env: Record<string, string> = {}): Record<string, string> {
  return { INC_HOME: join(test.home, 'inc'), HOME: test.home, ...env };
}

async function triage(
  test: Case,
  sim: RunningSim,
  args: string[],
  env: Record<string, string> = {},
): Promise<TriageReport> {
  const run = await runInc(['triage', '-A', '-o', 'json', '--kubeconfig', sim.kubeconfigPath, ...args], {
    env: incEnv(test, env),
    timeoutMs: 60_000,
  });
  expect(run.stdout, run.stderr).toMatch(/^\{/);
  return JSON.parse(run.stdout) as TriageReport;
}

/** The PromQL the last recorded triage asked, from its evidence (the raw query results are kept there). */
async function recordedQueries(test: Case, suffix: string): Promise<string[]> {
  const incidents = join(test.home, 'inc', 'incidents');
  const [id] = await readdir(incidents);
  const folder = join(incidents, id!, 'evidence');
  const files = (await readdir(folder)).filter((f) => f.startsWith('triage-')).sort();
  const evidence = (await readEvidenceJson(join(folder, files.at(-1)!))) as {
    snapshot: { signals?: { queries: { name: string; query: string }[] } };
  };
  return (evidence.snapshot.signals?.queries ?? []).filter((q) => q.name.endsWith(suffix)).map((q) => q.query);
}

/** A Prometheus scraping every second has enough data after 10 s (the usual 30 s is for slower scrapes). */
async function settleConfig(test: Case): Promise<string> {
  const config = join(test.home, 'config.yaml');
  await writeFile(config, 'signals:\n  settle: 10s\n');
  return config;
}

const finding = (report: TriageReport, reason: string) =>
  report.findings.find((f) => f.reason === reason && f.workload?.namespace === 'payments' && f.workload.name === 'api');

/** What every source must find on bad-deploy-errors: 5xx on payments/api, its rollout first, a rollback. */
function expectBadDeployFound(report: TriageReport): void {
  const errors = finding(report, 'HighErrorRate');
  expect(errors, JSON.stringify(report.checks)).toMatchObject({
    severity: 'critical',
    check: 'signals',
    workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    suggestion: { playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } },
  });
  expect(errors?.title).toMatch(/^deployment payments\/api: 5xx ratio (2[5-9]|3[0-5]) % \(/);
  // The pods' own logs say what the 5xx are: their error lines are the finding's evidence.
  expect(errors?.evidence, JSON.stringify(errors?.evidence)).toContainEqual(
    expect.stringMatching(
      /^log of api-[a-z0-9]+-[a-z0-9]{5}\/api: \d+ error lines in the last \d+, the last: .*ERROR request failed: status=500 /,
    ),
  );
  expect(report.suspects[0]).toMatchObject({ workload: { kind: 'Deployment', namespace: 'payments', name: 'api' } });
  expect(report.suspects[0]?.change).toMatch(/2\.3\.1/);
  // The services still on their version are measured too, and are fine.
  // (A short sample on a busy machine may catch a stray failure or two: that is no finding, but it
  // moves the ratio, so the figure is compared with the failing service's, not with 0.)
  const web = report.signals?.workloads.find((w) => w.workload.name === 'web');
  expect(web?.requestRate.now).toBeGreaterThan(0);
  expect(web?.errorRatio.now).toBeLessThan(0.1);
  expect(report.findings.filter((f) => f.check === 'signals' && f.workload?.name !== 'api')).toEqual([]);
}

describe.concurrent('triage signals on a real Prometheus', () => {
  it('finds bad-deploy-errors, and after the rollback the 5xx ratio is gone', async (context) => {
    const test = await newCase(context);
    const { sim, prometheus } = await simWithPrometheus(test, 'bad-deploy-errors');
    const started = await runInc(
      ['start', 'payments errors', '--severity', 'SEV2', '--impact-started', '20 minutes ago'],
      { env: incEnv(test) },
    );
    expect(started.code, started.stderr).toBe(0);
    const before = await triage(test, sim, ['--prometheus', prometheus.url]);
    expectBadDeployFound(before);
    // The baseline is the hour before the incident's impact start, not the hour before the window.
    const baselineQueries = await recordedQueries(test, '/baseline');
    expect(baselineQueries.length).toBeGreaterThan(0);
    for (const query of baselineQueries) {
      const offset = Number(/ offset (\d+)s/.exec(query)?.[1]);
      expect(offset, query).toBeGreaterThanOrEqual(1195);
      expect(offset, query).toBeLessThanOrEqual(1260);
    }
    // The simulator's ingress controller counts the same requests; the pods' own series come first.
    expect(before.signals?.source).toEqual({
      kind: 'prometheus',
      name: prometheus.url,
      profiles: ['client-library', 'ingress-nginx'],
    });
    const api = before.signals?.workloads.find((w) => w.workload.name === 'api');
    expect(api?.via).toBe('service payments/api');
    expect(api?.errorRatio.points.length).toBeGreaterThan(0);

    const env = { INC_PROMETHEUS_URL: prometheus.url, INC_CONFIG: await settleConfig(test) };
    await rollBackAndRecheck(test, sim, prometheus, env, ['--prometheus', prometheus.url]);
  }, 180_000);

  it('finds the Prometheus a cluster runs (prometheus-operated), queries it through the service proxy, and verifies the rollback through it', async (context) => {
    const test = await newCase(context);
    const { sim, prometheus } = await simWithPrometheus(test, 'bad-deploy-errors');
    const manifest = join(test.home, 'prometheus-operated.yaml');
    await writeFile(manifest, prometheusService(prometheus.port));
    const applied = await kubectl(test, sim, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).toBe(0);
    const env = { INC_CONFIG: await settleConfig(test) };
    const report = await triage(test, sim, [], env);
    expect(report.signals?.source).toMatchObject({ kind: 'discovered', name: 'monitoring/prometheus-operated:web' });
    expectBadDeployFound(report);
    const after = await rollBackAndRecheck(test, sim, prometheus, env, []);
    expect(after.signals?.source).toMatchObject({ kind: 'discovered', name: 'monitoring/prometheus-operated:web' });
  }, 150_000);

  it('takes the request-rate baseline from the data Prometheus has, not as a share of a whole hour', async (context) => {
    const test = await newCase(context);
    const { sim, prometheus } = await simWithPrometheus(test, 'healthy');
    // A minute of data: the baseline hour before a 10 s window holds about 50 s of it.
    await prometheus.waitFor(
      'min(count_over_time(http_requests_total{namespace="payments",service="api"}[1h]))',
      (s) => s.length === 1 && s[0]!.value >= 60,
      90_000,
    );
    const report = await triage(test, sim, ['--prometheus', prometheus.url, '--window', '10s', '--check', 'signals']);
    const api = report.signals?.workloads.find((w) => w.workload.name === 'api');
    const now = api?.requestRate.now ?? 0;
    expect(now).toBeGreaterThan(1);
    // The traffic is steady: its baseline is about the rate now (one rate over the hour said 1/60th
    // of it). The rate of the first window of data falls short, as Prometheus extrapolates it.
    expect(api?.requestRate.baseline, JSON.stringify(api)).toBeGreaterThan(now * 0.6);
    expect(api?.requestRate.baseline).toBeLessThan(now * 1.3);
    expect(report.findings.filter((f) => f.check === 'signals')).toEqual([]);
  }, 150_000);

  it('finds latency-regression as HighLatency with its rollout as suspect', async (context) => {
    const test = await newCase(context);
    const { sim, prometheus } = await simWithPrometheus(test, 'latency-regression');
    const report = await triage(test, sim, ['--prometheus', prometheus.url]);
    const latency = finding(report, 'HighLatency');
    expect(latency, JSON.stringify(report.signals)).toMatchObject({
      check: 'signals',
      suggestion: { playbook: 'rollback' },
    });
    // The p99 is 1.5 s; how many digits it prints depends on how many scrapes the window holds.
    expect(latency?.title).toMatch(/^deployment payments\/api: p99 latency (1(\.\d+)? s|1\d{3} ms)/);
    expect(report.suspects[0]).toMatchObject({ workload: { kind: 'Deployment', namespace: 'payments', name: 'api' } });
    expect(finding(report, 'HighErrorRate')).toBeUndefined();
  }, 120_000);
});

describe.concurrent('triage signals without Prometheus', () => {
  it('scrapes the annotated pods twice through the pods proxy and finds bad-deploy-errors', async (context) => {
    const test = await newCase(context);
    const sim = await startSim({ scenario: 'bad-deploy-errors' });
    test.running.push(sim);
    const report = await triage(test, sim, ['--sample', '2s']);
    expect(report.signals?.source).toMatchObject({ kind: 'scrape' });
    expect(report.signals?.source.name).toMatch(/^\d+ pods$/);
    expect(report.signals?.windowSeconds).toBe(2);
    expectBadDeployFound(report);
  }, 60_000);

  it("measures a Service's request rate alike at any simulator speed, scraped on the pods' time or by Prometheus per real second", async (context) => {
    const test = await newCase(context);
    const atSpeed = (speed: number) => startSim({ scenario: 'bad-deploy-errors', speed });
    const [real, fast] = await Promise.all([atSpeed(1), atSpeed(10)]);
    test.running.push(real, fast);
    // One Prometheus scrapes both, each target labelled with its speed.
    const prometheus = await startPrometheus({
      targets: [
        { job: 'real', url: real.metricsUrl, labels: { speed: '1' } },
        { job: 'fast', url: fast.metricsUrl, labels: { speed: '10' } },
      ],
    });
    test.running.push(prometheus);
    const [slowReport, fastReport] = await Promise.all([
      triage(test, real, ['-n', 'payments', '--sample', '10s']),
      triage(test, fast, ['-n', 'payments', '--sample', '10s']),
    ]);
    for (const report of [slowReport, fastReport]) {
      const api = report.signals?.workloads.find((w) => w.workload.name === 'api');
      expect(report.signals?.source.kind, JSON.stringify(report.checks)).toBe('scrape');
      // The Service gets 20 requests a second of its own time, whatever the speed.
      expect(api?.requestRate.now).toBeGreaterThan(19);
      expect(api?.requestRate.now).toBeLessThan(21);
      expect(api?.errorRatio.now).toBeCloseTo(0.3, 1);
    }
    // Ten seconds of the simulator at ten times real speed pass in about one (the pace is read from a
    // first look at the pods' clock, which moves in the simulator's steps, so give or take a little).
    expect(slowReport.durationMs).toBeGreaterThan(7000);
    expect(fastReport.durationMs).toBeLessThan(slowReport.durationMs - 3000);
    // Prometheus stamps the samples with its own clock: the simulator counts them per real second,
    // so both speeds read the same 20 requests a second there too.
    const rates = await prometheus.waitFor(
      'sum by (speed) (rate(http_requests_total{namespace="payments",service="api"}[10s]))',
      (samples) => samples.length === 2 && samples.every((sample) => sample.value > 19 && sample.value < 21),
      30_000,
    );
    expect(rates.map((sample) => sample.metric.speed).sort()).toEqual(['1', '10']);
  }, 90_000);

  it('sends the token of the variable the config names to Prometheus, and never keeps it', async (context) => {
    const test = await newCase(context);
    const sim = await startSim({ scenario: 'healthy' });
    test.running.push(sim);
    const token = 'prom-bearer-7f3c9a1e5d';
    const prometheus = await answeringPrometheus(test);
    const config = join(test.home, 'config.yaml');
    await writeFile(config, `prometheus:\n  url: ${prometheus.url}\n  tokenEnv: PROM_TOKEN\n`);
    const env = { INC_CONFIG: config, PROM_TOKEN: token };
    const started = await runInc(['start', 'token check', '--severity', 'SEV3'], { env: incEnv(test, env) });
    expect(started.code, started.stderr).toBe(0);
    const run = await runInc(['triage', '-A', '-o', 'json', '--kubeconfig', sim.kubeconfigPath], {
      env: incEnv(test, env),
      timeoutMs: 60_000,
    });
    const report = JSON.parse(run.stdout) as TriageReport;
    expect(
      report.checks.find((c) => c.check === 'signals'),
      run.stderr,
    ).toMatchObject({ status: 'ok' });
    expect(prometheus.authorizations.length).toBeGreaterThan(0);
    expect(new Set(prometheus.authorizations)).toEqual(new Set([`Bearer ${token}`]));
    expect(run.stdout + run.stderr).not.toContain(token);
    // Nothing under INC_HOME (the log, the evidence of the triage) holds it.
    const files = (await readdir(join(test.home, 'inc'), { recursive: true, withFileTypes: true })).filter((f) =>
      f.isFile(),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      const bytes = await readFile(path);
      // Evidence is stored gzip-compressed: read what it holds.
      const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
      expect(text, path).not.toContain(token);
    }
  }, 60_000);

  it('verification after a mitigation says Prometheus failed, never "no traffic", when it goes away before measuring again', async (context) => {
    const test = await newCase(context);
    const { sim, prometheus } = await simWithPrometheus(test, 'bad-deploy-errors');
    const controller = new AbortController();
    const kube = await openKube({
      globals: { kubeconfig: sim.kubeconfigPath },
      env: {},
      clock: systemClock,
      signal: controller.signal,
    });
    context.onTestFinished(() => kube.close());
    const settings = {
      prometheusUrl: prometheus.url,
      timeoutMs: 5_000,
      windowMs: 30_000,
      sampleMs: 10_000,
      settleMs: 10_000,
      config: resolveSignalsConfig(undefined),
    };
    // The wait for data after the mitigation (under the settle time; the triage's own deadline is
    // longer) is when Prometheus goes away.
    const clock = {
      now: () => systemClock.now(),
      sleep: (ms: number, signal?: AbortSignal) =>
        ms <= settings.settleMs ? prometheus.stop() : systemClock.sleep(ms, signal),
    };
    const verdict = await verifyWorkloadSignals(
      kube,
      clock,
      controller.signal,
      { namespace: 'payments', workload: 'api' },
      settings,
    );
    expect(verdict.healthy, verdict.lines.join('\n')).toBe(false);
    expect(verdict.lines).toEqual([
      expect.stringMatching(
        /^signals not measured after the mitigation: Prometheus \S+ unreachable: ECONNREFUSED; whether users still see deployment payments\/api: 5xx ratio .* is not known: inc triage --check signals measures again$/,
      ),
    ]);
  }, 120_000);

  it('is a failed signals check, never a failed triage, when Prometheus is down or does not answer', async (context) => {
    const test = await newCase(context);
    const sim = await startSim({ scenario: 'bad-deploy' });
    test.running.push(sim);
    const closed = await closedPort();
    const down = await triage(test, sim, ['--prometheus', `http://127.0.0.1:${closed}`]);
    expect(down.checks.find((c) => c.check === 'signals')).toMatchObject({
      status: 'error',
      error: `Prometheus http://127.0.0.1:${closed} unreachable: ECONNREFUSED`,
    });
    expect(down.findings.some((f) => f.reason === 'CrashLoopBackOff' && f.workload?.name === 'api')).toBe(true);

    const silent = await hangingServer(test);
    const config = join(test.home, 'config.yaml');
    await writeFile(config, 'prometheus:\n  timeout: 1s\n');
    const started = performance.now();
    const slow = await triage(test, sim, [], { INC_PROMETHEUS_URL: silent.url, INC_CONFIG: config });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(slow.checks.find((c) => c.check === 'signals')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/no answer within 1000 ms/),
    });
    expect(slow.findings.some((f) => f.reason === 'CrashLoopBackOff' && f.workload?.name === 'api')).toBe(true);
  }, 90_000);

  it('names a window shorter than the scrape interval, where no rate can be measured, never reads it as no traffic', async (context) => {
    const test = await newCase(context);
    const sim = await startSim({ scenario: 'bad-deploy-errors' });
    test.running.push(sim);
    const prometheus = await startPrometheus({
      targets: [{ job: 'inc-sim', url: sim.metricsUrl }],
      scrapeIntervalSeconds: 15,
    });
    test.running.push(prometheus);
    await prometheus.waitFor(
      'min(count_over_time(http_requests_total{namespace="payments"}[1m]))',
      (s) => s.length === 1 && s[0]!.value >= 2,
      60_000,
    );
    const short = await triage(test, sim, ['--prometheus', prometheus.url, '--window', '10s', '--check', 'signals']);
    expect(short.checks.find((c) => c.check === 'signals')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(
        /in the last 10s: it scrapes less often, so no rate can be measured over a 10s window/,
      ),
    });
    const enough = await triage(test, sim, ['--prometheus', prometheus.url, '--window', '1m', '--check', 'signals']);
    expect(enough.checks.find((c) => c.check === 'signals')?.status).toBe('ok');
    expect(finding(enough, 'HighErrorRate')?.severity).toBe('critical');
  }, 120_000);

  it('names a Prometheus whose series carry the namespace under another label, never reads it as no traffic', async (context) => {
    const test = await newCase(context);
    const sim = await startSim({ scenario: 'bad-deploy-errors' });
    test.running.push(sim);
    const relabelled = await relabellingExporter(test, sim.metricsUrl);
    const prometheus = await startPrometheus({ targets: [{ job: 'apps', url: relabelled.url }] });
    test.running.push(prometheus);
    await prometheus.waitFor(
      'count(rate(http_requests_total{kubernetes_namespace="payments"}[10s]) > 0)',
      (s) => s.length === 1,
    );
    const report = await triage(test, sim, ['--prometheus', prometheus.url, '--check', 'signals,pods']);
    expect(report.checks.find((c) => c.check === 'signals')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(
        /has http_requests_total, but no series that names a workload: inc reads http_requests_total by namespace and service; its series carry .*kubernetes_namespace.*signals\.profiles/,
      ),
    });
  }, 90_000);
});

/** The simulator's metrics as a Prometheus with other relabelling sees them: the namespace is `kubernetes_namespace`. */
async function relabellingExporter(test: Case, metricsUrl: string): Promise<{ url: string }> {
  const server: Server = createServer(async (_req, res) => {
    const text = await (await fetch(metricsUrl)).text();
    const lines = text.split('\n').filter((line) => !line.includes('nginx_ingress'));
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n').replaceAll('{namespace="', '{kubernetes_namespace="'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` };
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Prometheus that knows no series, and notes the Authorization header of each request. */
async function answeringPrometheus(test: Case): Promise<{ url: string; authorizations: string[] }> {
  const authorizations: string[] = [];
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '(none)');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations };
}

/** A server that accepts requests and never answers them (a Prometheus stuck on a heavy query). */
async function hangingServer(test: Case): Promise<{ url: string }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.running.push({
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * `inc run rollback --yes` on payments/api with the given signals source: its verification reads the
 * 5xx ratio back at baseline, and a triage over a window after it has no HighErrorRate.
 */
async function rollBackAndRecheck(
  test: Case,
  sim: RunningSim,
  prometheus: RunningPrometheus,
  env: Record<string, string>,
  args: string[],
): Promise<TriageReport> {
  const rollback = await runInc(
    [
      'run',
      'rollback',
      '--set',
      'namespace=payments',
      '--set',
      'deployment=api',
      '--yes',
      '--kubeconfig',
      sim.kubeconfigPath,
    ],
    { env: incEnv(test, env), timeoutMs: 90_000 },
  );
  expect(rollback.code, rollback.stderr).toBe(0);
  expect(rollback.stdout + rollback.stderr).toMatch(/5xx ratio back to 0(\.\d+)? %/);
  // Ten seconds of traffic from the old version only, then a window that holds nothing else.
  await prometheus.waitFor(
    'sum(rate(http_requests_total{namespace="payments",service="api",code=~"5.."}[10s])) / sum(rate(http_requests_total{namespace="payments",service="api"}[10s]))',
    (s) => s.length === 1 && s[0]!.value < 0.01,
    30_000,
  );
  const after = await triage(test, sim, [...args, '--window', '10s'], env);
  expect(finding(after, 'HighErrorRate')).toBeUndefined();
  expect(after.signals?.workloads.find((w) => w.workload.name === 'api')?.errorRatio.now).toBeLessThan(0.01);
  return after;
}

function kubectl(test: Case, sim: RunningSim, args: string[]) {
  return runKubectl(sim.kubeconfigPath, test.home, args);
}

/** A selector-less Service named as the Prometheus operator names it, with its Endpoints on 127.0.0.1. */
function prometheusService(port: number): string {
  return monitoringServiceManifest({ name: 'prometheus-operated', app: 'prometheus', servicePort: 9090, port });
}

// inc triage -A on the simulated cluster of 5,000 pods (and bad-deploy-errors) with Debian's Prometheus
// scraping it: with the signals check (Prometheus given by URL) and without it, side by side in one run.
// Generated deployments with SERVED_PODS pods in all get a Service first, so those pods serve traffic
// and Prometheus holds their request and latency series (the simulator cannot write the series of all
// 5,000 pods within a scrape). Goal: the signals check adds at most 300 ms of wall time. On a machine
// with few cores Prometheus answering competes with inc for them, so the CPU of both is printed too.
// Usage: npm run bench [-- signals]  (PODS=… RUNS=… SERVED_PODS=… SCRAPE_SECONDS=…)
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBinaries, ensurePrometheus } from './client-binaries.mjs';
import { cpuOf, median, run, startPrometheus, startSim, USAGE_PROBE, usageOf } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
const INC = join(ROOT, '.cache', 'bench-signals', 'dist', 'inc.js');
const PODS = Number(process.env.PODS ?? 5000);
const RUNS = Number(process.env.RUNS ?? 7);
// Every few seconds: the simulator writes the series of all 5,000 pods on each scrape.
const SCRAPE_SECONDS = Number(process.env.SCRAPE_SECONDS ?? 5);
const SERVED_PODS = Number(process.env.SERVED_PODS ?? 1000);
const KUBECTL = join(ROOT, '.cache', 'bin', 'kubectl');
const GOAL_MS = 300;
// Every check triage runs by default but signals.
const WITHOUT_SIGNALS = 'pods,events,top,rollouts,nodes,services,logs,network,alerts,health,changes';
const READY_QUERY = `count(rate(http_requests_total{namespace=~"payments|load-.*"}[${4 * SCRAPE_SECONDS}s]) > 0)`;

/** A Service in front of generated deployments (they have none) up to SERVED_PODS pods, created with kubectl. */
async function addServices(env, home) {
  const listed = JSON.parse((await run(KUBECTL, ['get', 'deployments', '-A', '-o', 'json'], env, home)).text);
  let served = 0;
  const chosen = [];
  for (const d of listed.items.filter((item) => item.metadata.namespace.startsWith('load-'))) {
    if (served + d.spec.replicas > SERVED_PODS) break;
    served += d.spec.replicas;
    chosen.push(d);
  }
  const services = chosen.map((d) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: d.metadata.name, namespace: d.metadata.namespace },
    spec: { selector: d.spec.selector.matchLabels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  }));
  const file = join(home, 'services.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: services }));
  // The simulator serves no OpenAPI document to validate against.
  await run(KUBECTL, ['create', '--validate=false', '-f', file], env, home);
  return { services: services.length, pods: served };
}

/** Polls Prometheus until most pods' request rates have two scrapes behind them, at most 120 s. */
async function waitForRates(prometheus, pods) {
  const deadline = performance.now() + 120_000;
  let series = 0;
  while (performance.now() < deadline) {
    series = await queryNumber(prometheus, READY_QUERY);
    if (series >= pods * 0.9) return series;
    await new Promise((done) => setTimeout(done, 1000));
  }
  const scrape = await queryNumber(prometheus, 'scrape_duration_seconds');
  const up = await queryNumber(prometheus, 'up');
  throw new Error(
    `Prometheus has ${series} rates after 120 s (${READY_QUERY}); up ${up}, last scrape took ${scrape} s`,
  );
}

async function queryNumber(prometheus, query) {
  const answer = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query })}`, {
    signal: AbortSignal.timeout(5000),
  }).then(
    (res) => res.json(),
    () => undefined,
  );
  return Number(answer?.data?.result?.[0]?.value?.[1] ?? Number.NaN);
}

/** The report's signals figures, checked: a benchmark that measured a failed check would measure nothing. */
function signalsOf(text) {
  const report = JSON.parse(text);
  const check = report.checks.find((c) => c.check === 'signals');
  if (check?.status !== 'ok') throw new Error(`the signals check did not run: ${JSON.stringify(check)}`);
  if (!report.findings.some((f) => f.reason === 'HighErrorRate'))
    throw new Error('the signals check did not find bad-deploy-errors');
  return { checkMs: check.durationMs, workloads: report.signals.workloads.length };
}

async function main() {
  await ensureClientBinaries();
  const binary = ensurePrometheus();
  rmSync(join(ROOT, '.cache', 'bench-signals'), { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(ROOT, '.cache', 'bench-signals', 'dist'), { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-signals-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  delete base.INC_PROMETHEUS_URL;
  const sim = await startSim(INC, base, ['--scenario', 'bad-deploy-errors', '--pods', String(PODS)]);
  let prometheus;
  try {
    const env = { ...base, KUBECONFIG: sim.kubeconfig };
    const served = await addServices(env, home);
    prometheus = await startPrometheus(binary, sim.metricsUrl, SCRAPE_SECONDS);
    const series = await waitForRates(prometheus.url, served.pods);
    const triage = ['--import', USAGE_PROBE, INC, '--request-timeout', '0', 'triage', '-A', '-o', 'json'];
    const withSignals = [...triage, '--prometheus', prometheus.url];
    const withoutSignals = [...triage, '--check', WITHOUT_SIGNALS];
    // One warm-up of each, then interleaved runs, so both see the same load.
    signalsOf((await run(process.execPath, withSignals, env, home)).text);
    await run(process.execPath, withoutSignals, env, home);
    const times = { with: [], without: [], check: [], incWith: [], incWithout: [], promWith: [], promWithout: [] };
    let workloads = 0;
    /** One triage: its wall time, inc's CPU and Prometheus's CPU over it. */
    const measure = async (args) => {
      const before = cpuOf([prometheus.pid]);
      const measured = await run(process.execPath, args, env, home);
      return {
        ...measured,
        cpu: usageOf(measured.stderr).cpu,
        prom: (cpuOf([prometheus.pid]) ?? NaN) - (before ?? NaN),
      };
    };
    for (let i = 0; i < RUNS; i += 1) {
      // Alternating which goes first, so neither always follows the other's garbage or Prometheus's compaction.
      const order = i % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
      for (const kind of order) {
        const measured = await measure(kind === 'with' ? withSignals : withoutSignals);
        times[kind].push(measured.ms);
        times[kind === 'with' ? 'incWith' : 'incWithout'].push(measured.cpu);
        times[kind === 'with' ? 'promWith' : 'promWithout'].push(measured.prom);
        if (kind === 'with') {
          const figures = signalsOf(measured.text);
          times.check.push(figures.checkMs);
          workloads = figures.workloads;
        }
      }
      console.error(
        `run ${i + 1}: with ${Math.round(times.with.at(-1))} ms, without ${Math.round(times.without.at(-1))} ms (load ${loadavg()[0].toFixed(1)})`,
      );
    }
    const added = median(times.with) - median(times.without);
    // Each run's own difference, with and without side by side: steadier than two medians on a busy machine.
    const paired = median(times.with.map((ms, i) => ms - (times.without[i] ?? Number.NaN)));
    const line = (label, ms) => `  ${label.padEnd(52)} ${String(Math.round(ms)).padStart(6)} ms`;
    console.log(
      `simulated cluster: ${PODS} generated pods (${served.pods} of them behind ${served.services} Services) + bad-deploy-errors; Prometheus scraping every ${SCRAPE_SECONDS} s (${series} request series with a rate); ${RUNS} runs each, interleaved, medians; ${workloads} workloads measured; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}`,
    );
    console.log(line('inc triage -A -o json --prometheus URL (all checks)', median(times.with)));
    console.log(line('inc triage -A -o json --check …all but signals', median(times.without)));
    console.log(line("the signals analysis (the check's durationMs)", median(times.check)));
    console.log(line('CPU of inc, with signals', median(times.incWith)));
    console.log(line('CPU of inc, without', median(times.incWithout)));
    console.log(line('CPU of Prometheus per triage, with signals', median(times.promWith)));
    console.log(line('CPU of Prometheus per triage, without (its scrapes)', median(times.promWithout)));
    console.log(line("median of each run's difference (with − without)", paired));
    console.log(
      `  signals adds     ${Math.round(added)} ms wall   (goal ≤ ${GOAL_MS} ms) ${added <= GOAL_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    prometheus?.stop();
    sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

await main();

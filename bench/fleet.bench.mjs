// inc triage --all-contexts on a fleet of simulated clusters against the slowest single-context triage of the
// same clusters, measured in the same run. Goals: fleet ≤ 1.5× the slowest single context, peak RSS < 400 MB.
// Each simulator is a process of its own, as each cluster is its own API server. Real clusters are remote
// machines, so the simulators run frozen (`--speed 0`: settled once at start, then idle between requests)
// and their cost is only serving the lists, the same for the single and the fleet runs. Besides wall time
// the bench reports the CPU inc itself used and the simulators' CPU over the same runs, because on a
// machine with few cores the simulators still compete with inc for them while they answer. It also times
// the fleet split between two inc processes run side by side: no faster means the cores are saturated.
// Usage: npm run bench [-- fleet]  (CLUSTERS=… PODS=… RUNS=…)
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuOf, median, USAGE_PROBE, usageOf } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
const INC = join(ROOT, '.cache', 'bench-fleet', 'dist', 'inc.js');
const CLUSTERS = Number(process.env.CLUSTERS ?? 10);
const PODS = Number(process.env.PODS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
/** Runs inc to the end; resolves with its wall time, stdout, peak RSS (MB) and CPU time (ms). */
function runInc(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', USAGE_PROBE, INC, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const { rss, cpu } = usageOf(stderr);
      if (code !== 0) reject(new Error(`inc ${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
      else resolve({ ms, stdout, rss, cpu });
    });
  });
}

/** One simulator per context, each in its own process as a real cluster would be. */
function startSim(env, name) {
  return new Promise((resolve, reject) => {
    const kubeconfig = join(env.HOME, `${name}.yaml`);
    const args = ['sim', '--pods', String(PODS), '--speed', '0', '--context-name', name, '--kubeconfig', kubeconfig];
    const child = spawn(process.execPath, [INC, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator ${name} did not start within 180 s`)), 180_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('inc-sim ready:')) {
        clearTimeout(timer);
        resolve({ child, kubeconfig });
      }
    });
    child.on('exit', (code) => reject(new Error(`simulator ${name} exited (${code})`)));
  });
}

async function main() {
  rmSync(join(ROOT, '.cache', 'bench-fleet'), { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(ROOT, '.cache', 'bench-fleet', 'dist'), { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-fleet-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  const names = Array.from({ length: CLUSTERS }, (_, i) => `cluster-${i}`);
  const sims = [];
  try {
    for (const name of names) sims.push(await startSim(base, name));
    const env = { ...base, KUBECONFIG: sims.map((sim) => sim.kubeconfig).join(delimiter) };
    const triage = ['--request-timeout', '0', 'triage', '-A', '-o', 'json'];
    const simPids = sims.map((sim) => sim.child.pid);
    // Warm-up: the simulators' JIT and caches.
    for (const name of names) await runInc(['--context', name, ...triage], env);
    const runs = [];
    const singles = new Map(names.map((name) => [name, []]));
    let contexts = 0;
    for (let i = 0; i < RUNS; i += 1) {
      // Every cluster read one at a time, then all of them at once: side by side in each run.
      let slowest = { ms: 0, cpu: 0 };
      const singleSimsBefore = cpuOf(simPids);
      for (const name of names) {
        const one = await runInc(['--context', name, ...triage], env);
        singles.get(name).push(one);
        if (one.ms > slowest.ms) slowest = one;
      }
      const singleSims = (cpuOf(simPids) ?? Number.NaN) - (singleSimsBefore ?? Number.NaN);
      const fleetSimsBefore = cpuOf(simPids);
      const load = loadavg()[0];
      const all = await runInc([...triage, '--all-contexts'], env);
      const fleetSims = (cpuOf(simPids) ?? Number.NaN) - (fleetSimsBefore ?? Number.NaN);
      // The same fleet split between two inc processes side by side: if that is no faster, the cores
      // are already busy and more threads in inc could not help.
      const half = Math.ceil(CLUSTERS / 2);
      // The context names (cluster-N) have no character special in a regular expression.
      const pattern = (part) => `^(${part.join('|')})$`;
      const splitStarted = performance.now();
      await Promise.all([
        runInc([...triage, '--contexts', pattern(names.slice(0, half))], env),
        runInc([...triage, '--contexts', pattern(names.slice(half))], env),
      ]);
      const split = performance.now() - splitStarted;
      runs.push({ single: slowest, fleet: all, split, singleSims: singleSims / CLUSTERS, fleetSims, load });
      contexts = JSON.parse(all.stdout).fleet.filter((entry) => entry.status === 'ok').length;
      console.error(
        `run ${i + 1}: slowest single ${Math.round(slowest.ms)} ms, fleet ${Math.round(all.ms)} ms, split in two ${Math.round(split)} ms (load ${load.toFixed(1)})`,
      );
    }
    const of = (pick) => median(runs.map(pick));
    // The slowest cluster by its median over the runs: the largest of ten noisy samples would flatter the ratio.
    const one = Math.max(...[...singles.values()].map((times) => median(times.map((t) => t.ms))));
    const many = of((run) => run.fleet.ms);
    const peak = Math.max(...runs.map((run) => run.fleet.rss));
    const line = (label, ms) => `  ${label.padEnd(52)} ${String(Math.round(ms)).padStart(6)} ms`;
    console.log(
      `fleet: ${CLUSTERS} simulated clusters of ${PODS} pods, each simulator its own frozen process; ${RUNS} runs, medians; ${availableParallelism()} cores, load ${of((run) => run.load).toFixed(1)}`,
    );
    console.log(line('slowest single-context inc triage -A -o json (median)', one));
    console.log(line(`inc triage --all-contexts -A -o json (${contexts} read)`, many));
    console.log(
      `  ratio fleet / slowest  ${(many / one).toFixed(2)}×   (goal ≤ 1.5×) ${many / one <= 1.5 ? 'met' : 'NOT met'}`,
    );
    console.log(
      line(
        'the fleet split between two inc processes side by side',
        of((run) => run.split),
      ),
    );
    console.log(`  fleet peak RSS         ${Math.round(peak)} MB   (goal < 400 MB) ${peak < 400 ? 'met' : 'NOT met'}`);
    console.log(
      line('CPU of inc, single context (median of all)', median([...singles.values()].flat().map((t) => t.cpu))),
    );
    console.log(
      line(
        'CPU of inc, fleet',
        of((run) => run.fleet.cpu),
      ),
    );
    // The wall-time ratio cannot go below this CPU ratio divided by the cores inc gets.
    const singleCpu = median([...singles.values()].flat().map((t) => t.cpu));
    console.log(`  CPU ratio fleet / single  ${(of((run) => run.fleet.cpu) / singleCpu).toFixed(2)}×`);
    const simsOne = of((run) => run.singleSims);
    if (!Number.isNaN(simsOne)) {
      console.log(line('CPU of the simulators per single-context run', simsOne));
      console.log(
        line(
          'CPU of the simulators during the fleet run',
          of((run) => run.fleetSims),
        ),
      );
    }
  } finally {
    for (const sim of sims) sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

await main();

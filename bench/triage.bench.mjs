// inc triage -A against the kubectl runbook, side by side on one simulated cluster of 5,000 pods.
// (a) the runbook's kubectl commands one after another, (b) a single `kubectl get pods -A -o json`.
// Goals: inc ≤ 0.5× (a), ≤ 1.5× (b), peak RSS < 250 MB. Usage: npm run bench [-- triage]  (PODS=… RUNS=…)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, startSim } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
const INC = join(ROOT, '.cache', 'bench', 'dist', 'inc.js');
const KUBECTL = join(ROOT, '.cache', 'bin', 'kubectl');
const PODS = Number(process.env.PODS ?? 5000);
const RUNS = Number(process.env.RUNS ?? 5);
const RSS_PROBE =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\ninc-bench-maxrss="+process.resourceUsage().maxRSS+"\\n"))';

const RUNBOOK = [
  ['get', 'pods', '-A'],
  ['get', 'events', '-A', '--sort-by=.lastTimestamp'],
  ['top', 'nodes'],
  ['top', 'pods', '-A'],
  ['get', 'nodes'],
  ['get', 'deployments', '-A'],
  ['get', 'replicasets', '-A'],
];

async function main() {
  const { ensureClientBinaries } = await import('./client-binaries.mjs');
  await ensureClientBinaries();
  rmSync(join(ROOT, '.cache', 'bench'), { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(ROOT, '.cache', 'bench', 'dist'), { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  const sim = await startSim(INC, base, ['--pods', String(PODS)]);
  const env = { ...base, KUBECONFIG: sim.kubeconfig };
  try {
    const times = { inc: [], runbook: [], podsJson: [] };
    const rss = [];
    // One warm-up of each (kubectl's discovery cache, the simulator's JIT), then interleaved runs.
    await run(process.execPath, [INC, '--request-timeout', '0', 'triage', '-A', '-o', 'json'], env, home);
    for (const args of RUNBOOK) await run(KUBECTL, args, env, home);
    await run(KUBECTL, ['get', 'pods', '-A', '-o', 'json'], env, home);
    let findings = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const inc = await run(
        process.execPath,
        ['--import', RSS_PROBE, INC, '--request-timeout', '0', 'triage', '-A', '-o', 'json'],
        env,
        home,
      );
      times.inc.push(inc.ms);
      rss.push(Number(/inc-bench-maxrss=(\d+)/.exec(inc.stderr)?.[1] ?? 0) / 1024);
      findings = inc.stdout;
      let total = 0;
      for (const args of RUNBOOK) total += (await run(KUBECTL, args, env, home)).ms;
      times.runbook.push(total);
      times.podsJson.push((await run(KUBECTL, ['get', 'pods', '-A', '-o', 'json'], env, home)).ms);
    }
    const inc = median(times.inc);
    const runbook = median(times.runbook);
    const podsJson = median(times.podsJson);
    const peak = Math.max(...rss);
    const line = (label, ms) => `  ${label.padEnd(46)} ${String(Math.round(ms)).padStart(6)} ms`;
    console.log(
      `simulated cluster: ${PODS} generated pods; ${RUNS} runs each, medians (inc's JSON report: ${Math.round(findings / 1024)} KB)`,
    );
    console.log(line('inc triage -A -o json (no request timeout, as kubectl)', inc));
    console.log(line('(a) runbook: 7 kubectl commands in sequence', runbook));
    console.log(line('(b) kubectl get pods -A -o json', podsJson));
    console.log(
      `  ratio inc / (a)  ${(inc / runbook).toFixed(2)}×   (goal ≤ 0.5×) ${inc / runbook <= 0.5 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  ratio inc / (b)  ${(inc / podsJson).toFixed(2)}×   (goal ≤ 1.5×) ${inc / podsJson <= 1.5 ? 'met' : 'NOT met'}`,
    );
    console.log(`  inc peak RSS     ${Math.round(peak)} MB   (goal < 250 MB) ${peak < 250 ? 'met' : 'NOT met'}`);
  } finally {
    sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

await main();

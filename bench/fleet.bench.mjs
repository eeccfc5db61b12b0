// inc triage --all-contexts on a fleet of simulated clusters against the slowest single-context triage of the
// same clusters, measured in the same run. Goals: fleet ≤ 1.5× the slowest single context, peak RSS < 400 MB.
// Usage: npm run bench [-- fleet]  (CLUSTERS=… PODS=… RUNS=…)
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
const INC = join(ROOT, '.cache', 'bench-fleet', 'dist', 'inc.js');
const CLUSTERS = Number(process.env.CLUSTERS ?? 10);
const PODS = Number(process.env.PODS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);
const RSS_PROBE =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\ninc-bench-maxrss="+process.resourceUsage().maxRSS+"\\n"))';

/** Runs inc to the end; resolves with its wall time, stdout size and peak RSS (MB). */
function runInc(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_PROBE, INC, ...args], {
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
      const rss = Number(/inc-bench-maxrss=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
      if (code !== 0) reject(new Error(`inc ${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
      else resolve({ ms, stdout, rss });
    });
  });
}

/** One simulator per context, each in its own process as a real cluster would be. */
function startSim(env, name) {
  return new Promise((resolve, reject) => {
    const kubeconfig = join(env.HOME, `${name}.yaml`);
    const args = ['sim', '--pods', String(PODS), '--context-name', name, '--kubeconfig', kubeconfig];
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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

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
    // Warm-up: the simulators' JIT and caches.
    for (const name of names) await runInc(['--context', name, ...triage], env);
    const single = [];
    const fleet = [];
    const rss = [];
    let contexts = 0;
    for (let i = 0; i < RUNS; i += 1) {
      let slowest = 0;
      for (const name of names) slowest = Math.max(slowest, (await runInc(['--context', name, ...triage], env)).ms);
      single.push(slowest);
      const all = await runInc([...triage, '--all-contexts'], env);
      fleet.push(all.ms);
      rss.push(all.rss);
      contexts = JSON.parse(all.stdout).fleet.filter((entry) => entry.status === 'ok').length;
    }
    const one = median(single);
    const many = median(fleet);
    const peak = Math.max(...rss);
    const line = (label, ms) => `  ${label.padEnd(52)} ${String(Math.round(ms)).padStart(6)} ms`;
    console.log(`fleet: ${CLUSTERS} simulated clusters of ${PODS} pods; ${RUNS} runs each, medians`);
    console.log(line('slowest single-context inc triage -A -o json', one));
    console.log(line(`inc triage --all-contexts -A -o json (${contexts} read)`, many));
    console.log(
      `  ratio fleet / slowest  ${(many / one).toFixed(2)}×   (goal ≤ 1.5×) ${many / one <= 1.5 ? 'met' : 'NOT met'}`,
    );
    console.log(`  fleet peak RSS         ${Math.round(peak)} MB   (goal < 400 MB) ${peak < 400 ? 'met' : 'NOT met'}`);
  } finally {
    for (const sim of sims) sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

await main();

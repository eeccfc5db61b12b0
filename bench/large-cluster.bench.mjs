// Large clusters: inc triage -A against `kubectl get pods -A -o json`, side by side, per cluster size,
// with the peak RSS of both and the size of the evidence inc records in an incident.
// Goals at 50,000 pods: inc peak RSS ≤ 350 MB, time ≤ 0.2× kubectl's, evidence < 10 MB.
// Usage: npm run bench -- large   (SIZES=20000,50000 RUNS=1)
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const INC = join(ROOT, '.cache', 'bench-large', 'dist', 'inc.js');
const KUBECTL = join(ROOT, '.cache', 'bin', 'kubectl');
const SIZES = (process.env.SIZES ?? '20000,50000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 1);
const RSS_PROBE =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\ninc-bench-maxrss="+process.resourceUsage().maxRSS+"\\n"))';

/** Runs a command; its peak RSS from the exit probe (inc) or from /proc's high-water mark, polled (kubectl). */
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (hwm) peakKb = Math.max(peakKb, Number(hwm));
      } catch {}
    }, 20);
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      const ms = performance.now() - started;
      const probed = Number(/inc-bench-maxrss=(\d+)/.exec(stderr)?.[1] ?? 0);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
      else resolve({ ms, mb: (probed || peakKb) / 1024, stderr });
    });
  });
}

async function measure(pods) {
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-large-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  const sim = await startSim(INC, base, ['--pods', String(pods), '--speed', '1']);
  const env = { ...base, KUBECONFIG: sim.kubeconfig };
  const triage = ['--import', RSS_PROBE, INC, '--request-timeout', '0', 'triage', '-A', '-o', 'json'];
  try {
    const inc = [];
    const kubectl = [];
    for (let i = 0; i < RUNS; i += 1) {
      inc.push(await run(process.execPath, triage, env));
      kubectl.push(await run(KUBECTL, ['get', 'pods', '-A', '-o', 'json', '--request-timeout', '0'], env));
    }
    // With a current incident, the run records its evidence; the recorded line says where and how large.
    await run(process.execPath, [INC, 'start', 'bench', '--severity', 'SEV3'], env);
    const recorded = await run(process.execPath, triage, env);
    const evidence = /snapshot: (\S+), ([^)]+)\)/.exec(recorded.stderr);
    const best = (list, key) => Math.min(...list.map((r) => r[key]));
    const peak = (list) => Math.max(...list.map((r) => r.mb));
    return {
      pods,
      incMs: best(inc, 'ms'),
      kubectlMs: best(kubectl, 'ms'),
      incMb: peak([...inc, recorded]),
      kubectlMb: peak(kubectl),
      evidence: evidence ? evidence[2] : 'not recorded',
    };
  } finally {
    sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

const { ensureClientBinaries } = await import('./client-binaries.mjs');
await ensureClientBinaries();
rmSync(join(ROOT, '.cache', 'bench-large'), { recursive: true, force: true });
cpSync(join(ROOT, 'dist'), join(ROOT, '.cache', 'bench-large', 'dist'), { recursive: true });
console.log(`generated clusters of ${SIZES.join(', ')} pods; best of ${RUNS} run(s) each, peak RSS over all`);
console.log('  pods     inc triage -A -o json     kubectl get pods -A -o json   ratio   evidence');
for (const pods of SIZES) {
  const r = await measure(pods);
  const ratio = r.incMs / r.kubectlMs;
  console.log(
    `  ${String(pods).padEnd(8)} ${(r.incMs / 1000).toFixed(1).padStart(6)} s ${String(Math.round(r.incMb)).padStart(5)} MB` +
      `        ${(r.kubectlMs / 1000).toFixed(1).padStart(6)} s ${String(Math.round(r.kubectlMb)).padStart(5)} MB` +
      `        ${ratio.toFixed(2)}×   ${r.evidence}`,
  );
  if (pods >= 50000) {
    const met = (ok) => (ok ? 'met' : 'NOT met');
    console.log(`    goals at ${pods}: RSS ≤ 350 MB ${met(r.incMb <= 350)}, time ≤ 0.2× ${met(ratio <= 0.2)}`);
  }
}

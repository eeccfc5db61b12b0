// Large clusters: inc triage -A against `kubectl get pods -A -o json`, side by side, per cluster size,
// with the peak RSS of both and the size of the evidence inc records in an incident.
// The cluster is generated, settled, then frozen (bench/frozen-sim.ts): both clients are served the same
// objects while the simulator does nothing else, so its cost is small and the same for both.
// Goals at 50,000 pods: inc peak RSS ≤ 350 MB, time ≤ 0.2× kubectl's, evidence < 10 MB.
// Usage: npm run bench -- large   (SIZES=20000,50000 RUNS=3)
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const COPY = join(ROOT, '.cache', 'bench-large');
const INC = join(COPY, 'dist', 'inc.js');
const SIM = join(COPY, 'frozen-sim.mjs');
const KUBECTL = join(ROOT, '.cache', 'bin', 'kubectl');
const SIZES = (process.env.SIZES ?? '20000,50000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 3);
// GNU time reports a child's peak RSS as the kernel counted it; without it, the high-water mark in /proc, polled.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command to its end: wall time, peak RSS (MB), CPU seconds (with GNU time) and stderr; rejects on failure. */
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const [file, argv] = TIME ? [TIME, ['-f', 'inc-bench-maxrss=%M cpu=%U+%S', command, ...args]] : [command, args];
    const started = performance.now();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let polledKb = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (hwm) polledKb = Math.max(polledKb, Number(hwm));
      } catch {}
    }, 20);
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      const ms = performance.now() - started;
      const probe = /inc-bench-maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
      const kb = probe ? Number(probe[1]) : polledKb;
      const cpu = probe ? Number(probe[2]) + Number(probe[3]) : Number.NaN;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
      else resolve({ ms, mb: kb / 1024, cpu, stderr });
    });
  });
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The frozen simulator, once it has settled and then used under 5% of a core for a whole second. */
async function startFrozenSim(pods, env) {
  const kubeconfig = join(env.HOME, 'kubeconfig');
  const child = spawn(process.execPath, [SIM, String(pods), kubeconfig], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => child.kill('SIGTERM');
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 300 s')), 300_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('inc-sim ready:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  for (let i = 0; i < 60; i++) {
    const before = cpuSeconds(child.pid);
    await new Promise((done) => setTimeout(done, 1000));
    if (cpuSeconds(child.pid) - before < 0.05) return { kubeconfig, pid: child.pid, stop };
  }
  stop();
  throw new Error('the simulator stayed busy for a minute after it was ready');
}

async function measure(pods) {
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-large-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  const sim = await startFrozenSim(pods, base);
  const env = { ...base, KUBECONFIG: sim.kubeconfig };
  const triage = [INC, '--request-timeout', '0', 'triage', '-A', '-o', 'json'];
  try {
    const inc = [];
    const kubectl = [];
    const simCpu = { inc: 0, kubectl: 0 };
    // Alternated, so a change in the machine's load falls on both alike.
    for (let i = 0; i < RUNS; i += 1) {
      let before = cpuSeconds(sim.pid);
      inc.push(await run(process.execPath, triage, env));
      simCpu.inc += cpuSeconds(sim.pid) - before;
      before = cpuSeconds(sim.pid);
      kubectl.push(await run(KUBECTL, ['get', 'pods', '-A', '-o', 'json', '--request-timeout', '0'], env));
      simCpu.kubectl += cpuSeconds(sim.pid) - before;
    }
    // With a current incident, the run records its evidence; the recorded line says where and how large.
    await run(process.execPath, [INC, 'start', 'bench', '--severity', 'SEV3'], env);
    const recorded = await run(process.execPath, triage, env);
    const evidence = /snapshot: (\S+), ([^)]+)\)/.exec(recorded.stderr);
    const mid = (list, key) => median(list.map((r) => r[key]));
    return {
      pods,
      incMs: mid(inc, 'ms'),
      kubectlMs: mid(kubectl, 'ms'),
      incMb: mid(inc, 'mb'),
      incCpu: mid(inc, 'cpu'),
      kubectlCpu: mid(kubectl, 'cpu'),
      recordedMs: recorded.ms,
      recordedMb: recorded.mb,
      kubectlMb: mid(kubectl, 'mb'),
      simCpu: { inc: simCpu.inc / RUNS, kubectl: simCpu.kubectl / RUNS },
      evidence: evidence ? evidence[2] : 'not recorded',
    };
  } finally {
    sim.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const { ensureClientBinaries } = await import('./client-binaries.mjs');
await ensureClientBinaries();
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
rmSync(COPY, { recursive: true, force: true });
cpSync(join(ROOT, 'dist'), join(COPY, 'dist'), { recursive: true });
await build({
  entryPoints: [join(ROOT, 'bench', 'frozen-sim.ts')],
  outfile: SIM,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`generated, settled and frozen clusters of ${SIZES.join(', ')} pods; median of ${RUNS} runs each`);
console.log(`peak RSS from ${TIME ? 'GNU time' : "/proc's high-water mark"}; load average at start: ${load()}`);
// Wall time is the goal; the clients' own CPU (user + system) is shown beside it, as on a loaded machine
// the single-threaded inc and the simulator get a smaller share of the cores than kubectl's threads.
console.log('  pods     inc triage -A -o json         kubectl get pods -A -o json    ratio   server CPU inc/kubectl');
for (const pods of SIZES) {
  const r = await measure(pods);
  const ratio = r.incMs / r.kubectlMs;
  const s = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`;
  const mb = (n) => `${String(Math.round(n)).padStart(5)} MB`;
  const cpu = (n) => `(CPU ${n.toFixed(1)} s)`;
  console.log(
    `  ${String(pods).padEnd(8)} ${s(r.incMs)} ${mb(r.incMb)} ${cpu(r.incCpu)}   ${s(r.kubectlMs)} ${mb(r.kubectlMb)} ` +
      `${cpu(r.kubectlCpu)}   ${ratio.toFixed(2)}×   ${r.simCpu.inc.toFixed(1)} s / ${r.simCpu.kubectl.toFixed(1)} s`,
  );
  console.log(`    with a current incident: ${s(r.recordedMs)} ${mb(r.recordedMb)}, evidence ${r.evidence}`);
  if (pods >= 50000) {
    const met = (ok) => (ok ? 'met' : 'NOT met');
    const peak = Math.max(r.incMb, r.recordedMb);
    console.log(`    goals at ${pods}: RSS ≤ 350 MB ${met(peak <= 350)}, time ≤ 0.2× ${met(ratio <= 0.2)}`);
  }
}
console.log(`load average at end: ${load()}`);

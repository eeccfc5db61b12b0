// inc logs against kubectl logs -l … --prefix --timestamps, side by side on one workload of 200 pods.
// kubectl reads the pods' logs a few at a time (--max-log-requests is 5); inc reads 25 at once and merges
// them in time order. Usage: npm run bench [-- logs]  (PODS=… RUNS=…)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { median, run, startSim } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// A private copy of the build, so a rebuild in the working tree during the run cannot break it.
const INC = join(ROOT, '.cache', 'bench-logs', 'dist', 'inc.js');
const KUBECTL = join(ROOT, '.cache', 'bin', 'kubectl');
const PODS = Number(process.env.PODS ?? 200);
const RUNS = Number(process.env.RUNS ?? 5);

/** The empty cluster plus one deployment of PODS small pods (and enough pod slots on the nodes). */
function writeScenario(dir) {
  const scenario = parse(readFileSync(join(ROOT, 'src', 'sim', 'scenarios', 'empty.yaml'), 'utf8'));
  scenario.name = 'bench-logs';
  scenario.description = `one deployment of ${PODS} pods for the logs benchmark`;
  for (const manifest of scenario.manifests) {
    if (manifest.kind === 'Node') manifest.status.allocatable.pods = manifest.status.capacity.pods = '1000';
  }
  scenario.manifests.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'payments', labels: { app: 'api' } },
    spec: {
      replicas: PODS,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'registry.example.com/payments/api:2.3.0' }] },
      },
    },
  });
  const file = join(dir, 'bench-logs.yaml');
  writeFileSync(file, stringify(scenario));
  return file;
}

const lines = (text) => text.split('\n').filter(Boolean);

async function main() {
  const { ensureClientBinaries } = await import('./client-binaries.mjs');
  await ensureClientBinaries();
  rmSync(join(ROOT, '.cache', 'bench-logs'), { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(ROOT, '.cache', 'bench-logs', 'dist'), { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'inc-bench-logs-'));
  const base = { ...process.env, HOME: home, INC_HOME: join(home, 'inc'), NO_COLOR: '1' };
  delete base.KUBECONFIG;
  const sim = await startSim(INC, base, ['--scenario', writeScenario(home), '--speed', '20']);
  const env = { ...base, KUBECONFIG: sim.kubeconfig };
  const incArgs = [INC, 'logs', 'deployment/api', '-n', 'payments'];
  const kubectlArgs = ['logs', '-n', 'payments', '-l', 'app=api', '--prefix', '--timestamps', '--tail=-1'];
  try {
    await run(KUBECTL, ['rollout', 'status', 'deployment/api', '-n', 'payments', '--timeout=110s'], env, home);
    // Warm-up (kubectl's discovery cache, the simulator's JIT), and the same lines from both.
    const incLines = lines((await run(process.execPath, incArgs, env, home)).text);
    const kubectlLines = lines((await run(KUBECTL, kubectlArgs, env, home)).text);
    const same = [...incLines].sort().join('\n') === [...kubectlLines].sort().join('\n');
    const times = { inc: [], kubectl: [] };
    for (let i = 0; i < RUNS; i += 1) {
      times.inc.push((await run(process.execPath, incArgs, env, home)).ms);
      times.kubectl.push((await run(KUBECTL, kubectlArgs, env, home)).ms);
    }
    const inc = median(times.inc);
    const kubectl = median(times.kubectl);
    const line = (label, ms) => `  ${label.padEnd(62)} ${String(Math.round(ms)).padStart(6)} ms`;
    console.log(`one deployment of ${PODS} pods, ${incLines.length} log lines; ${RUNS} runs each, medians`);
    console.log(line('inc logs deployment/api (merged in time order)', inc));
    console.log(line('kubectl logs -l app=api --prefix --timestamps --tail=-1', kubectl));
    console.log(`  ratio inc / kubectl  ${(inc / kubectl).toFixed(2)}×   same lines: ${same ? 'yes' : 'NO'}`);
    if (!same) process.exitCode = 1;
  } finally {
    sim.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

await main();

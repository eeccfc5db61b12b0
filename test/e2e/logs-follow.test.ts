// biome-ignore-all lint/suspicious/noExplicitAny: the tests read the simulator's raw JSON
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { eventually } from '../helpers/kubectl-runner.js';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

/**
 * inc logs -f against the simulator: every pod's lines as they are written, prefixed, picking up a
 * pod that appears, ended cleanly by Ctrl-C; and --attach keeping the lines shown, redacted, with a
 * note in the current incident.
 */

let dir: string;
let sim: RunningSim;
const env = () => ({ HOME: dir, INC_HOME: join(dir, 'state'), NO_COLOR: '1', TERM: 'dumb', INC_ACTOR: 'oncall' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-logs-follow-'));
  sim = await startSim({ scenario: 'healthy', speed: 20 });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const inc = (args: string[]) =>
  runInc(['--kubeconfig', sim.kubeconfigPath, ...args], { cwd: dir, env: env(), timeoutMs: 30_000 });

/** `inc ARGS` left running, its output read as it comes. */
function startInc(args: string[]): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [INC_BIN, '--kubeconfig', sim.kubeconfigPath, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env() },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, out: () => stdout, err: () => stderr };
}

function exited(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('inc did not end'));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const webPods = () =>
  sim.state
    .list('Pod', 'shop')
    .filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name);

function setReplicas(namespace: string, name: string, replicas: number): void {
  const deployment = structuredClone(sim.state.get('Deployment', namespace, name)!) as any;
  deployment.spec.replicas = replicas;
  sim.state.update(deployment);
}

describe('inc logs -f', () => {
  it('streams every pod, picks up a new pod, filters with --grep, and ends cleanly on Ctrl-C', async () => {
    const before = webPods();
    expect(before).toHaveLength(3);
    const run = startInc(['logs', 'deployment/web', '-n', 'shop', '-f', '--grep', 'ready to serve']);
    const linesOf = (pod: string) =>
      run
        .out()
        .split('\n')
        .filter((line) => line.startsWith(`[pod/${pod}/web] `));
    await eventually(async () => (before.every((pod) => linesOf(pod).length === 1) ? true : undefined));

    setReplicas('shop', 'web', 4);
    const added = await eventually(async () => webPods().find((pod) => !before.includes(pod)));
    await eventually(async () => (linesOf(added).length === 1 ? true : undefined));
    expect(run.err()).toContain(`+ pod/${added}`);
    for (const line of run.out().trim().split('\n'))
      expect(line).toMatch(/^\[pod\/web-\S+\/web\] \d{4}-\d\d-\d\dT\S+Z \S+Z INFO ready to serve requests$/);

    run.child.kill('SIGINT');
    expect(await exited(run.child)).toBe(0);
    expect(run.err()).not.toMatch(/error|please report/i);
    for (const pod of [...before, added]) expect(run.err()).toContain(`${pod}: 1 matching line`);
    setReplicas('shop', 'web', 3);
  });
});

describe('inc logs --attach', () => {
  it('keeps the lines shown, redacted, as evidence linked from a note of the current incident', async () => {
    const leaky = structuredClone(sim.state.get('Deployment', 'shop', 'cart')!) as any;
    leaky.metadata = { name: 'leaky', namespace: 'shop', labels: { app: 'leaky' } };
    leaky.spec.replicas = 2;
    leaky.spec.selector = { matchLabels: { app: 'leaky' } };
    leaky.spec.template.metadata = {
      labels: { app: 'leaky' },
      annotations: {
        'sim.inc.dev/behavior': 'crashloop',
        'sim.inc.dev/log-error': 'cannot reach db: dsn postgres://app@db/app?password=hunter2-secret',
      },
    };
    delete leaky.status;
    sim.state.create(leaky);

    const refused = await inc(['logs', 'deployment/leaky', '-n', 'shop', '--attach']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('inc start');

    expect((await inc(['start', 'cart errors', '--severity', 'SEV3'])).code).toBe(0);
    await eventually(async () => {
      const got = await inc(['logs', 'deployment/leaky', '-n', 'shop', '--previous', '--grep', 'cannot reach db']);
      return got.stdout.split('\n').filter(Boolean).length >= 2 ? true : undefined;
    });
    // The previous (crashed) instances always hold the error line; a restarted one may not have written it yet.
    const run = await inc([
      'logs',
      'deployment/leaky',
      '-n',
      'shop',
      '--previous',
      '--grep',
      'cannot reach db',
      '--attach',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('hunter2');

    const incidents = join(dir, 'state', 'incidents');
    const [id] = readdirSync(incidents);
    const events = readFileSync(join(incidents, id!, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const note = events.find((e) => e.type === 'note' && e.data.evidence);
    const shown = run.stdout.split('\n').filter((line) => line.startsWith('[pod/leaky-'));
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(note.data.text).toBe(
      `logs of deployment/leaky in shop matching /cannot reach db/: ${shown.length} line${shown.length === 1 ? '' : 's'}`,
    );
    expect(note.data.evidence).toBe('evidence/logs-deployment-leaky.txt');
    const kept = readFileSync(join(incidents, id!, note.data.evidence), 'utf8');
    expect(kept.trim().split('\n')).toEqual(shown);
    expect(kept).toContain('password=[REDACTED]');
    expect(kept).not.toContain('hunter2');
  });
});

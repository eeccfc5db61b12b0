import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assetPath } from '../assets.js';
import { pollUntil } from '../clock.js';
import { IncError, UsageError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { type CliContext, runIncOf } from './context.js';
import { stillFailing, type TriageJson } from './triage-json.js';

/** What `inc demo --practice` leaves for `inc resolve` to judge the exercise by. */
export interface PracticeState {
  scenario: string;
  pid: number;
  kubeconfig: string;
  server: string;
  startedAt: string;
  culprit?: { kind: string; namespace?: string; name: string; reason: string; change: string; playbook: string };
}

const READY_TIMEOUT_MS = 20_000;

export function practiceDir(incHome: string): string {
  return join(incHome, 'practice');
}

export async function readPractice(incHome: string): Promise<PracticeState | undefined> {
  const file = join(practiceDir(incHome), 'practice.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as PracticeState;
}

/**
 * Starts `inc sim --scenario NAME` in the background for a game day and records it, so the usual
 * commands can be practised against it and `inc resolve` can say whether the culprit was fixed.
 */
export async function startPractice(ctx: CliContext, incHome: string, scenarioName: string): Promise<PracticeState> {
  const { loadScenario } = await import('../sim/scenario.js');
  const scenario = loadScenario(scenarioName);
  const existing = await readPractice(incHome);
  if (existing && isRunning(existing.pid)) {
    throw new UsageError(`a practice cluster (scenario ${existing.scenario}) is already running`, {
      hint: 'stop it first with: inc demo --stop',
    });
  }
  const dir = practiceDir(incHome);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const kubeconfig = join(dir, 'kubeconfig');
  const logFile = join(dir, 'sim.log');
  const log = openSync(logFile, 'w', 0o600);
  const child = spawn(
    process.execPath,
    // Ten times real time, so a practice rollout or restart settles while the responder watches.
    [assetPath('bin', 'inc.js'), 'sim', '--scenario', scenarioName, '--kubeconfig', kubeconfig, '--speed', '10'],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env: ctx.env,
    },
  );
  closeSync(log);
  child.unref();
  const server = await waitForReady(ctx, logFile, child.pid ?? 0);
  const state: PracticeState = {
    scenario: scenario.name,
    pid: child.pid ?? 0,
    kubeconfig,
    server,
    startedAt: ctx.clock.now().toISOString(),
    culprit: scenario.culprit,
  };
  await writeFile(join(dir, 'practice.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}

/** Stops the background practice cluster, if any; returns what was stopped. */
export async function stopPractice(incHome: string): Promise<PracticeState | undefined> {
  const state = await readPractice(incHome);
  if (!state) return undefined;
  if (isRunning(state.pid)) process.kill(state.pid, 'SIGTERM');
  await rm(join(practiceDir(incHome), 'practice.json'), { force: true });
  return state;
}

/**
 * Called by `inc resolve`: judges a practice run — is the planted culprit fixed on the practice cluster,
 * and how long did mitigation take — then stops the practice cluster. A real incident resolved while a
 * game day runs is no part of it: the practice cluster is only mentioned, neither judged nor stopped.
 */
export async function reportPractice(
  ctx: CliContext,
  incHome: string,
  incident: { practice: boolean; times: { mitigatedAt?: string } },
  out: Output,
): Promise<void> {
  const state = await readPractice(incHome);
  if (!state) return;
  if (!incident.practice) {
    if (isRunning(state.pid))
      out.err(`a practice cluster (scenario ${state.scenario}) is still running; stop it with: inc demo --stop`);
    return;
  }
  const mitigatedAt = incident.times.mitigatedAt;
  let report: TriageJson | undefined;
  let text = '';
  const capture: Output = {
    out: (chunk) => {
      text += `${chunk}\n`;
    },
    err: () => {},
  };
  const env = { ...ctx.env, KUBECONFIG: state.kubeconfig, INC_HOME: join(practiceDir(incHome), 'scratch') };
  if (
    (await runIncOf(ctx)({ ...ctx, env, output: capture, stdinIsTTY: false }, ['triage', '-A', '-o', 'json'])) === 0
  ) {
    report = JSON.parse(text) as TriageJson;
  }
  const started = new Date(state.startedAt).getTime();
  const minutes = mitigatedAt ? Math.round((new Date(mitigatedAt).getTime() - started) / 6000) / 10 : undefined;
  const culprit = state.culprit;
  const fixed = report && culprit ? !stillFailing(report, culprit) : undefined;
  // Deleting the culprit also ends its failures: what triage still finds critical says whether service came back.
  const leftCritical = fixed ? report?.findings.find((finding) => finding.severity === 'critical') : undefined;
  out.err(`Practice (scenario ${state.scenario}):`);
  if (culprit) {
    const verdict =
      fixed === undefined
        ? 'could not be checked'
        : leftCritical
          ? `NOT fixed: triage still finds ${leftCritical.title}`
          : fixed
            ? 'fixed'
            : 'NOT fixed';
    out.err(
      `  culprit: ${culprit.kind.toLowerCase()} ${culprit.namespace ? `${culprit.namespace}/` : ''}${culprit.name} (${culprit.change}) — ${verdict}`,
    );
    out.err(`  the playbook that mitigates it: inc run ${culprit.playbook}`);
  }
  out.err(
    `  time to mitigate: ${minutes === undefined ? 'not mitigated (inc mitigated, or a verified playbook run, sets it)' : `${minutes} min`}`,
  );
  await stopPractice(incHome);
  out.err('  the practice cluster is stopped.');
}

async function waitForReady(ctx: CliContext, logFile: string, pid: number): Promise<string> {
  const stop = () => {
    if (pid && isRunning(pid)) process.kill(pid, 'SIGTERM');
  };
  const server = await pollUntil(
    ctx.clock,
    ctx.signal,
    READY_TIMEOUT_MS,
    () => {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const ready = /inc-sim ready: .* server=(\S+)/.exec(text);
      if (ready) return ready[1]!;
      if (pid && !isRunning(pid)) throw new IncError(`the practice cluster did not start:\n${text.trim()}`);
      return undefined;
    },
    100,
  ).catch((error: unknown) => {
    // Ctrl-C while it starts: leave no cluster running in the background.
    stop();
    throw error;
  });
  if (server !== undefined) return server;
  stop();
  throw new IncError(`the practice cluster did not become ready within ${READY_TIMEOUT_MS / 1000} s (log: ${logFile})`);
}

function isRunning(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

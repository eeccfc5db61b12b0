import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../../src/sim/index.js';
import { type RunIncResult, runInc } from '../../helpers/run-inc.js';

/**
 * Updates and the postmortem say what was done, once: a dry run is no action, a triage from before
 * the mitigation is not quoted as the latest, a suspect seen by every triage is one lead, and a
 * due date reads as a date.
 */
const ID = 'INC-20260110-1400-payments-failing';
let sim: RunningSim;
let root: string;
let env: Record<string, string>;

async function inc(time: string, args: string[]): Promise<RunIncResult> {
  const result = await runInc(args, {
    env: { ...env, INC_NOW: `2026-01-10T${time}Z` },
    cwd: root,
    timeoutMs: 45_000,
  });
  expect(result.code, `inc ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  sim = await startSim({ scenario: 'bad-deploy', speed: 60 });
  root = mkdtempSync(join(tmpdir(), 'inc-report-noise-'));
  env = {
    KUBECONFIG: sim.kubeconfigPath,
    INC_HOME: join(root, 'home'),
    XDG_CONFIG_HOME: join(root, 'config'),
    INC_ACTOR: 'alice',
    TZ: 'UTC',
  };
});
afterAll(async () => {
  await sim?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('updates and the postmortem without repeated noise', () => {
  it('a monitoring update lists the applied rollback only and no triage from before it', async () => {
    await inc('14:00:00', ['start', 'Payments failing', '-s', 'SEV1', '--commander', 'alice']);
    for (const time of ['14:01:00', '14:01:30', '14:02:00']) await inc(time, ['triage', '-n', 'payments']);
    const scaleWorker = ['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', 'replicas=5'];
    const dry = await inc('14:03:00', [...scaleWorker, '--dry-run']);
    expect(dry.stdout).toContain('worker');
    await inc('14:05:00', ['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--yes']);

    const slack = await inc('14:10:00', ['update', '--format', 'slack']);
    expect(slack.stdout).toMatch(/\*Actions:\* .*payments\/api.*\(verified, 14:0\d UTC\)\./);
    expect(slack.stdout).not.toMatch(/worker|planned, not applied/);
    // The triages before the rollback are not the latest word on the cluster: the rollback's own
    // check after it is.
    expect(slack.stdout).toMatch(/Triage: no critical or warning findings/);
    expect(slack.stdout).not.toMatch(/crash-looping/);

    await inc('14:11:00', ['triage', '-n', 'payments']);
    const after = await inc('14:12:00', ['update', '--format', 'slack']);
    expect(after.stdout).toContain('Triage:');
    expect(after.stdout).not.toMatch(/Triage: [^.]*crash-looping/);
  });

  it('the postmortem has one lead per suspect, no dry run, and a due date as a date', async () => {
    await inc('14:13:00', ['note', 'TODO: alert on crash loops after a rollout', '--due', 'friday']);
    await inc('14:20:00', ['resolve', '--summary', 'Rolled back payments/api']);
    await inc('14:30:00', ['postmortem']);
    const markdown = readFileSync(join(env.INC_HOME ?? '', 'incidents', ID, 'postmortem.md'), 'utf8');
    const leads = markdown.split('\n').filter((line) => line.startsWith('- Deployment payments/api: rollout to'));
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatch(/first seen 2026-01-10 14:01 UTC, last 14:02 UTC, in 3 triages$/);
    expect(markdown).not.toMatch(/worker|planned only/);
    expect(markdown).toMatch(
      /\| alert on crash loops after a rollout \| not set \| unclassified \| unassigned \| 2026-01-16 \|/,
    );
    expect(markdown).not.toMatch(/T\d\d:\d\d:\d\d\.\d{3}Z/);
  });
});

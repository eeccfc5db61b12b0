import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { type RunIncResult, runInc } from '../helpers/run-inc.js';
import { markdownErrors, UNRENDERED } from '../unit/report/render-helpers.js';

/**
 * A whole incident on the simulated cluster (bad-deploy: payments/api 2.3.1 crash-loops),
 * through the built binary: declare a SEV1, triage, update, roll back, update in every format,
 * resolve, write the postmortem. inc's own clock is pinned per step with INC_NOW; the cluster
 * keeps its own (accelerated) time.
 */
const ID = 'INC-20260110-1400-payments-failing';
let sim: RunningSim;
let root: string;
let env: Record<string, string>;

async function inc(time: string, args: string[]): Promise<RunIncResult> {
  const result = await runInc(args, { env: { ...env, INC_NOW: `2026-01-10T${time}Z` }, cwd: root, timeoutMs: 45_000 });
  expect(result.code, `inc ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  sim = await startSim({ scenario: 'bad-deploy', speed: 60 });
  root = mkdtempSync(join(tmpdir(), 'inc-report-sim-'));
  env = {
    KUBECONFIG: sim.kubeconfigPath,
    INC_HOME: join(root, 'home'),
    XDG_CONFIG_HOME: join(root, 'config'),
    INC_ACTOR: 'alice',
  };
});
afterAll(async () => {
  await sim?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a bad deploy from page to postmortem', () => {
  const updates: string[] = [];

  it('declares, triages, and the first update names the suspect', async () => {
    await inc('14:00:00', [
      'start',
      'Payments failing',
      '-s',
      'SEV1',
      '--commander',
      'alice',
      '--service',
      'checkout',
      '--impact-started',
      '2026-01-10T13:55:00Z',
    ]);
    await inc('14:02:00', ['triage', '-A']);
    const slack = await inc('14:03:00', [
      'update',
      '--format',
      'slack',
      '--impact',
      'Card payments fail for some customers',
    ]);
    updates.push(slack.stdout);
    expect(slack.stdout.split('\n')[0]).toBe(`:mag: *${ID} [SEV1 · identified]* Payments failing`);
    // The worst finding leads: the crash loop, or the stalled rollout once the simulated cluster's
    // progress deadline has passed (its clock runs on while the machine is busy).
    expect(slack.stdout).toMatch(
      /Triage: (\d\/\d pods of deployment payments\/api crash-looping|rollout of deployment payments\/api stalled \(ProgressDeadlineExceeded\)).* \(\+\d+ more\)\. Suspect: Deployment payments\/api: rollout to revision 2/,
    );
    expect(slack.stdout).toContain('Next: Mitigating: inc run rollback');
  });

  it('rolls back, and the next update reports the verified rollback and monitoring', async () => {
    await inc('14:05:00', ['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--yes']);
    const text = await inc('14:10:00', ['update', '--message', 'Rolled back; error rate falling']);
    updates.push(text.stdout);
    expect(text.stdout.split('\n')[0]).toBe(`SEV1 MONITORING: Payments failing (${ID})`);
    expect(text.stdout).toMatch(/^Last action: .*payments\/api.*\(verified, 14:0\d UTC\)/m);
    expect(text.stdout).toContain('Status: Monitoring (15m since 2026-01-10 13:55 UTC)');
    expect(text.stdout).toContain('Next update: 14:25 UTC');
  });

  it('keeps internal names out of the Statuspage update and the Markdown update lint-clean', async () => {
    const page = await inc('14:11:00', [
      'update',
      '--format',
      'statuspage',
      '--message',
      'Rolled back payments/api in inc-sim. Customers can pay again.',
    ]);
    updates.push(page.stdout);
    expect(page.stdout.split('\n')[1]).toBe(
      'Monitoring - A fix has been implemented and we are monitoring the results. Customers can pay again.',
    );
    for (const word of [
      'payments/api',
      'inc-sim',
      'registry.example.com',
      '2.3.1',
      'alice',
      'revision',
      'Deployment',
      'pod',
    ]) {
      expect(page.stdout).not.toContain(word);
    }
    const markdown = await inc('14:12:00', ['update', '--format', 'markdown']);
    updates.push(markdown.stdout);
    expect(await markdownErrors(markdown.stdout)).toEqual([]);
  });

  it('resolves, and the postmortem has every action and update in order, with metrics and no markers', async () => {
    await inc('14:20:00', ['resolve', '--summary', 'Rolled back payments/api to the previous release']);
    updates.push((await inc('14:21:00', ['update'])).stdout);
    for (const update of updates) expect(update).not.toMatch(UNRENDERED);

    await inc('14:30:00', ['postmortem']);
    const markdown = readFileSync(join(env.INC_HOME ?? '', 'incidents', ID, 'postmortem.md'), 'utf8');
    expect(markdown).not.toMatch(UNRENDERED);
    expect(await markdownErrors(markdown)).toEqual([]);

    const log = (await inc('14:30:10', ['log', '--json'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; at: string; data: Record<string, unknown> });
    const actionIds = [
      ...new Set(log.filter((e) => e.type === 'action' && !e.data.dryRun).map((e) => String(e.data.actionId))),
    ];
    expect(actionIds.length).toBeGreaterThan(0);

    const rows = markdown.split('\n').filter((line) => /^\| 2026-01-10 \d\d:\d\d:\d\d \|/.test(line));
    const times = rows.map((row) => row.slice(2, 21));
    expect([...times].sort()).toEqual(times);
    const events = rows.map((row) => row.split(' | ')[1] ?? '');
    const updateRows = events.filter((event) => event.startsWith('Status update ('));
    expect(updateRows).toEqual([
      'Status update (slack): identified',
      'Status update (text): monitoring',
      'Status update (statuspage): monitoring',
      'Status update (markdown): monitoring',
      'Status update (text): resolved',
    ]);
    expect(events.filter((event) => /^(Action|Undo): /.test(event))).toHaveLength(actionIds.length);
    expect(rows.find((row) => row.includes('| Triage: '))).toMatch(/suspect Deployment payments\/api/);
    expect(rows.some((row) => /Action: .*payments\/api.*Result: verified/.test(row))).toBe(true);
    expect(events.at(-1)).toBe('Status update (text): resolved');
    expect(markdown).toContain('| Duration | 25m |');
    expect(markdown).toMatch(/\| Time to resolve \| impact started \| resolved \| 25m(0\ds)? \|/);
    expect(markdown).toMatch(/\| Time to mitigate \| impact started \| mitigated \| 10m(\d\ds)? \|/);
  });
});

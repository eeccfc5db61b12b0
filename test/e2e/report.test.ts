import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, startSocksProxy } from '../helpers/forward-proxy.js';
import { type RunIncResult, runInc } from '../helpers/run-inc.js';
import { startWebhookServer } from '../helpers/webhook-server.js';
import { markdownErrors, UNRENDERED } from '../unit/report/render-helpers.js';

/**
 * A whole incident through the built binary, without a cluster: declare a SEV1, note, update in
 * every format, mitigate, resolve, write the postmortem and the handoff. Each step runs at a
 * pinned INC_NOW, so times, durations and metrics are exact.
 */
const ID = 'INC-20260110-1400-checkout-errors';
let root: string;
let env: Record<string, string>;

function at(time: string): string {
  return `2026-01-10T${time}Z`;
}

async function inc(time: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunIncResult> {
  return runInc(args, { env: { ...env, INC_NOW: at(time), ...extraEnv }, cwd: root, timeoutMs: 20_000 });
}

async function ok(time: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunIncResult> {
  const result = await inc(time, args, extraEnv);
  expect(result.code, `inc ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'inc-report-e2e-'));
  env = { INC_HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'config'), INC_ACTOR: 'alice' };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('status updates, postmortem and handoff through the built inc', () => {
  const updates: Record<string, string> = {};

  it('refuses an update when no incident is open', async () => {
    const result = await inc('13:59:00', ['update', '--message', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no incident is open/);
    expect(result.stdout).toBe('');
  });

  it('declares a SEV1 and sends the initial update as text', async () => {
    await ok('14:00:00', [
      'start',
      'Checkout errors',
      '--severity',
      'SEV1',
      '--commander',
      'alice',
      '--service',
      'checkout',
      '--impact-started',
      at('13:55:00'),
    ]);
    await ok('14:02:00', ['note', 'Customers report failed payments']);
    const result = await ok('14:04:00', [
      'update',
      '--impact',
      '30% of checkouts fail',
      '--message',
      'Looking at the last deploy',
    ]);
    updates.text = result.stdout;
    expect(result.stdout.split('\n')).toEqual([
      `SEV1 INVESTIGATING: Checkout errors (${ID})`,
      'We are responding to a SEV1 incident, impact since 2026-01-10 13:55 UTC.',
      'Status: Investigating (9m since 2026-01-10 13:55 UTC)',
      'Impact: 30% of checkouts fail',
      'Update: Looking at the last deploy',
      'Last action: none yet',
      'Next action: Triaging the cluster (inc triage)',
      'ETA: unknown',
      'Commander: alice',
      'Next update: 14:19 UTC',
      '',
    ]);
    expect(result.stderr).toContain(`recorded investigating update in ${ID}; next update due 14:19 UTC`);
  });

  it('sends a Slack update in mrkdwn and posts it to the webhook', async () => {
    await ok('14:06:00', [
      'note',
      'Add a canary stage for api deploys',
      '--action',
      '--owner',
      'carol',
      '--due',
      '2026-01-17',
      '--type',
      'prevent',
    ]);
    const { url, received, close } = await startWebhookServer();
    try {
      const result = await ok(
        '14:08:00',
        [
          'update',
          '--status',
          'identified',
          '--format',
          'slack',
          '--post',
          '--eta',
          '14:30 UTC',
          '--message',
          'Suspect the api deploy',
        ],
        {
          INC_SLACK_WEBHOOK: url,
        },
      );
      updates.slack = result.stdout;
      expect(result.stdout.split('\n')[0]).toBe(`:mag: *${ID} [SEV1 · identified]* Checkout errors`);
      for (const part of [
        '*Conditions:* 30% of checkouts fail (for 13m, since 2026-01-10 13:55 UTC).',
        '*Actions:* None yet.',
        '*Needs:* Nothing at the moment',
        '*ETA:* 14:30 UTC',
        '*Next update:* 14:23 UTC · IC: alice',
      ]) {
        expect(result.stdout).toContain(part);
      }
      expect(result.stdout).not.toMatch(/\*\*|^#|^\|/m);
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0] ?? '{}')).toEqual({ text: result.stdout.trimEnd(), mrkdwn: true });
      expect(result.stderr).toContain('posted to Slack');
      // The log says it was posted, and where.
      const log = await ok('14:08:10', ['log', '--json']);
      const last = log.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .at(-1);
      expect(last.data.post).toEqual({ to: 'slack', ok: true });
      expect((await ok('14:08:20', ['log'])).stdout).toContain('Suspect the api deploy — posted to Slack');
    } finally {
      await close();
    }
  });

  // An update Slack refuses is recorded as not delivered: test/e2e/update-delivery.test.ts.
  it('refuses --post without INC_SLACK_WEBHOOK, posting and recording nothing', async () => {
    const missing = await inc('14:09:20', ['update', '--post', '--message', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/INC_SLACK_WEBHOOK/);
    const log = await ok('14:09:30', ['log', '--json']);
    expect(log.stdout.match(/"type":"update"/g)).toHaveLength(2);
  });

  it('sends Markdown after mitigation, lint-clean, with the status the log implies', async () => {
    await ok('14:12:00', ['mitigated']);
    const result = await ok('14:13:00', ['update', '--format', 'markdown', '--message', 'Error rate back under 1%']);
    updates.markdown = result.stdout;
    expect(result.stdout.startsWith('# SEV1 Monitoring: Checkout errors\n')).toBe(true);
    expect(result.stdout).toContain('| Duration | 18m |');
    expect(result.stdout).toContain('| Next update | 14:28 UTC |');
    expect(await markdownErrors(result.stdout)).toEqual([]);
  });

  it('sends a customer-facing Statuspage update with no internal names', async () => {
    const result = await ok('14:15:00', [
      'update',
      '--format',
      'statuspage',
      '--message',
      'We rolled back deployment payments/api to revision 3. Checkout is recovering.',
      '--impact',
      'Pods in namespace payments crashed. Some customers could not pay.',
    ]);
    updates.statuspage = result.stdout;
    expect(result.stdout.split('\n')).toEqual([
      'Checkout errors',
      'Monitoring - A fix has been implemented and we are monitoring the results. Checkout is recovering.',
      'Impact: Some customers could not pay.',
      'Affected: checkout',
      'We will post another update by 14:30 UTC.',
      '',
    ]);
    expect(result.stderr).toMatch(/left out of the Statuspage text/);
  });

  it('resolves, sends the resolution, and every update so far is free of template markers', async () => {
    await ok('14:20:00', ['resolve', '--summary', 'Rolled back api to the previous release']);
    const result = await ok('14:21:00', ['update']);
    updates.resolution = result.stdout;
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      `SEV1 RESOLVED: Checkout errors (${ID})`,
      'The incident is resolved as of 14:20 UTC, after 25m. A postmortem will follow within 5 business days.',
      'Status: Resolved (after 25m, from 2026-01-10 13:55 UTC)',
    ]);
    expect(result.stdout).not.toContain('Next update:');
    for (const text of Object.values(updates)) expect(text).not.toMatch(UNRENDERED);
  });

  it('writes the postmortem into the incident folder, path on stderr only, and records it', async () => {
    const result = await ok('14:30:00', ['postmortem']);
    const path = join(env.INC_HOME ?? '', 'incidents', ID, 'postmortem.md');
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(path);
    const markdown = readFileSync(path, 'utf8');
    expect(markdown).not.toMatch(UNRENDERED);
    expect(await markdownErrors(markdown)).toEqual([]);
    for (const row of [
      '| Duration | 25m |',
      '| Mitigated | 2026-01-10 14:12 UTC |',
      '| Add a canary stage for api deploys | not set | prevent | carol | 2026-01-17 |',
    ]) {
      expect(markdown).toContain(row);
    }
    // Metrics are exact to the second; INC_NOW's clock runs on from the pinned time while inc starts.
    for (const metric of [
      /\| Time to declare \| impact started \| declared \| 5m(0\ds)? \|/,
      /\| Time to acknowledge \| declared \| acknowledged \| not recorded \|/,
      /\| Time to mitigate \| impact started \| mitigated \| 17m(0\ds)? \|/,
      /\| Time to resolve \| impact started \| resolved \| 25m(0\ds)? \|/,
      /\| Duration \(declared\) \| declared \| resolved \| 20m(0\ds)? \|/,
    ]) {
      expect(markdown).toMatch(metric);
    }
    const timeline = markdown
      .split('\n')
      .filter((line) => /^\| 2026-01-10 \d\d:\d\d:\d\d \|/.test(line))
      // To the minute: INC_NOW's clock runs on from the pinned time while each inc runs.
      .map((line) =>
        line
          .split(' | ')
          .slice(0, 2)
          .join(' | ')
          .replace(/^(\| \S+ \d\d:\d\d):\d\d/, '$1'),
      );
    expect(timeline).toEqual([
      '| 2026-01-10 14:00 | Declared SEV1: Checkout errors',
      '| 2026-01-10 14:02 | Note: Customers report failed payments',
      '| 2026-01-10 14:04 | Status update (text): investigating',
      '| 2026-01-10 14:06 | Action item: Add a canary stage for api deploys',
      '| 2026-01-10 14:08 | Status update (slack): identified',
      '| 2026-01-10 14:12 | Status: mitigated',
      '| 2026-01-10 14:13 | Status update (markdown): monitoring',
      '| 2026-01-10 14:15 | Status update (statuspage): monitoring',
      '| 2026-01-10 14:20 | Resolved',
      '| 2026-01-10 14:21 | Status update (text): resolved',
    ]);
    expect(markdown).toMatch(/## Root cause and trigger\n\n> _TODO \(author\): /);
    const log = await ok('14:30:10', ['log', '--json']);
    expect(log.stdout).toContain('"type":"postmortem"');
  });

  it('never replaces an existing postmortem without --force, and prints it with --file -', async () => {
    const again = await inc('14:31:00', ['postmortem']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; not replacing it/);
    const printed = await ok('14:31:00', ['postmortem', '--file', '-']);
    expect(printed.stdout.startsWith(`# Postmortem: Checkout errors (${ID})\n`)).toBe(true);
    const json = await ok('14:31:00', ['postmortem', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ incidentId: ID, severity: 'SEV1', duration: '25m' });
  });

  it('writes the handoff from the incidents on this machine', async () => {
    const result = await ok('15:00:00', ['handoff']);
    expect(result.stdout.startsWith('# On-call handoff, 2026-01-10 15:00 UTC\n')).toBe(true);
    expect(result.stdout).toContain('No open incidents. 1 resolved in the last 7 days.');
    expect(result.stdout).toContain(
      `| ${ID} | Checkout errors | SEV1 | Resolved | 2026-01-10 14:00 UTC | 2026-01-10 14:20 UTC | written |`,
    );
    expect(result.stdout).toContain('action item "Add a canary stage for api deploys" (owner carol, due 2026-01-17)');
    expect(await markdownErrors(result.stdout)).toEqual([]);
  });

  it('uses a user template, and names the file and line of a broken one', async () => {
    const dir = join(env.XDG_CONFIG_HOME ?? '', 'inc', 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'update-text.liquid'), '{{ update.severity }} is {{ update.status }}\n');
    const custom = await ok('15:01:00', ['update', '--dry-run']);
    expect(custom.stdout).toBe('SEV1 is resolved\n');
    writeFileSync(join(dir, 'update-text.liquid'), 'line one\n{{ update.sevrity }}\n');
    const broken = await inc('15:02:00', ['update', '--dry-run']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${join(dir, 'update-text.liquid')}:2:`);
    expect(broken.stderr).toMatch(/sevrity/);
    rmSync(dir, { recursive: true });
  });
});

describe('inc behind a corporate proxy', () => {
  it('posts through the proxy of the environment, as curl does, behind a corporate proxy', async () => {
    const { url, received, close } = await startWebhookServer();
    const webhook = new URL(url);
    // hooks.invalid is a name only the proxy can reach.
    const proxy = await startForwardProxy(Number(webhook.port));
    try {
      const result = await inc(
        '14:08:30',
        ['update', '--post', '--format', 'slack', '--message', 'Through the proxy'],
        {
          INC_SLACK_WEBHOOK: `http://hooks.invalid:${webhook.port}${webhook.pathname}`,
          HTTP_PROXY: proxy.url,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('posted to Slack');
      // Plain http forwarded whole, as curl does: a proxy commonly allows CONNECT to port 443 only.
      expect(proxy.forwarded).toEqual([`POST http://hooks.invalid:${webhook.port}${webhook.pathname}`]);
      expect(proxy.tunnels).toEqual([]);
      expect(received.at(-1)).toContain('Through the proxy');
    } finally {
      proxy.close();
      await close();
    }
  });

  it("posts through a SOCKS5 proxy (an SSH tunnel, as kubectl's docs set it up)", async () => {
    const { url, received, close } = await startWebhookServer();
    const webhook = new URL(url);
    const socks = await startSocksProxy(Number(webhook.port));
    try {
      const result = await inc(
        '14:09:00',
        ['update', '--post', '--format', 'slack', '--message', 'Through the tunnel'],
        {
          INC_SLACK_WEBHOOK: `http://hooks.invalid:${webhook.port}${webhook.pathname}`,
          HTTP_PROXY: socks.url,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('posted to Slack');
      expect(socks.connects).toEqual([`hooks.invalid:${webhook.port}`]);
      expect(received.at(-1)).toContain('Through the tunnel');
    } finally {
      socks.close();
      await close();
    }
  });
});

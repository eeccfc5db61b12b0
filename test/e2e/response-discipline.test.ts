import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { startWebhookServer } from '../helpers/webhook-server.js';
import { runIncAt, useBuiltCliSnapshot } from './incident-cli-snapshot.js';

const cli = useBuiltCliSnapshot();
let home: string;
let configHome: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inc-e2e-discipline-'));
  configHome = mkdtempSync(join(tmpdir(), 'inc-e2e-discipline-config-'));
  mkdirSync(join(configHome, 'inc'));
  writeFileSync(
    join(configHome, 'inc', 'config.yaml'),
    `contacts:
  on-call: "alice, +1 555 0100"
  engineering-manager: "erin, +1 555 0101"
  vp: "victor, +1 555 0102"
`,
  );
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(configHome, { recursive: true, force: true });
});

/** The built inc at a fixed instant of 2026-05-01 (a Friday), UTC. */
function inc(args: string[], time: string, env: Record<string, string> = {}): Promise<RunIncResult> {
  return runIncAt(cli.bin(), args, {
    env: {
      INC_HOME: home,
      INC_NOW: `2026-05-01T${time}Z`,
      TZ: 'UTC',
      INC_ACTOR: 'alice',
      XDG_CONFIG_HOME: configHome,
      ...env,
    },
  });
}

const ID = 'INC-20260501-1400-site-down';

/** A whole number of minutes give or take 9 s: each process stamps its events a moment after INC_NOW. */
function about(minutes: number): string {
  const below = minutes === 1 ? '5\\ds' : `${minutes - 1}m5\\ds`;
  return `(?:${below}|${minutes}m(?:0\\ds)?)`;
}
const events = () =>
  readFileSync(join(home, 'incidents', ID, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('targets and escalation of a P1', () => {
  it('start names whom to engage and the deadlines; status counts them down and flags a missed acknowledgement', async () => {
    const start = await inc(['start', 'site down', '-s', 'P1'], '14:00:00');
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`Declared ${ID} (SEV1): site down`);
    expect(start.stdout).toMatch(
      /Engage now \(SEV1\):\n +on-call +alice, \+1 555 0100\n +engineering-manager +erin, \+1 555 0101\n +vp +victor/,
    );
    expect(start.stdout).toMatch(/acknowledge the page +due 14:05 \(in 5m\)/);
    expect(start.stdout).toMatch(/first status update +due 14:05/);
    expect(start.stdout).toMatch(/resolve \(MTTR goal\) +due 15:00/);
    expect(start.stdout).toContain('first status update (due by 14:05, then every 15 min)');

    const early = await inc(['status'], '14:03:00');
    expect(early.stdout).toMatch(new RegExp(`acknowledge the page +due 14:05 \\(in ${about(2)}\\)`));
    expect(early.stdout).toMatch(new RegExp(`Next update: +due 14:05 \\(in ${about(2)}\\)`));

    const late = await inc(['status'], '14:07:00');
    expect(late.stdout).toMatch(new RegExp(`acknowledge the page +MISSED: due 14:05, ${about(2)} ago; inc ack`));
    expect(late.stdout).toMatch(new RegExp(`Next update: +OVERDUE by ${about(2)}`));
    const json = JSON.parse((await inc(['status', '-o', 'json'], '14:07:00')).stdout);
    expect(json.targets[0]).toMatchObject({ target: 'acknowledge', outcome: 'missed' });
    expect(json.targets[0].dueAt.slice(0, 16)).toBe('2026-05-01T14:05');

    const ack = await inc(['ack'], '14:08:00');
    expect(ack.code).toBe(0);
    const after = await inc(['status'], '14:09:00');
    expect(after.stdout).toMatch(new RegExp(`acknowledge the page +MISSED: done at 14:08, ${about(3)} after 14:05`));
  });

  it('start -o json carries the engage list and the targets', async () => {
    const start = await inc(['start', 'site down', '-s', 'P2', '-o', 'json'], '14:00:00');
    const json = JSON.parse(start.stdout);
    expect(json.engage).toEqual([
      { key: 'on-call', contact: 'alice, +1 555 0100' },
      { key: 'engineering-manager', contact: 'erin, +1 555 0101' },
    ]);
    expect(json.targets.map((t: { target: string; dueAt: string }) => [t.target, t.dueAt.slice(11, 16)])).toEqual([
      ['acknowledge', '14:05'],
      ['respond', '14:15'],
      ['first-update', '14:05'],
    ]);
    expect(json.nextUpdateDueAt.slice(0, 16)).toBe('2026-05-01T14:05');
  });

  it('escalate raises the severity, records whom it engaged and pages through the webhook', async () => {
    await inc(['start', 'site down', '-s', 'P2'], '14:00:00');
    const hook = await startWebhookServer();
    try {
      const escalated = await inc(['escalate', 'P1', '--to', 'bob', '-r', 'all regions down'], '14:03:00', {
        INC_PAGE_WEBHOOK: hook.url,
      });
      expect(escalated.stderr).toContain('paged through INC_PAGE_WEBHOOK');
      expect(escalated.code).toBe(0);
      expect(escalated.stdout).toContain(
        'escalated (SEV1) to on-call, engineering-manager, vp, bob, paged: all regions down',
      );
      expect(escalated.stdout).toMatch(
        /Engage:\n +on-call +alice, \+1 555 0100\n +engineering-manager +erin.*\n +vp +victor.*\n +bob +\(no contact: set contacts\.bob in the config\)\n/,
      );
      expect(hook.received).toHaveLength(1);
      const page = JSON.parse(hook.received[0] ?? '{}');
      expect(page).toMatchObject({
        incident: ID,
        severity: 'SEV1',
        to: ['on-call', 'engineering-manager', 'vp', 'bob'],
        reason: 'all regions down',
      });
    } finally {
      await hook.close();
    }
    expect(events().at(-1).data).toMatchObject({ paged: true, page: { to: 'page-webhook', ok: true } });
    const types = events().map((e) => [e.type, e.data.to]);
    expect(types.slice(1)).toEqual([
      ['severity', 'SEV1'],
      ['escalation', ['on-call', 'engineering-manager', 'vp', 'bob']],
    ]);
    const status = await inc(['status'], '14:04:00');
    expect(status.stdout).toMatch(/Severity: +SEV1/);
    expect(status.stdout).toMatch(/Escalated: +on-call, engineering-manager, vp, bob \(paged\)/);
  });

  it('escalate records without paging when no webhook is set, and a failing webhook still records but fails', async () => {
    await inc(['start', 'site down', '-s', 'P3'], '14:00:00');
    const plain = await inc(['escalate'], '14:01:00');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('escalated (SEV3) to on-call');
    expect(plain.stderr).toContain('not paged: INC_PAGE_WEBHOOK is not set');
    const refused = await inc(['escalate', '--to', 'dba'], '14:02:00', { INC_PAGE_WEBHOOK: 'http://127.0.0.1:9/hook' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/posting to the page webhook failed/);
    expect(events().at(-1)).toMatchObject({ type: 'escalation', data: { to: ['dba'] } });
    expect(events().at(-1).data.paged).toBeUndefined();
    // The log says a page was tried and why it failed, apart from an escalation that sent none.
    expect(events().at(-1).data.page).toEqual({ to: 'page-webhook', ok: false, error: 'unreachable: bad port' });
    expect(events().at(-2).data.page).toBeUndefined();
    const dry = await inc(['escalate', '--dry-run'], '14:03:00');
    expect(dry.stdout).toContain('would engage:\n  on-call  alice, +1 555 0100');
    expect(events()).toHaveLength(3);
    // Engaged is not paged: the status says which were.
    const status = (await inc(['status'], '14:04:00')).stdout;
    expect(status).toMatch(/Escalated: +on-call \(not paged\); dba \(page failed, unreachable: bad port\)/);
    expect((await inc(['log'], '14:04:00')).stdout).toContain(
      'escalated to dba, page not delivered to the page webhook (unreachable: bad port)',
    );
  });

  it('escalate without contacts in the config names the key to set, in the words of start', async () => {
    rmSync(join(configHome, 'inc', 'config.yaml'));
    const start = await inc(['start', 'site down', '-s', 'P2'], '14:00:00');
    const hint = (key: string) => `(no contact: set contacts.${key} in the config)`;
    const startLines = /Engage now \(SEV2\):\n((?: .*\n)+)/.exec(start.stdout)?.[1];
    expect(startLines).toBe(
      `  on-call              ${hint('on-call')}\n  engineering-manager  ${hint('engineering-manager')}\n`,
    );
    const escalated = await inc(['escalate'], '14:01:00');
    expect(escalated.code, escalated.stderr).toBe(0);
    expect(escalated.stdout).toContain(`Engage:\n${startLines}`);
    const dry = await inc(['escalate', '--dry-run', '--to', 'dba'], '14:02:00');
    expect(dry.stdout).toBe(`would engage:\n  dba  ${hint('dba')}\n`);
  });

  it('status says when the time-box is over without a mitigation, and stops once mitigated', async () => {
    await inc(['start', 'site down', '-s', 'P2'], '14:00:00');
    const within = await inc(['status'], '14:20:00');
    expect(within.stdout).not.toContain('Time-box');
    const over = await inc(['status'], '14:31:00');
    expect(over.stdout).toMatch(
      new RegExp(
        `Time-box: investigating for ${about(31)} without a mitigation \\(time-box 30 min\\): roll back if unsure\\.`,
      ),
    );
    await inc(['mitigated'], '14:32:00');
    expect((await inc(['status'], '14:33:00')).stdout).not.toContain('Time-box');
  });
});

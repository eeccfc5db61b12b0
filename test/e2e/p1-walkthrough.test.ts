import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { runIncAt, useBuiltCliSnapshot } from './incident-cli-snapshot.js';

const cli = useBuiltCliSnapshot();
let home: string;
let configHome: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'inc-e2e-p1-'));
  configHome = mkdtempSync(join(tmpdir(), 'inc-e2e-p1-config-'));
  mkdirSync(join(configHome, 'inc'));
  writeFileSync(
    join(configHome, 'inc', 'config.yaml'),
    'contacts:\n  on-call: "alice, +1 555 0100"\n  engineering-manager: "erin"\n  vp: "victor"\n',
  );
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(configHome, { recursive: true, force: true });
});

/** The built inc at a fixed instant of 2026-05-01 (a Friday), UTC, acting as `actor`. */
function inc(args: string[], time: string, actor = 'alice'): Promise<RunIncResult> {
  return runIncAt(cli.bin(), args, {
    env: { INC_HOME: home, INC_NOW: `2026-05-01T${time}Z`, TZ: 'UTC', INC_ACTOR: actor, XDG_CONFIG_HOME: configHome },
  });
}

async function ok(args: string[], time: string, actor?: string): Promise<string> {
  const result = await inc(args, time, actor);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const ID = 'INC-20260501-1400-checkout-down';

describe('a P1 from declaration to handoff', () => {
  it('engages, flags the missed acknowledgement, updates, resolves, writes the postmortem and hands over', async () => {
    const start = await ok(['start', 'checkout down', '-s', 'P1', '--commander', 'alice'], '14:00:00');
    expect(start).toMatch(
      /Engage now \(SEV1\):\n +on-call +alice, \+1 555 0100\n +engineering-manager +erin\n +vp +victor/,
    );
    expect(start).toMatch(/acknowledge the page +due 14:05/);

    // The first update is due 5 minutes after the declaration, not one cadence later.
    expect(await ok(['status'], '14:02:00')).toMatch(/Next update: +due 14:05/);
    // Past the acknowledge target without inc ack: flagged.
    expect(await ok(['status'], '14:07:00')).toMatch(/acknowledge the page +MISSED: due 14:05/);

    expect(await ok(['role', 'tech-lead', 'bob'], '14:08:00')).toContain('role tech-lead: bob');
    expect((await inc(['role', 'lead', 'bob'], '14:08:10')).code).toBe(2);
    expect(await ok(['status'], '14:08:30')).toMatch(/Roles: +tech-lead bob/);

    const mitigated = await ok(['update', '--status', 'mitigated', '--message', 'Rolled back'], '14:10:00', 'carol');
    expect(mitigated).toMatch(/^Status: Mitigated /m);
    await ok(
      ['note', 'TODO: canary stage for checkout', '--owner', 'bob', '--priority', 'P1', '--due', '2026-05-15'],
      '14:12:00',
      'bob',
    );
    await ok(['note', 'TODO: runbook for checkout', '--priority', 'P3'], '14:13:00');
    await ok(['resolve', '--summary', 'rolled back checkout'], '14:20:00');
    const resolution = await ok(['update'], '14:21:00');
    expect(resolution).toContain('A postmortem will follow within 5 business days.');

    const postmortem = await ok(['postmortem', '-o', '-', '--incident', ID], '15:00:00');
    expect(postmortem).toContain('| Time (UTC) | Event | Who | Details |');
    expect(postmortem).toMatch(/\| Status update \(text\): mitigated \| carol \|/);
    expect(postmortem).toContain('| canary stage for checkout | P1 | unclassified | bob | 2026-05-15 |');
    expect(postmortem.indexOf('| canary stage')).toBeLessThan(postmortem.indexOf('| runbook for checkout | P3'));
    // Resolved Friday 2026-05-01: five business days later is Friday 2026-05-08.
    expect(postmortem).toContain('| Postmortem due | 2026-05-08 (within 5 business days of the resolution) |');

    await ok(['handoff', 'add', 'payments-db failover drill Monday'], '16:00:00');
    const handoff = await ok(['handoff'], '16:00:00');
    expect(handoff).toContain(
      `${ID}: SEV1 resolved without a postmortem (due 2026-05-08; inc postmortem --incident ${ID})`,
    );
    expect(handoff).toContain('1. payments-db failover drill Monday (alice, 2026-05-01 16:00 UTC)');
    expect(handoff).toContain('| on-call | alice, +1 555 0100 |');

    // Once the postmortem is written, it is no longer flagged.
    await ok(['postmortem', '--incident', ID], '16:05:00');
    expect(await ok(['handoff'], '16:10:00')).not.toContain('without a postmortem');
    expect(await ok(['handoff', 'clear', '1'], '16:11:00')).toContain('cleared: payments-db failover drill Monday');
    const stats = await ok(['stats'], '16:12:00');
    expect(stats).toMatch(/^SEV1 .*0 of 1 \(0%\).*1 of 1 \(100%\)$/m);
  });
});

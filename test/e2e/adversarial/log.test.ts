import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../../helpers/run-inc.js';
import { runIncAt, useBuiltCliSnapshot } from '../incident-cli-snapshot.js';

const { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = fs;
const snapshot = useBuiltCliSnapshot();
let home: string;
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'inc-adversarial-log-'));
  home = join(scratch, 'home');
});
afterEach(() => {
  for (const mount of mounts.splice(0)) spawnSync('umount', ['-l', mount]);
  rmSync(scratch, { recursive: true, force: true });
});

function inc(args: string[], now = '2026-05-01T14:05:00Z', env: Record<string, string> = {}): Promise<RunIncResult> {
  return runIncAt(snapshot.bin(), args, {
    env: { INC_HOME: home, INC_NOW: now, TZ: 'UTC', INC_ACTOR: 'alice', XDG_CONFIG_HOME: join(scratch, 'cfg'), ...env },
  });
}

const ID = 'INC-20260501-1405-checkout-errors';
const logFile = () => join(home, 'incidents', ID, 'events.jsonl');

async function start(extra: string[] = []): Promise<void> {
  const result = await inc(['start', 'checkout errors', '--severity', 'SEV2', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

/** A failure is a message and its hint, never the stack of a bug. */
function expectCleanFailure(result: RunIncResult, code: number, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/bug in inc|\n\s+at /);
  expect(result.code).toBe(code);
}

const mounts: string[] = [];

/** Mounts a small tmpfs (root only, where the kernel allows it); undefined when it cannot. */
function mountTmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(scratch, 'fs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  if (mounted.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

const CAN_MOUNT = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-mount-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return ok;
})();
const NO_MOUNT_REASON = 'mounting a tmpfs needs root and a kernel that allows it here';

describe('the event log: only the last line can be torn', () => {
  it('refuses to write after a damaged middle line that starts like an event, naming file:line, changing nothing', async () => {
    await start();
    const damaged = `${readFileSync(logFile(), 'utf8')}{"v":1,"id":"01KAB9X","at":"2026-05-01T14:06:00.000Z",BROKEN"type":"note"}\n`;
    const valid = JSON.stringify({
      v: 1,
      id: '01KAB9Y',
      at: '2026-05-01T14:07:00.000Z',
      type: 'note',
      actor: 'bob',
      data: { text: 'later', kind: 'note' },
    });
    writeFileSync(logFile(), `${damaged}${valid}\n`);
    const before = readFileSync(logFile());
    const note = await inc(['note', 'more'], '2026-05-01T14:08:00Z');
    expectCleanFailure(note, 2, /events\.jsonl:2: corrupted incident log/);
    expect(readFileSync(logFile()).equals(before)).toBe(true);
    const log = await inc(['log', '--json']);
    expect(log.code).toBe(0);
    expect(log.stderr).toMatch(/line 2: not JSON/);
    expect(log.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('after a crash that left NUL bytes for the last event, writes, reads and reports keep every event', async () => {
    await start();
    await inc(['note', 'db primary failed over'], '2026-05-01T14:06:00Z');
    writeFileSync(logFile(), '\0'.repeat(150), { flag: 'a' });
    const note = await inc(['note', 'replica caught up'], '2026-05-01T14:08:00Z');
    expect(note.stderr).toMatch(/line 3: zero-filled event \(a write lost in a crash\), skipped/);
    expect(note.code).toBe(0);
    const log = await inc(['log', '--json'], '2026-05-01T14:09:00Z');
    expect(log.code).toBe(0);
    expect(log.stderr).toMatch(/line 3: zero-filled/);
    expect(
      log.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type),
    ).toEqual(['declared', 'note', 'note']);
    for (const args of [['postmortem'], ['handoff']]) {
      const report = await inc(args, '2026-05-01T14:10:00Z');
      expect(report.code, report.stderr).toBe(0);
      expect(report.stderr).toMatch(/line 3: zero-filled/);
      expect(report.stderr).not.toContain('\0');
    }
  });

  it('fails to merge a missing file or events that do not match the schema, merging nothing', async () => {
    await start();
    const before = readFileSync(logFile());
    expectCleanFailure(
      await inc(['log', '--merge', join(scratch, 'nope.jsonl')]),
      2,
      /no such file; nothing was merged/,
    );
    const copy = join(scratch, 'copy.jsonl');
    const bad = [
      {
        v: 1,
        id: '01KAB9M1',
        at: '2026-05-01T14:06:00.000Z',
        type: 'note',
        actor: 'bob',
        data: { text: 'ok', kind: 'note' },
      },
      {
        v: 1,
        id: '01KAB9M2',
        at: '2026-05-01T14:07:00.000Z',
        type: 'action',
        actor: 'bob',
        data: { phase: 'applied' },
      },
    ];
    writeFileSync(copy, `${bad.map((event) => JSON.stringify(event)).join('\n')}\n`);
    expectCleanFailure(
      await inc(['log', '--merge', copy]),
      2,
      /event 01KAB9M2 \(action\) is not a valid event: data\.actionId/,
    );
    const outsidePath = {
      ...bad[0],
      id: '01KAB9M3',
      data: { text: 'x', kind: 'note', evidence: '../../../etc/passwd' },
    };
    writeFileSync(copy, `${JSON.stringify(outsidePath)}\n`);
    expectCleanFailure(await inc(['log', '--merge', copy]), 2, /data\.evidence/);
    expect(readFileSync(logFile()).equals(before)).toBe(true);
  });
});

describe('times given by people', () => {
  it('rejects clock times that do not exist, with a clear error', async () => {
    expectCleanFailure(
      await inc(['start', 'x', '-s', 'SEV3', '--impact-started', 'yesterday 25:00']),
      2,
      /invalid --impact-started "yesterday 25:00": 25:00 is not a time of day/,
    );
    expect(existsSync(join(home, 'incidents'))).toBe(false);
    await start();
    expectCleanFailure(await inc(['resolve', '--at', 'yesterday 99:99']), 2, /99:99 is not a time of day/);
  });

  it('prints a time of another day with its date', async () => {
    const started = await inc(['start', 'checkout errors', '-s', 'SEV2', '--impact-started', 'yesterday 23:50']);
    expect(started.stdout).toContain('impact started 2026-04-30 23:50:00');
    const mitigated = await inc(['mitigated', '--at', 'yesterday 23:58'], '2026-05-01T14:06:00Z');
    expect(mitigated.stdout).toContain('mitigated (at 2026-04-30 23:58:00)');
    const same = await inc(['ack', '--at', '14:05:30'], '2026-05-01T14:07:00Z');
    expect(same.stdout).toContain('acknowledged (at 14:05:30)');
  });
});

describe('which incident a command works on', () => {
  it('says a prefix matching several incidents is ambiguous and lists them', async () => {
    await start();
    await inc(['start', 'search slow', '-s', 'SEV3'], '2026-05-01T14:09:00Z');
    const use = await inc(['use', 'INC-2026']);
    expectCleanFailure(use, 2, /"INC-2026" is ambiguous: it matches 2 incidents/);
    expect(use.stderr).toContain(ID);
    expect(use.stderr).toContain('INC-20260501-1409-search-slow');
  });

  it('a resolved incident is no longer current: later records are refused, saying how to start or pick one', async () => {
    await start();
    expect((await inc(['resolve'], '2026-05-01T14:30:00Z')).code).toBe(0);
    const note = await inc(['note', 'seen on another cluster'], '2026-05-02T09:00:00Z');
    expectCleanFailure(note, 2, new RegExp(`no incident is current \\(${ID} is resolved\\)`));
    expect(note.stderr).toMatch(/inc start "TITLE"/);
    expect(note.stderr).toContain(`--incident ${ID}`);
    expect(readFileSync(logFile(), 'utf8')).not.toContain('another cluster');
    // The wrap-up still finds it: status, the resolution update and the postmortem.
    expect((await inc(['status'], '2026-05-01T14:31:00Z')).stdout).toMatch(/State: +resolved/);
    expect((await inc(['postmortem', '--file', '-'], '2026-05-01T14:32:00Z')).stdout).toContain(ID);
    expect((await inc(['list'], '2026-05-01T14:33:00Z')).stdout).not.toMatch(/^\*/m);
    expect((await inc(['use', ID])).code).toBe(0);
    expect((await inc(['note', 'follow-up'], '2026-05-02T09:01:00Z')).code).toBe(0);
  });

  it('leaves practice incidents out of stats and the handoff', async () => {
    const kubeconfig = join(scratch, 'practice-kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\n');
    // What `inc demo --practice` leaves while its practice cluster runs.
    mkdirSync(join(home, 'practice'), { recursive: true });
    writeFileSync(
      join(home, 'practice', 'practice.json'),
      JSON.stringify({
        scenario: 'bad-deploy',
        pid: 1,
        kubeconfig,
        server: 'http://127.0.0.1:1',
        startedAt: '2026-05-01T14:00:00Z',
      }),
    );
    const practice = await inc(['start', 'game day', '-s', 'SEV1'], '2026-05-01T14:01:00Z', { KUBECONFIG: kubeconfig });
    expect(practice.code).toBe(0);
    expect((await inc(['start', 'checkout errors', '-s', 'SEV2'])).code).toBe(0);
    const stats = JSON.parse((await inc(['stats', '-o', 'json'], '2026-05-01T15:00:00Z')).stdout);
    expect(stats.total).toBe(1);
    expect(stats.bySeverity.map((s: { severity: string }) => s.severity)).toEqual(['SEV2']);
    const handoff = await inc(['handoff'], '2026-05-01T15:00:00Z');
    expect(handoff.stdout).toContain(ID);
    expect(handoff.stdout).not.toContain('game-day');
  });
});

describe('output into a pipe that closes early', () => {
  it('inc log --json | head -1 exits quietly', async () => {
    await start();
    const notes = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        v: 1,
        id: `01KAB9${String(i).padStart(20, '0')}`,
        at: '2026-05-01T14:06:00.000Z',
        type: 'note',
        actor: 'bob',
        data: { text: `note ${i} ${'x'.repeat(60)}`, kind: 'note' },
      }),
    );
    writeFileSync(logFile(), `${readFileSync(logFile(), 'utf8')}${notes.join('\n')}\n`);
    const piped = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${snapshot.bin()}" log --json | head -1`],
      { env: { ...process.env, INC_HOME: home, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 },
    );
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout).type).toBe('declared');
  });
});

describe('attachments', () => {
  it('refuses devices and folders before reading them', async () => {
    await start();
    expectCleanFailure(await inc(['note', 'zeros', '--attach', '/dev/zero']), 2, /\/dev\/zero is not a regular file/);
    expectCleanFailure(await inc(['note', 'etc', '--attach', '/etc']), 2, /\/etc is a folder/);
    expect(existsSync(join(home, 'incidents', ID, 'evidence'))).toBe(false);
  });

  it('keeps a binary attachment byte for byte', async () => {
    await start();
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0xc3]), randomBytes(4096)]);
    const file = join(scratch, 'screen.png');
    writeFileSync(file, bytes);
    expect((await inc(['note', 'screenshot', '--attach', file])).code).toBe(0);
    expect(readFileSync(join(home, 'incidents', ID, 'evidence', 'screen.png')).equals(bytes)).toBe(true);
  });
});

describe('symbolic links in place of inc files are refused', () => {
  it('events.jsonl, evidence/ and postmortem --force', async () => {
    await start();
    const outside = join(scratch, 'outside.txt');
    writeFileSync(outside, 'precious\n');
    const realLog = readFileSync(logFile());
    writeFileSync(join(scratch, 'real-events.jsonl'), realLog);
    rmSync(logFile());
    symlinkSync(join(scratch, 'real-events.jsonl'), logFile());
    expectCleanFailure(await inc(['note', 'x']), 2, /events\.jsonl is a symbolic link/);
    expect(readFileSync(join(scratch, 'real-events.jsonl')).equals(realLog)).toBe(true);
    rmSync(logFile());
    writeFileSync(logFile(), realLog);

    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(home, 'incidents', ID, 'evidence'));
    const attach = join(scratch, 'a.txt');
    writeFileSync(attach, 'log line\n');
    expectCleanFailure(await inc(['note', 'x', '--attach', attach]), 2, /evidence is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);

    const link = join(scratch, 'pm.md');
    symlinkSync(outside, link);
    expectCleanFailure(await inc(['postmortem', '--force', '--file', link]), 2, /pm\.md is a symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });
});

describe('a home that cannot be written', () => {
  it('INC_HOME under a regular file: a clear error, exit 1', async () => {
    writeFileSync(join(scratch, 'file'), 'x');
    const result = await inc(['start', 'x', '-s', 'SEV3'], undefined, { INC_HOME: join(scratch, 'file', 'inc') });
    expectCleanFailure(result, 1, /cannot (read|create) .*: a part of the path is not a folder \(ENOTDIR\)/);
  });

  it.skipIf(!CAN_MOUNT)(`a read-only INC_HOME: a clear error, exit 1 (skipped when ${NO_MOUNT_REASON})`, async () => {
    const readOnly = mountTmpfs('size=256k,ro') as string;
    const result = await inc(['start', 'x', '-s', 'SEV3'], undefined, { INC_HOME: readOnly });
    expectCleanFailure(result, 1, /the file system is read-only \(EROFS\)/);
  });

  it.skipIf(!CAN_MOUNT)(
    `a full disk leaves no truncated evidence or postmortem (skipped when ${NO_MOUNT_REASON})`,
    async () => {
      const small = mountTmpfs('size=512k') as string;
      home = join(small, 'inc');
      await start();
      // Fill the disk to the last block.
      spawnSync('dd', ['if=/dev/zero', `of=${join(small, 'filler')}`, 'bs=1k'], { stdio: 'ignore' });
      const attachment = join(scratch, 'big.log');
      writeFileSync(attachment, 'log line\n'.repeat(100_000));
      const note = await inc(['note', 'logs', '--attach', attachment]);
      expectCleanFailure(note, 1, /no space left on the device \(ENOSPC\)/);
      const evidence = join(home, 'incidents', ID, 'evidence');
      expect(existsSync(evidence) ? readdirSync(evidence) : []).toEqual([]);
      const postmortem = await inc(['postmortem'], '2026-05-01T14:40:00Z');
      expectCleanFailure(postmortem, 1, /no space left on the device \(ENOSPC\)/);
      expect(readdirSync(join(home, 'incidents', ID)).filter((name) => name.includes('postmortem'))).toEqual([]);
    },
  );
});

import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { runIncAt, useBuiltCliSnapshot } from './incident-cli-snapshot.js';

/**
 * Two responders, each with their own INC_HOME and config, share a bare git repository on this
 * machine as the remote, as a team shares one on a git host. Both run the built inc.
 */
const cli = useBuiltCliSnapshot();
let root: string;
let remote: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inc-e2e-sync-'));
  remote = join(root, 'shared.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
});
afterEach(async () => {
  // A background push may still be finishing: wait for both homes to be idle before removing them.
  await waitFor(
    () => !existsSync(join(root, 'alice', 'sync', 'lock')) && !existsSync(join(root, 'bob', 'sync', 'lock')),
  );
  rmSync(root, { recursive: true, force: true });
});

type Who = 'alice' | 'bob';

function inc(who: Who, args: string[]): Promise<RunIncResult> {
  return runIncAt(cli.bin(), args, {
    env: { INC_HOME: join(root, who), XDG_CONFIG_HOME: join(root, `${who}-config`), INC_ACTOR: who, TZ: 'UTC' },
  });
}

async function ok(who: Who, args: string[]): Promise<RunIncResult> {
  const result = await inc(who, args);
  expect(result.code, `${who}: inc ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** Polls a condition every 100 ms, up to a bound. */
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const localIds = (who: Who, id: string): string[] =>
  readFileSync(join(root, who, 'incidents', id, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).id);

/** Every event line in the remote's branch, per writer file. */
function remoteFiles(id: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let listing = '';
  try {
    listing = execFileSync('git', ['--git-dir', remote, 'ls-tree', '--name-only', `main:incidents/${id}/events`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return files;
  }
  for (const name of listing.split('\n').filter(Boolean)) {
    const text = execFileSync('git', ['--git-dir', remote, 'show', `main:incidents/${id}/events/${name}`], {
      encoding: 'utf8',
    });
    files.set(name, text.split('\n').filter(Boolean));
  }
  return files;
}

const remoteIds = (id: string) => [...remoteFiles(id).values()].flat().map((line) => JSON.parse(line).id as string);

async function declare(who: Who): Promise<string> {
  const started = await ok(who, ['start', 'Checkout errors', '--severity', 'SEV2']);
  const id = /INC-\d{8}-\d{4}-checkout-errors/.exec(started.stdout)?.[0];
  expect(id).toBeDefined();
  return id as string;
}

/** A remote that accepts the connection and never says a word, as a host behind a black hole does. */
async function withSilentRemote(run: (port: number) => Promise<void>): Promise<void> {
  const silent = createServer((socket) => socket.on('error', () => undefined));
  const sockets = new Set<Socket>();
  silent.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    await run((silent.address() as AddressInfo).port);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
}

/** inc at 03:02 UTC, so that two responders' incidents of one title get the same id. */
function incAt(who: Who, args: string[]): Promise<RunIncResult> {
  return runIncAt(cli.bin(), args, {
    env: {
      INC_HOME: join(root, who),
      XDG_CONFIG_HOME: join(root, `${who}-config`),
      INC_ACTOR: who,
      TZ: 'UTC',
      INC_NOW: '2026-11-29T03:02:10Z',
    },
  });
}

/** Alice declares "Checkout errors" at 03:02, notes, and shares it first; its id. */
async function aliceSharesFirst(): Promise<string> {
  await ok('alice', ['sync', '--remote', remote]);
  expect((await incAt('alice', ['start', 'Checkout errors', '--severity', 'SEV2'])).code).toBe(0);
  expect((await incAt('alice', ['note', 'alice was here'])).code).toBe(0);
  await ok('alice', ['sync']);
  return 'INC-20261129-0302-checkout-errors';
}

describe('inc sync: a shared timeline over git', () => {
  it('two responders record concurrently with auto-sync: the same events on both, none twice, both actors in the postmortem', async () => {
    await ok('alice', ['sync', '--remote', remote, '--auto', 'on']);
    const id = await declare('alice');
    // The declaration reaches the remote by the background push alone.
    await waitFor(() => remoteIds(id).length === 1);

    await ok('bob', ['sync', '--remote', remote, '--auto', 'on']);
    const listed = await ok('bob', ['list']);
    expect(listed.stdout).toContain(id);
    await ok('bob', ['use', id]);

    const notes = (who: Who) => async () => {
      for (let n = 1; n <= 4; n += 1) await ok(who, ['note', `${who} finding ${n}`]);
    };
    await Promise.all([notes('alice')(), notes('bob')()]);
    await waitFor(() => remoteIds(id).length === 9);

    await ok('alice', ['sync']);
    await ok('bob', ['sync']);
    const alice = localIds('alice', id);
    const bob = localIds('bob', id);
    expect(new Set(alice).size).toBe(9);
    expect(alice).toHaveLength(9);
    expect(bob).toHaveLength(9);
    expect(new Set(bob)).toEqual(new Set(alice));
    // One append-only file per writer; nothing pushed twice.
    const files = remoteFiles(id);
    expect(files.size).toBe(2);
    expect(remoteIds(id)).toHaveLength(9);

    const status = await ok('bob', ['status']);
    expect(status.stdout).toMatch(/sync: every event pushed, last synced/);
    const timeline = await ok('bob', ['log']);
    expect(timeline.stdout).toMatch(/alice\s+note: alice finding 4/);
    expect(timeline.stdout).toMatch(/bob\s+note: bob finding 4/);

    await ok('bob', ['postmortem']);
    const postmortem = readFileSync(join(root, 'bob', 'incidents', id, 'postmortem.md'), 'utf8');
    expect(postmortem).toMatch(/\| Note: alice finding \d \| alice \|/);
    expect(postmortem).toMatch(/\| Note: bob finding \d \| bob \|/);
    expect(postmortem).toMatch(/^- responder: bob$/m);
    // The postmortem travels: alice gets bob's copy at her next sync.
    await waitFor(() => existsSync(join(root, 'alice', 'sync', 'lock')) === false);
    await ok('bob', ['sync']);
    await ok('alice', ['sync']);
    expect(readFileSync(join(root, 'alice', 'incidents', id, 'postmortem.md'), 'utf8')).toBe(postmortem);
  }, 180_000);

  it('keeps every note while the remote is gone, says so once, and pushes them once it is back', async () => {
    await ok('alice', ['sync', '--remote', remote, '--auto', 'on']);
    const id = await declare('alice');
    await waitFor(() => remoteIds(id).length === 1);

    renameSync(remote, `${remote}.away`);
    const offline: RunIncResult[] = [await ok('alice', ['note', 'while offline 1'])];
    await waitFor(async () => {
      const status = await ok('alice', ['status']);
      offline.push(status);
      return /last attempt failed/.test(status.stdout);
    });
    offline.push(await ok('alice', ['note', 'while offline 2']));
    offline.push(await ok('alice', ['note', 'while offline 3']));
    // Said once, by the first command after the failed push; not by every command after it.
    expect(offline.filter((result) => result.stderr.includes('sync pending'))).toHaveLength(1);
    await waitFor(() => !existsSync(join(root, 'alice', 'sync', 'lock')));
    const status = await ok('alice', ['status']);
    expect(status.stdout).toMatch(/sync: 3 events not yet pushed/);
    expect(localIds('alice', id)).toHaveLength(4);

    renameSync(`${remote}.away`, remote);
    // Any next command pushes what is pending.
    await ok('alice', ['status']);
    await waitFor(() => remoteIds(id).length === 4);
    expect(new Set(remoteIds(id))).toEqual(new Set(localIds('alice', id)));
    await waitFor(async () => /sync: every event pushed/.test((await ok('alice', ['status'])).stdout));
    await ok('alice', ['sync']);
    expect(remoteIds(id)).toHaveLength(4);
    expect(localIds('alice', id)).toHaveLength(4);
  }, 120_000);

  it("carries evidence up to the size cap, and inc log --follow --sync shows a teammate's events as they arrive", async () => {
    for (const who of ['alice', 'bob'] as const) {
      const config = join(root, `${who}-config`, 'inc');
      execFileSync('mkdir', ['-p', config]);
      writeFileSync(join(config, 'config.yaml'), `sync:\n  remote: ${remote}\n  maxFileBytes: 2000\n`);
    }
    const id = await declare('alice');
    writeFileSync(join(root, 'small.txt'), 'api logs at the spike\n');
    writeFileSync(join(root, 'large.txt'), 'x'.repeat(5000));
    await ok('alice', ['note', 'small file', '--attach', join(root, 'small.txt')]);
    await ok('alice', ['note', 'large file', '--attach', join(root, 'large.txt')]);
    const pushed = await ok('alice', ['sync']);
    expect(pushed.stdout).toMatch(/pushed 3 events and 1 file/);
    expect(pushed.stderr).toMatch(/evidence\/large\.txt \(5000 bytes\) stays on this machine/);

    await ok('bob', ['sync']);
    await ok('bob', ['use', id]);
    expect(readdirSync(join(root, 'bob', 'incidents', id, 'evidence'))).toEqual(['small.txt']);
    expect(readFileSync(join(root, 'bob', 'incidents', id, 'evidence', 'small.txt'), 'utf8')).toBe(
      'api logs at the spike\n',
    );

    const following = inc('bob', ['log', '--follow', '--sync', '1s', '--timeout', '8s']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ok('alice', ['note', 'rollback started']);
    await ok('alice', ['sync']);
    const followed = await following;
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/alice\s+note: rollback started/);
  }, 120_000);

  it('never waits for a remote that does not answer: the background push gives up after its timeout', async () => {
    await withSilentRemote(async (port) => {
      const config = join(root, 'alice-config', 'inc');
      mkdirSync(config, { recursive: true });
      writeFileSync(
        join(config, 'config.yaml'),
        `sync:\n  remote: http://127.0.0.1:${port}/team.git\n  auto: true\n  backgroundTimeoutSeconds: 4\n`,
      );
      await declare('alice');
      const state = join(root, 'alice', 'sync', 'state.json');
      const failed = () => existsSync(state) && /timed out/.test(readFileSync(state, 'utf8'));
      // The command is back while its push still waits on the remote.
      expect(failed()).toBe(false);
      await waitFor(() => failed() && !existsSync(join(root, 'alice', 'sync', 'lock')), 30_000);
      const status = await ok('alice', ['status']);
      expect(status.stdout).toMatch(
        /sync: 1 event not yet pushed, never synced; last attempt failed: .*timed out: no answer within 4s/,
      );
    });
  }, 60_000);

  it('inc sync says when the remote has not answered yet, and Ctrl-C stops it with every event kept', async () => {
    await withSilentRemote(async (port) => {
      await declare('alice');
      const child = spawn(process.execPath, [cli.bin(), 'sync', '--remote', `http://127.0.0.1:${port}/team.git`], {
        env: {
          ...process.env,
          INC_HOME: join(root, 'alice'),
          XDG_CONFIG_HOME: join(root, 'alice-config'),
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await waitFor(() => /no answer yet/.test(stderr), 20_000);
        expect(stderr).toContain(
          `syncing with http://127.0.0.1:${port}/team.git: no answer yet; each git run gives up after 60s (Ctrl-C stops it, every event stays recorded here)`,
        );
        child.kill('SIGINT');
        expect(await exited).toBe(130);
      } finally {
        child.kill('SIGKILL');
      }
      expect(stderr).toMatch(/sync interrupted: every event stays recorded here/);
      expect(existsSync(join(root, 'alice', 'sync', 'lock'))).toBe(false);
      // Stopping it is not a failure of the remote: status counts the event, and blames nothing.
      const status = await ok('alice', ['status']);
      expect(status.stdout).toMatch(/sync: 1 event not yet pushed, never synced$/m);
    });
  }, 60_000);

  it('two incidents declared under one id (same minute, same title): the one shared first keeps it, the other is renamed and shared too', async () => {
    await ok('bob', ['sync', '--remote', remote, '--auto', 'on']);
    const id = await aliceSharesFirst();

    // Bob declares the same title in the same minute; his background push finds alice's incident there.
    expect((await incAt('bob', ['start', 'Checkout errors', '--severity', 'SEV1'])).code).toBe(0);
    const renamedId = `${id}-2`;
    // Once that push is done: a command that runs while a sync holds the lock leaves the telling to the next one.
    await waitFor(() => remoteFiles(renamedId).size === 1 && !existsSync(join(root, 'bob', 'sync', 'lock')));
    // The next command says so once, and bob's notes go on into his own incident, now under the new id.
    const told = await ok('bob', ['note', 'bob was here']);
    expect(told.stderr).toContain(
      `sync: ${id} is now ${renamedId} here and on the remote: alice declared another incident as ${id} first ("Checkout errors"); theirs: inc use ${id}`,
    );
    expect(told.stdout).toContain(renamedId);
    const again = await ok('bob', ['status']);
    expect(again.stderr).not.toContain('is now');
    expect(again.stdout).toContain(renamedId);
    expect(again.stdout).toContain('SEV1');

    await waitFor(() => !existsSync(join(root, 'bob', 'sync', 'lock')));
    await ok('bob', ['sync']);
    const bobList = await ok('bob', ['list']);
    // Who declared each tells the two apart.
    expect(bobList.stdout).toMatch(
      new RegExp(`^\\* +${renamedId} +SEV1 +open: declared +2026-11-29 03:02 +bob +Checkout errors$`, 'm'),
    );
    expect(bobList.stdout).toMatch(
      new RegExp(`^ +${id} +SEV2 +open: declared +2026-11-29 03:02 +alice +Checkout errors$`, 'm'),
    );
    // Each incident holds only its own responder's events: nothing was mixed.
    const actors = (who: Who, incident: string) =>
      readFileSync(join(root, who, 'incidents', incident, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).actor as string);
    expect(new Set(actors('bob', id))).toEqual(new Set(['alice']));
    expect(new Set(actors('bob', renamedId))).toEqual(new Set(['bob']));
    expect(actors('bob', renamedId)).toHaveLength(2); // declared, and the note

    const aliceSync = await ok('alice', ['sync']);
    expect(aliceSync.stdout).toContain(`new from a teammate: ${renamedId}`);
    expect(aliceSync.stderr).not.toMatch(/another incident with the same id|stays on this machine/);
    expect(localIds('alice', renamedId)).toEqual(localIds('bob', renamedId));
    expect(new Set(actors('alice', id))).toEqual(new Set(['alice']));
    const aliceStatus = await ok('alice', ['status']);
    expect(aliceStatus.stdout).toContain(id);
    expect(aliceStatus.stdout).not.toContain(renamedId);
  }, 120_000);

  it("inc log --follow --sync goes on following the incident when its sync renames it, never the teammate's", async () => {
    await ok('bob', ['sync', '--remote', remote]);
    const id = await aliceSharesFirst();
    expect((await incAt('bob', ['start', 'Checkout errors', '--severity', 'SEV1'])).code).toBe(0);

    const following = inc('bob', ['log', '--follow', '--sync', '1s', '--timeout', '10s']);
    await waitFor(() => existsSync(join(root, 'bob', 'incidents', `${id}-2`)));
    await ok('bob', ['note', 'bob after the rename']);
    const followed = await following;
    expect(followed.code).toBe(0);
    expect(followed.stderr).toContain(`${id} is now ${id}-2 (a teammate's incident took its id); following ${id}-2`);
    // The sync beside the follow says it too, once: no later command repeats it.
    expect(followed.stderr).toContain(`sync: ${id} is now ${id}-2 here and on the remote: alice declared`);
    expect((await ok('bob', ['sync'])).stdout).not.toContain('is now');
    expect(followed.stdout).toMatch(/bob\s+note: bob after the rename/);
    expect(followed.stdout).not.toContain('alice was here');
  }, 60_000);

  it('refuses bad input with a clear error and changes nothing', async () => {
    const none = await inc('alice', ['sync']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no sync remote is configured/);
    expect(none.stderr).toMatch(/inc sync --remote/);
    const autoAlone = await inc('alice', ['sync', '--auto', 'on']);
    expect(autoAlone.code).toBe(2);
    expect(autoAlone.stderr).toMatch(/no sync remote is configured/);
    const option = await inc('alice', ['sync', '--remote=--upload-pack=touch']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/is not a git remote/);
    expect(existsSync(join(root, 'alice-config', 'inc', 'config.yaml'))).toBe(false);
    const follow = await inc('alice', ['log', '--sync', '10s']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/--sync works with --follow/);
    // Refused before the timeline is printed, and at once: the --timeout timer does not keep it running.
    await declare('alice');
    const noRemote = await inc('alice', ['log', '--follow', '--sync', '10s', '--timeout', '1h']);
    expect(noRemote.code).toBe(2);
    expect(noRemote.stderr).toMatch(/no sync remote is configured/);
    expect(noRemote.stdout).toBe('');
    // A path with spaces is a remote git can clone, and is taken.
    const spaced = join(root, 'shared repos', 'team incidents.git');
    execFileSync('git', ['init', '--quiet', '--bare', spaced]);
    expect((await ok('alice', ['sync', '--remote', spaced])).stderr).toContain(`sync.remote set to ${spaced}`);
  }, 20_000);
});

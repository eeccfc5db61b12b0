import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { declareIncident } from '../../../src/incident/declare.js';
import { openRecorder } from '../../../src/incident/recorder.js';
import { appendLine, parseLog, readLog } from '../../../src/incident/store.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inc-store-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const env = () => ({ INC_HOME: home, INC_ACTOR: 'tester' });

async function declare(clock = new FakeClock('2026-05-01T14:02:00Z')) {
  return declareIncident({ env: env(), clock, title: 'Checkout errors', severity: 'SEV2' });
}

describe('the append-only store', () => {
  it('creates the incident folder 0700 and the log 0600 whatever the umask', async () => {
    // 0o000 would leave group and other bits on; 0o222 would take the owner's write bit away.
    for (const mask of [0o000, 0o222]) {
      rmSync(join(home, 'incidents'), { recursive: true, force: true });
      const previous = process.umask(mask);
      try {
        const { dir } = await declare();
        expect(statSync(join(home, 'incidents')).mode & 0o777).toBe(0o700);
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        expect(statSync(join(dir, 'events.jsonl')).mode & 0o777).toBe(0o600);
        expect(statSync(join(home, 'current')).mode & 0o777).toBe(0o600);
      } finally {
        process.umask(previous);
      }
    }
  });

  it('leaves the mode of an INC_HOME that already existed, and makes the folders it creates 0700', async () => {
    chmodSync(home, 0o755);
    const nested = join(home, 'state', 'inc');
    const { id } = await declareIncident({
      env: { INC_HOME: nested },
      clock: new FakeClock('2026-05-01T14:02:00Z'),
      title: 'x',
      severity: 'SEV3',
    });
    expect(statSync(home).mode & 0o777).toBe(0o755);
    expect(statSync(join(home, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(statSync(join(nested, 'incidents', id)).mode & 0o777).toBe(0o700);
  });

  it('keeps current, evidence and their folder private', async () => {
    const previous = process.umask(0o000);
    try {
      const { id, dir } = await declare();
      expect(id).toBe('INC-20260501-1402-checkout-errors');
      expect(statSync(home).mode & 0o777).toBe(0o700);
      expect(statSync(join(home, 'incidents')).mode & 0o777).toBe(0o700);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'events.jsonl')).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, 'current')).mode & 0o777).toBe(0o600);
      const recorder = await openRecorder({ env: env(), clock: new FakeClock() });
      const path = await recorder.saveEvidence('triage.json', '{"a":1}');
      expect(path).toBe('evidence/triage.json');
      expect(statSync(join(dir, 'evidence')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'evidence', 'triage.json')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('gives a second incident with the same title and minute its own id', async () => {
    const first = await declare();
    const second = await declare();
    expect(second.id).toBe(`${first.id}-2`);
    expect(readFileSync(join(home, 'current'), 'utf8').trim()).toBe(second.id);
  });

  it('never overwrites evidence: a taken name gets a suffix', async () => {
    await declare();
    const recorder = await openRecorder({ env: env(), clock: new FakeClock() });
    expect(await recorder.saveEvidence('snap.json', '{}')).toBe('evidence/snap.json');
    expect(await recorder.saveEvidence('snap.json', '{}')).toBe('evidence/snap-2.json');
    expect(await recorder.saveEvidence('../../escape.txt', 'x')).toBe('evidence/escape.txt');
  });

  it('redacts events and evidence before writing', async () => {
    const { dir } = await declare();
    const recorder = await openRecorder({ env: env(), clock: new FakeClock() });
    await recorder.record('note', { text: 'curl -H "Authorization: Bearer abcdefghijklmnop"', kind: 'note' });
    await recorder.saveEvidence('secret.yaml', 'kind: Secret\ndata:\n  password: aHVudGVy\n');
    const log = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(log).not.toContain('abcdefghijklmnop');
    expect(log).toContain('Bearer [REDACTED]');
    expect(readFileSync(join(dir, 'evidence', 'secret.yaml'), 'utf8')).not.toContain('aHVudGVy');
  });

  it('skips and reports a torn last line, and never glues the next event to it', async () => {
    const { dir, id } = await declare();
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"v":1,"id":"01TORN","at":"2026-05-01T14:03`, { flag: 'w' });
    const torn = await readLog(file);
    expect(torn.events).toHaveLength(1);
    expect(torn.issues).toEqual([{ line: 2, kind: 'torn', message: expect.stringContaining('torn') }]);

    const recorder = await openRecorder({ env: env(), clock: new FakeClock('2026-05-01T14:04:00Z') });
    expect(recorder.incidentId).toBe(id);
    await recorder.record('note', { text: 'after the crash', kind: 'note' });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[1]).toBe('{"v":1,"id":"01TORN","at":"2026-05-01T14:03');
    expect(JSON.parse(lines[2] as string).data.text).toBe('after the crash');
    const after = await readLog(file);
    expect(after.events.map((e) => e.type)).toEqual(['declared', 'note']);
    expect(after.issues.map((i) => i.line)).toEqual([2]);
  });

  it('skips a zero-filled tail left by a crash and still records after it, keeping every event', async () => {
    const { dir } = await declare();
    const file = join(dir, 'events.jsonl');
    // The file grew by the size of the write, but the data never reached the disk: NUL bytes, no newline.
    writeFileSync(file, `${readFileSync(file, 'utf8')}${'\0'.repeat(180)}`);
    const crashed = await readLog(file);
    expect(crashed.events.map((e) => e.type)).toEqual(['declared']);
    expect(crashed.issues).toEqual([{ line: 2, kind: 'torn', message: expect.stringContaining('zero-filled') }]);

    const recorder = await openRecorder({ env: env(), clock: new FakeClock('2026-05-01T14:04:00Z') });
    await recorder.record('note', { text: 'after the crash', kind: 'note' });
    await recorder.record('note', { text: 'and again', kind: 'note' });
    const after = await readLog(file);
    expect(after.events.map((e) => e.type)).toEqual(['declared', 'note', 'note']);
    expect(after.issues.map((i) => [i.line, i.kind])).toEqual([[2, 'torn']]);
  });

  it('treats a cut-off record followed by NUL bytes as torn, and names damage without raw control bytes', () => {
    const cut = parseLog(`{"v":1,"id":"01J","at":"2026${'\0'.repeat(20)}\n{"v":1,"id":"01K"}\n`);
    expect(cut.issues[0]).toMatchObject({ line: 1, kind: 'torn' });
    const corrupt = parseLog('\u0007\u001b[2Jgarbage\n');
    expect(corrupt.issues[0]?.kind).toBe('corrupt');
    expect([...(corrupt.issues[0]?.message ?? '')].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
  });

  it('refuses to write to a log with a corrupt line in the middle, naming the line', async () => {
    const { dir } = await declare();
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}garbage here\n`);
    const before = readFileSync(file);
    await expect(openRecorder({ env: env(), clock: new FakeClock() })).rejects.toThrow(/events\.jsonl:2: corrupted/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('records nothing when no incident is open', async () => {
    const recorder = await openRecorder({ env: env(), clock: new FakeClock() });
    expect(recorder.incidentId).toBeUndefined();
    expect(await recorder.record('note', { text: 'x', kind: 'note' })).toBeUndefined();
    expect(await recorder.saveEvidence('x.txt', 'x')).toBeUndefined();
  });

  it('rejects an unknown --incident, listing the known ones', async () => {
    const { id } = await declare();
    await expect(openRecorder({ env: env(), clock: new FakeClock(), incident: 'INC-nope' })).rejects.toThrow(id);
  });

  it('treats any cut-off start of a record as torn, however short', () => {
    for (const tail of ['{', '{"v', '{"v":1,"i', '{"v":1,"id":"01J","at":"2026']) {
      expect(parseLog(`${tail}`).issues.map((i) => i.kind)).toEqual(['torn']);
    }
    expect(parseLog('{"a":').issues.map((i) => i.kind)).toEqual(['corrupt']);
  });

  it('parses blank lines away and flags non-events as corrupt', () => {
    const parsed = parseLog('\n{"a":1}\n\n[1]\n');
    expect(parsed.events).toEqual([]);
    expect(parsed.issues.map((i) => [i.line, i.kind])).toEqual([
      [2, 'corrupt'],
      [4, 'corrupt'],
    ]);
  });

  it('prefixes a newline when the file does not end with one', async () => {
    const file = join(home, 'x.jsonl');
    writeFileSync(file, 'partial');
    await appendLine(file, 'next');
    expect(readFileSync(file, 'utf8')).toBe('partial\nnext\n');
    await appendLine(file, 'again');
    expect(readFileSync(file, 'utf8')).toBe('partial\nnext\nagain\n');
  });
});

describe('concurrent writers', () => {
  it('keeps all 240 events from 4 processes × 60 concurrent notes, with unique ids', async () => {
    const { dir } = await declare();
    // A small program using the store module, bundled so plain node processes can run it.
    const script = join(home, 'writer.mjs');
    const entry = join(home, 'writer-entry.ts');
    const recorderPath = fileURLToPath(new URL('../../../src/incident/recorder.ts', import.meta.url));
    const clockPath = fileURLToPath(new URL('../../../src/clock.ts', import.meta.url));
    writeFileSync(
      entry,
      `import { openRecorder } from ${JSON.stringify(recorderPath)};
import { systemClock } from ${JSON.stringify(clockPath)};
const [, , worker] = process.argv;
const recorder = await openRecorder({ env: process.env, clock: systemClock });
await Promise.all(Array.from({ length: 60 }, (_, i) => recorder.record('note', { text: \`w\${worker} n\${i}\`, kind: 'note' })));
`,
    );
    await build({
      entryPoints: [entry],
      outfile: script,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'error',
    });
    const codes = await Promise.all(
      [1, 2, 3, 4].map(
        (worker) =>
          new Promise<number | null>((resolve, reject) => {
            const child = spawn(process.execPath, [script, String(worker)], {
              env: { ...process.env, INC_HOME: home },
              stdio: ['ignore', 'ignore', 'inherit'],
            });
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.on('error', reject);
            child.on('close', (code) => {
              clearTimeout(timer);
              resolve(code);
            });
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const { events, issues } = await readLog(join(dir, 'events.jsonl'));
    expect(issues).toEqual([]);
    const notes = events.filter((e) => e.type === 'note');
    expect(notes).toHaveLength(240);
    expect(new Set(notes.map((e) => e.id)).size).toBe(240);
    const texts = new Set(notes.map((e) => (e.type === 'note' ? e.data.text : '')));
    for (const worker of [1, 2, 3, 4]) for (let i = 0; i < 60; i += 1) expect(texts.has(`w${worker} n${i}`)).toBe(true);
  });
});

import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { runIncAt, snapshotBuiltCli } from './incident-cli-snapshot.js';

let home: string;
let configHome: string;
let snapshot: { bin: string; remove(): void };
beforeAll(async () => {
  snapshot = await snapshotBuiltCli();
});
afterAll(() => snapshot?.remove());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inc-e2e-home-'));
  configHome = mkdtempSync(join(tmpdir(), 'inc-e2e-config-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(configHome, { recursive: true, force: true });
});

/** Runs the built inc at a fixed instant (INC_NOW, UTC) with this test's INC_HOME and no user config. */
function inc(args: string[], now = '2026-05-01T14:05:00Z', env: Record<string, string> = {}): Promise<RunIncResult> {
  return runIncAt(snapshot.bin, args, {
    env: { INC_HOME: home, INC_NOW: now, TZ: 'UTC', INC_ACTOR: 'alice', XDG_CONFIG_HOME: configHome, ...env },
  });
}

const ID = 'INC-20260501-1405-checkout-errors-in-eu-west';

/**
 * INC_NOW fixes when each process starts; its events are stamped a moment later. So a duration
 * shown as "7m" may read "6m59s" or "7m01s": this matches a whole number of minutes, give or take 9s.
 */
function about(minutes: number): string {
  const below = minutes === 1 ? '5\\ds' : `${minutes - 1}m5\\ds`;
  return `(?:${below}|${minutes}m(?:0\\ds)?)`;
}
const logFile = () => join(home, 'incidents', ID, 'events.jsonl');
const events = () =>
  readFileSync(logFile(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

async function start(extra: string[] = []) {
  const result = await inc([
    'start',
    'Checkout errors in eu-west',
    '--severity',
    'P2',
    '--service',
    'checkout',
    ...extra,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

describe('inc start', () => {
  it('declares an incident, makes it current and prints its id and next steps', async () => {
    const result = await start(['--impact-started', '13:58', '--commander', 'alice']);
    expect(result.stdout).toContain(`Declared ${ID} (SEV2): Checkout errors in eu-west`);
    expect(result.stdout).toMatch(/impact started 13:58:00, declared 14:05:0\d/);
    expect(result.stdout).toMatch(/inc triage\s+what is broken/);
    // SEV2: the first update is due 5 minutes after the declaration, then every 30 minutes.
    expect(result.stdout).toContain('due by 14:10, then every 30 min');
    expect(readFileSync(join(home, 'current'), 'utf8').trim()).toBe(ID);
    const [declared] = events();
    expect(declared).toMatchObject({
      v: 1,
      at: expect.stringMatching(/^2026-05-01T14:05:0\d\.\d{3}Z$/),
      type: 'declared',
      actor: 'alice',
      data: {
        title: 'Checkout errors in eu-west',
        severity: 'SEV2',
        commander: 'alice',
        services: ['checkout'],
        impactStartedAt: '2026-05-01T13:58:00.000Z',
      },
    });
    expect(declared.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(statSync(join(home, 'incidents', ID)).mode & 0o777).toBe(0o700);
    expect(statSync(logFile()).mode & 0o777).toBe(0o600);
  });

  it('uses SEV3 without a terminal and without --severity, and says so', async () => {
    const result = await inc(['start', 'Slow search']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('declaring as SEV3');
    expect(result.stdout).toContain('(SEV3): Slow search');
  });

  it('prints the declaration as JSON with -o json', async () => {
    const result = await inc(['start', 'x', '-s', 'SEV4', '-o', 'json']);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.id).toBe('INC-20260501-1405-x');
    expect(parsed.event.data.severity).toBe('SEV4');
  });

  it('refuses an unknown severity, listing the valid ones, and creates nothing', async () => {
    const result = await inc(['start', 'x', '--severity', 'SEV9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('inc: error: unknown severity "SEV9"');
    expect(result.stderr).toContain('valid severities: SEV1 (P1), SEV2 (P2), SEV3 (P3), SEV4 (P4)');
    expect(existsSync(join(home, 'incidents'))).toBe(false);
  });

  it('refuses an impact start in the future', async () => {
    const result = await inc(['start', 'x', '-s', 'P3', '--impact-started', '2026-05-01T15:00:00Z']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is in the future');
    expect(existsSync(join(home, 'incidents'))).toBe(false);
  });

  it('takes its severity names and cadences from the config file', async () => {
    mkdirSync(join(configHome, 'inc'));
    writeFileSync(
      join(configHome, 'inc', 'config.yaml'),
      'severities:\n  - { name: critical, aliases: [crit], updateCadenceMinutes: 10 }\n  - { name: minor }\n',
    );
    const result = await inc(['start', 'x', '-s', 'crit']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(critical)');
    expect(result.stdout).toContain('every 10 min');
    const bad = await inc(['sev', 'SEV1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('valid severities: critical (crit), minor');
  });
});

describe('recording into the current incident', () => {
  it('runs a whole incident: note, sev, role, ack, mitigated, status, log, resolve, list, stats', async () => {
    await start(['--impact-started', '13:58', '--commander', 'alice']);
    const note = await inc(['note', 'error rate 18% since 13:58'], '2026-05-01T14:06:00Z');
    expect(note.stdout.trim()).toBe(`${ID}: note: error rate 18% since 13:58`);
    const todo = await inc(
      ['note', 'TODO: alert on 5xx', '--owner', 'bob', '--type', 'prevent'],
      '2026-05-01T14:07:00Z',
    );
    expect(todo.stdout).toContain('action item: alert on 5xx (owner bob, prevent)');
    const decision = await inc(['note', '--decision', 'roll back api'], '2026-05-01T14:08:00Z');
    expect(decision.stdout).toContain('decision: roll back api');
    const sev = await inc(['sev', 'sev1', '--reason', 'all regions'], '2026-05-01T14:09:00Z');
    expect(sev.stdout).toContain('severity SEV2 → SEV1: all regions');
    const role = await inc(['role', 'ic', 'bob'], '2026-05-01T14:10:00Z');
    expect(role.stdout).toContain('role commander: alice → bob');
    const ack = await inc(['ack', '--at', '14:06'], '2026-05-01T14:10:30Z');
    expect(ack.stdout).toContain('acknowledged (at 14:06:00)');
    const again = await inc(['ack'], '2026-05-01T14:11:00Z');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing recorded: already acknowledged at 2026-05-01 14:06:00');
    const mitigated = await inc(['mitigated', '--at', '10 minutes ago'], '2026-05-01T14:40:00Z');
    expect(mitigated.stdout).toContain('mitigated (at 14:30:00)');

    const status = await inc(['status'], '2026-05-01T14:50:00Z');
    expect(status.code).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines[0]).toBe(`${ID}  Checkout errors in eu-west`);
    expect(status.stdout).toMatch(/Severity: +SEV1 \(complete outage/);
    expect(status.stdout).toMatch(/State: +mitigated/);
    expect(status.stdout).toMatch(/Commander: +bob/);
    expect(status.stdout).toMatch(new RegExp(`Elapsed: +${about(52)} since impact started 2026-05-01 13:58:00`));
    // SEV1: the first update 5 minutes after the declaration, and no update was sent.
    expect(status.stdout).toMatch(new RegExp(`Next update: OVERDUE by ${about(40)} \\(was due 14:10`));
    expect(status.stdout).toMatch(new RegExp(`time to declare +impact started → declared +${about(7)}\n`));
    expect(status.stdout).toMatch(new RegExp(`time to acknowledge +declared → acknowledged +${about(1)}\n`));
    expect(status.stdout).toMatch(new RegExp(`time to mitigate +impact started → mitigated +${about(32)}\n`));
    expect(status.stdout).toMatch(/time to resolve +impact started → resolved +—/);
    expect(status.stdout).toContain('- alert on 5xx (bob)');
    const lastEvents = lines.slice(lines.indexOf('Last events') + 1).filter(Boolean);
    expect(lastEvents).toHaveLength(5);
    expect(lastEvents.at(-1)).toMatch(/14:40:0\d +\+00:35 +alice +mitigated/);

    const json = JSON.parse((await inc(['status', '-o', 'json'], '2026-05-01T14:50:00Z')).stdout);
    // INC_NOW fixes each process's start; events are stamped a moment after it (see about()).
    const expected: [string, number | null][] = [
      ['timeToDeclare', 7 * 60_000],
      ['timeToAcknowledge', 60_000],
      ['timeToMitigate', 32 * 60_000],
      ['timeToResolve', null],
    ];
    expect(json.metrics.map((m: { key: string }) => m.key)).toEqual(expected.map(([key]) => key));
    json.metrics.forEach((m: { ms: number | null }, i: number) => {
      const want = expected[i]?.[1] ?? null;
      if (want === null) expect(m.ms).toBeNull();
      else expect(Math.abs((m.ms as number) - want)).toBeLessThan(10_000);
    });
    expect(json.updateOverdue).toBe(true);
    expect(json.lastEvents).toHaveLength(5);

    const log = await inc(['log'], '2026-05-01T14:50:00Z');
    const timeline = log.stdout.trim().split('\n');
    expect(timeline[0]).toMatch(/^2026-05-01 13:58:00 +-00:07 +impact started$/);
    expect(timeline[1]).toMatch(/^2026-05-01 14:05:0\d +\+00:00 +alice +declared SEV2 "Checkout errors in eu-west"/);
    expect(timeline[2]).toMatch(/^2026-05-01 14:06:0\d +\+00:01 +alice +note: error rate 18%/);
    expect(timeline).toHaveLength(9);

    const jsonLines = (await inc(['log', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonLines.map((e) => e.type)).toEqual([
      'declared',
      'note',
      'note',
      'note',
      'severity',
      'role',
      'status',
      'status',
    ]);
    const since = (await inc(['log', '--since', '5m'], '2026-05-01T14:13:30Z')).stdout.trim().split('\n');
    expect(since.map((l) => l.split(/ {2,}/)[3])).toEqual([
      'severity SEV2 → SEV1: all regions',
      'role commander: alice → bob',
      'acknowledged (at 14:06:00)',
      'mitigated (at 14:30:00)',
    ]);

    const resolve = await inc(['resolve', '--summary', 'rolled back api'], '2026-05-01T14:55:00Z');
    expect(resolve.code).toBe(0);
    expect(resolve.stdout).toContain('resolved: rolled back api');
    expect(resolve.stdout).toMatch(new RegExp(`time to resolve \\(impact started → resolved\\): ${about(57)}\n`));
    // 2026-05-01 is a Friday: five business days later is the next Friday.
    expect(resolve.stdout).toMatch(
      /\nNext: inc postmortem -o postmortem\.md \(required for SEV1: due 2026-05-08 14:55, within 5 business days of the resolution\)\n/,
    );
    const closed = await inc(['status'], '2026-05-01T15:00:00Z');
    expect(closed.stdout).toMatch(/State: +resolved/);
    expect(closed.stdout).toMatch(/Resolved: +2026-05-01 14:55:0\d: rolled back api/);
    expect(closed.stdout).not.toContain('Next update');

    // Resolving ends "current": the incident is listed, but later records no longer go into it.
    const list = await inc(['list'], '2026-05-01T15:00:00Z');
    expect(list.stdout.split('\n')[1]).toMatch(
      new RegExp(`^ +${ID} +SEV1 +resolved +2026-05-01 14:05 +alice +Checkout errors in eu-west$`),
    );

    const stats = JSON.parse((await inc(['stats', '-o', 'json'], '2026-05-01T15:00:00Z')).stdout);
    expect(stats.total).toBe(1);
    expect(stats.bySeverity[0].severity).toBe('SEV1');
    const ttr = stats.bySeverity[0].metrics.find((m: { key: string }) => m.key === 'timeToResolve').medianMs;
    expect(Math.abs(ttr - 57 * 60_000)).toBeLessThan(10_000);
    const statsText = await inc(['stats'], '2026-05-01T15:00:00Z');
    const pair = (m: number) => `${about(m)} / ${about(m)}`;
    expect(statsText.stdout).toMatch(new RegExp(`SEV1 +1 +${pair(7)} +${pair(1)} +${pair(32)} +${pair(57)}`));
  });

  it('resolve asks for a postmortem only where the severity table requires one', async () => {
    const optional = (severity: string, requiredFor: string) =>
      `A postmortem is optional for ${severity} (${requiredFor}); to write one anyway: inc postmortem -o postmortem.md\n`;
    await inc(['start', 'Search slow', '-s', 'P3'], '2026-05-01T14:00:00Z');
    const sev3 = await inc(['resolve'], '2026-05-01T14:10:00Z');
    expect(sev3.code, sev3.stderr).toBe(0);
    expect(sev3.stdout).toContain(optional('SEV3', 'required for SEV1, SEV2'));
    expect(sev3.stdout).not.toContain('Next:');

    await inc(['start', 'Disk alert on a draining node', '-s', 'P1'], '2026-05-01T14:20:00Z');
    const falsePositive = await inc(['resolve', '--false-positive'], '2026-05-01T14:25:00Z');
    expect(falsePositive.stdout).toContain('Next: inc postmortem -o postmortem.md (required for SEV1: due 2026-05-08');

    // The config's table decides: here only "minor" and it asks for one within a business day.
    mkdirSync(join(configHome, 'inc'));
    writeFileSync(
      join(configHome, 'inc', 'config.yaml'),
      'severities:\n  - { name: critical }\n  - { name: minor, postmortemWithinBusinessDays: 1 }\n',
    );
    await inc(['start', 'x', '-s', 'critical'], '2026-05-01T15:00:00Z');
    expect((await inc(['resolve'], '2026-05-01T15:10:00Z')).stdout).toContain(
      optional('critical', 'required for minor'),
    );
    await inc(['start', 'y', '-s', 'minor'], '2026-05-01T16:00:00Z');
    expect((await inc(['resolve'], '2026-05-01T16:10:00Z')).stdout).toMatch(
      /\nNext: inc postmortem -o postmortem\.md \(required for minor: due 2026-05-04 16:10, within 1 business day of the resolution\)\n/,
    );
  });

  it('stats: each figure says what it counts from, so the alert and the declaration do not seem to disagree', async () => {
    // Two SEV2 pages: the alert fired 8 minutes before the declaration, acknowledged a minute after it.
    for (const day of ['11', '12']) {
      const id = `INC-202603${day}-1400-api-errors`;
      const at = (time: string) => `2026-03-${day}T${time}:00.000Z`;
      const lines = [
        [
          'declared',
          at('14:00'),
          {
            title: 'api errors',
            severity: 'SEV2',
            services: ['api'],
            impactStartedAt: at('13:52'),
            fromAlert: { name: 'HighErrorRate', fingerprint: 'f1' },
          },
        ],
        [
          'alert',
          at('14:00'),
          { name: 'HighErrorRate', fingerprint: 'f1', labels: {}, annotations: {}, startsAt: at('13:52') },
        ],
        ['status', at('14:01'), { state: 'acknowledged' }],
        ['resolved', at('14:30'), {}],
      ].map(([type, eventAt, data], n) =>
        JSON.stringify({ v: 1, id: `01KAB0000000000000000${day}00${n}`, at: eventAt, type, actor: 'alice', data }),
      );
      mkdirSync(join(home, 'incidents', id), { recursive: true });
      writeFileSync(join(home, 'incidents', id, 'events.jsonl'), `${lines.join('\n')}\n`);
    }
    const text = (await inc(['stats'], '2026-03-20T10:00:00Z')).stdout;
    expect(text).toMatch(/^acknowledge +alerted \(else declared\) → acknowledged$/m);
    expect(text).toMatch(/^SEV2 +2 +0s \/ 0s +8m \/ 8m +9m \/ 9m /m);
    // The severity's targets count from the declaration: so does the median set beside them.
    expect(text).toContain(
      'Targets of the severity table, counted from the declaration (median / target; met of those decided)',
    );
    expect(text).toMatch(
      /^SEVERITY +DECLARED→ACK \/ TARGET +MET +RESPONDED +FIRST UPDATE +DECLARED→RESOLVED \/ TARGET +MET +POSTMORTEMS$/m,
    );
    expect(text).toMatch(
      /^SEV2 +1m \/ 5m +2 of 2 \(100%\) +0 of 2 \(0%\) +0 of 2 \(0%\) +30m \/ no target +— +0 of 2 \(0%\)$/m,
    );
    // The pages' target counts from the alert.
    expect(text).toContain('  alerted → acknowledged within 5m (alertmanager.ackTargetMinutes): 0 of 2; median 9m\n');
    expect(text).not.toMatch(/MTTA|9m \/ 5m/);

    const json = JSON.parse((await inc(['stats', '-o', 'json'], '2026-03-20T10:00:00Z')).stdout);
    // The fields of before stay as they were; the new ones say what each figure counts from.
    expect(json.bySeverity[0].targets).toMatchObject({
      countedFrom: 'declaredAt',
      acknowledgeTargetMinutes: 5,
      acknowledgeMedianMs: 60_000,
      resolveTargetMinutes: null,
      resolveMedianMs: 30 * 60_000,
      postmortems: { required: 2, written: 0, percent: 0 },
    });
    expect(json.bySeverity[0].targets.tallies[0]).toEqual({
      target: 'acknowledge',
      met: 2,
      missed: 0,
      pending: 0,
      metPercent: 100,
    });
    expect(json.bySeverity[0].metrics.find((m: { key: string }) => m.key === 'timeToAcknowledge')).toMatchObject({
      from: 'alertedAt|declaredAt',
      medianMs: 9 * 60_000,
    });
    expect(json.oncall.acknowledgedWithinTarget).toEqual({
      count: 0,
      of: 2,
      targetMinutes: 5,
      countedFrom: 'alertedAt|declaredAt',
      medianMs: 9 * 60_000,
    });
  });

  it('status shortens a pasted log in a note and says where it is whole; -o json keeps it whole', async () => {
    await start();
    const pasted = Array.from({ length: 200 }, (_, i) => `14:0${i % 10}:00 ERROR payment ${i} declined`).join('\n');
    // Recorded whole; what inc note prints back is its first line.
    const noted = await inc(['note', pasted]);
    expect(noted.code).toBe(0);
    expect(noted.stdout.trim()).toBe(
      `${ID}: note: 14:00:00 ERROR payment 0 declined… (+199 lines; inc log shows it whole)`,
    );
    const status = await inc(['status', '--incident', ID]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      `note: 14:00:00 ERROR payment 0 declined… (+199 lines; inc log --incident ${ID} shows it whole)`,
    );
    expect(status.stdout).not.toContain('payment 199 declined');
    expect(status.stdout.split('\n').length).toBeLessThan(40);
    const json = JSON.parse((await inc(['status', '-o', 'json'])).stdout);
    expect(JSON.stringify(json)).toContain(JSON.stringify(pasted));
    // inc log shows it whole, each of its lines under the first, where the event column starts.
    const log = (await inc(['log'])).stdout.split('\n');
    const first = log.findIndex((line) => line.endsWith('note: 14:00:00 ERROR payment 0 declined'));
    expect(first).toBeGreaterThan(-1);
    const column = (log[first] ?? '').indexOf('note: ');
    expect(log[first + 1]).toBe(`${' '.repeat(column)}14:01:00 ERROR payment 1 declined`);
    expect(log[first + 199]).toBe(`${' '.repeat(column)}14:09:00 ERROR payment 199 declined`);
  });

  it('redacts secrets in notes before writing', async () => {
    await start();
    await inc(['note', 'db url postgres://app:hunter2@db/x and token=abc123 and Bearer eyJhbGciOi.eyJzdWIiOiIx.sig']);
    const text = readFileSync(logFile(), 'utf8');
    expect(text).not.toMatch(/hunter2|abc123|eyJhbGciOi/);
    expect(text).toContain('token=[REDACTED]');
  });

  it('keeps a file or stdin with a note as redacted evidence, and prints a Markdown timeline', async () => {
    await start();
    const piped = await runIncAt(snapshot.bin, ['note', 'api logs at the spike', '--attach', '-'], {
      input: 'GET /pay 500\nAuthorization: Bearer abcdefghijklmnop\n',
      env: {
        INC_HOME: home,
        INC_NOW: '2026-05-01T14:06:00Z',
        TZ: 'UTC',
        INC_ACTOR: 'alice',
        XDG_CONFIG_HOME: configHome,
      },
    });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('note: api logs at the spike [evidence/stdin.txt]');
    const evidence = readFileSync(join(home, 'incidents', ID, 'evidence', 'stdin.txt'), 'utf8');
    expect(evidence).toBe('GET /pay 500\nAuthorization: Bearer [REDACTED]\n');
    expect(statSync(join(home, 'incidents', ID, 'evidence', 'stdin.txt')).mode & 0o777).toBe(0o600);
    const file = join(configHome, 'describe.txt');
    writeFileSync(file, 'Last State: OOMKilled\n');
    expect((await inc(['note', 'describe', '--attach', file])).stdout).toContain('[evidence/describe.txt]');
    expect((await inc(['note', 'x', '--attach', join(configHome, 'missing.txt')])).code).toBe(2);

    const markdown = await inc(['log', '-o', 'markdown']);
    const lines = markdown.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `## Timeline: Checkout errors in eu-west (${ID})`,
      '',
      '| Time | Offset | Who | Event |',
      '|---|---|---|---|',
    ]);
    expect(lines.at(-1)).toMatch(
      /^\| 2026-05-01 14:06:0\d \| \+00:01 \| alice \| note: api logs at the spike \[evidence\/stdin.txt\] \|$/,
    );
  });

  it('keeps every note from concurrent inc processes', async () => {
    await start();
    // The full 4 × 60 run uses the store directly (test/unit/incident/store.test.ts); this one goes through the CLI.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => inc(['note', `concurrent ${i}`])));
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const notes = events().filter((e) => e.type === 'note');
    expect(notes).toHaveLength(8);
    expect(new Set(notes.map((e) => e.id)).size).toBe(8);
  });

  it('records into another incident with --incident, and inc use switches the current one', async () => {
    await start();
    const other = await inc(['start', 'Search slow', '-s', 'P3'], '2026-05-01T14:20:00Z');
    expect(other.code).toBe(0);
    expect(other.stderr).toContain(`${ID} (Checkout errors in eu-west) is still open; switch back with: inc use ${ID}`);
    const otherId = 'INC-20260501-1420-search-slow';
    expect(readFileSync(join(home, 'current'), 'utf8').trim()).toBe(otherId);
    const note = await inc(['note', 'for the first', '--incident', ID], '2026-05-01T14:21:00Z');
    expect(note.stdout).toContain(`${ID}: note: for the first`);
    const list = await inc(['list'], '2026-05-01T14:22:00Z');
    const rows = list.stdout.trim().split('\n');
    expect(rows[1]).toMatch(new RegExp(`^\\* +${otherId} +SEV3 +open: declared`));
    expect(rows[2]).toMatch(new RegExp(`^ +${ID} +SEV2 +open: declared`));

    await inc(['resolve'], '2026-05-01T14:23:00Z');
    const open = await inc(['list', '--open'], '2026-05-01T14:24:00Z');
    expect(open.stdout.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^ +${ID} +SEV2 +open`)),
    ]);
    const use = await inc(['use', 'INC-20260501-1405']);
    expect(use.code).toBe(0);
    expect(use.stdout).toContain(`Now using ${ID}: Checkout errors in eu-west (SEV2, declared)`);
    expect(readFileSync(join(home, 'current'), 'utf8').trim()).toBe(ID);
    const listJson = JSON.parse((await inc(['list', '-o', 'json'])).stdout);
    expect(listJson.map((i: { id: string; current: boolean; open: boolean }) => [i.id, i.current, i.open])).toEqual([
      [otherId, false, false],
      [ID, true, true],
    ]);
  });

  it('follows the log until the timeout, printing events as they arrive', async () => {
    await start();
    const follower = inc(['log', '--follow', '--timeout', '4s']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await inc(['note', 'arrived while following'], '2026-05-01T14:07:00Z');
    const result = await follower;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toContain('declared SEV2');
    expect(lines.at(-1)).toMatch(/14:07:0\d +\+00:02 +alice +note: arrived while following/);
  });

  it('merges a teammate copy by union of ids', async () => {
    await start();
    const copy = join(home, 'copy.jsonl');
    writeFileSync(copy, readFileSync(logFile()));
    await inc(['note', 'only here'], '2026-05-01T14:06:00Z');
    // The teammate recorded one event of their own in their copy.
    const theirs = {
      v: 1,
      id: '01JTEAMMATE0000000000000000',
      at: '2026-05-01T14:07:00.000Z',
      type: 'note',
      actor: 'bob',
      data: { text: 'from bob', kind: 'note' },
    };
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}${JSON.stringify(theirs)}\n`);
    const merge = await inc(['log', '--merge', copy]);
    expect(merge.code).toBe(0);
    expect(merge.stdout.trim()).toBe(`${ID}: merged 1 new event from ${copy} (1 already present)`);
    expect(events().map((e) => e.data.text ?? e.type)).toEqual(['declared', 'only here', 'from bob']);
    const again = await inc(['log', '--merge', copy]);
    expect(again.stdout).toContain('merged 0 new events');
    expect(events()).toHaveLength(3);
  });
});

describe('bad input: a clear message, exit 2 and nothing written', () => {
  it('inc note without an incident says how to start one', async () => {
    const result = await inc(['note', 'hello']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('inc: error: no incident is open, so inc note has nowhere to be recorded');
    expect(result.stderr).toContain('inc start "TITLE"');
    expect(existsSync(join(home, 'incidents'))).toBe(false);
  });

  it('inc use with an unknown id lists the incidents', async () => {
    await start();
    const before = readFileSync(join(home, 'current'));
    const result = await inc(['use', 'INC-nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no incident "INC-nope" (known incidents: ${ID})`);
    expect(readFileSync(join(home, 'current')).equals(before)).toBe(true);
  });

  it('an unknown severity in inc sev lists the valid ones', async () => {
    await start();
    const before = readFileSync(logFile());
    const result = await inc(['sev', 'P9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('valid severities: SEV1 (P1)');
    expect(readFileSync(logFile()).equals(before)).toBe(true);
  });

  it('a corrupted log is refused for writing, naming the line; readers skip it with a warning', async () => {
    await start();
    writeFileSync(logFile(), `${readFileSync(logFile(), 'utf8')}this is not json\n`);
    await inc(['status']); // reading does not change the file either
    const before = readFileSync(logFile());
    const result = await inc(['note', 'hello']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${ID}/events.jsonl:2: corrupted incident log`);
    expect(result.stderr).toContain('nothing was written');
    expect(readFileSync(logFile()).equals(before)).toBe(true);
    const status = await inc(['status']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(`${ID}/events.jsonl line 2: not JSON`);
  });

  it('survives a torn last line and appends on a fresh line', async () => {
    await start();
    writeFileSync(logFile(), `${readFileSync(logFile(), 'utf8')}{"v":1,"id":"01J","at":"2026-05-01T14:0`);
    const note = await inc(['note', 'after the crash']);
    expect(note.code).toBe(0);
    expect(note.stderr).toContain('line 2: incomplete event (torn write), skipped');
    const lines = readFileSync(logFile(), 'utf8').split('\n');
    expect(lines[1]).toBe('{"v":1,"id":"01J","at":"2026-05-01T14:0');
    expect(JSON.parse(lines[2] as string).data.text).toBe('after the crash');
  });

  it('an unreadable log is a clear error', async () => {
    await start();
    rmSync(logFile());
    mkdirSync(logFile());
    chmodSync(logFile(), 0o700);
    const result = await inc(['note', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read incident log');
    expect(readdirSync(logFile())).toEqual([]);
    const list = await inc(['list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain(`${ID} skipped: cannot read incident log`);
  });

  it('times out of order are refused', async () => {
    await start(['--impact-started', '14:00']);
    const before = readFileSync(logFile());
    const resolve = await inc(['resolve', '--at', '13:00'], '2026-05-01T14:30:00Z');
    expect(resolve.code).toBe(2);
    expect(resolve.stderr).toContain(
      'resolved at 2026-05-01 13:00:00 would be before the impact started (2026-05-01 14:00:00)',
    );
    const ack = await inc(['ack', '--at', '14:02'], '2026-05-01T14:30:00Z');
    expect(ack.code).toBe(2);
    expect(ack.stderr).toContain('would be before the incident was declared');
    // 15:00 is still ahead at 14:30, so it means yesterday's 15:00: before the impact started.
    const mitigated = await inc(['mitigated', '--at', '15:00'], '2026-05-01T14:30:00Z');
    expect(mitigated.code).toBe(2);
    expect(mitigated.stderr).toContain('mitigated at 2026-04-30 15:00:00 would be before the impact started');
    const future = await inc(['resolve', '--at', 'in 5 minutes'], '2026-05-01T14:30:00Z');
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('is in the future');
    expect(readFileSync(logFile()).equals(before)).toBe(true);
  });
});

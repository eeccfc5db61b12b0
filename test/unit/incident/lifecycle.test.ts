import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_ROLES, DEFAULT_SEVERITIES } from '../../../src/config.js';
import { addNote, assignRole, changeSeverity } from '../../../src/incident/annotate.js';
import { declareIncident } from '../../../src/incident/declare.js';
import { acknowledgeIncident, markMitigated, resolveIncident } from '../../../src/incident/lifecycle.js';
import { appendToLog, openIncidentLog, stateOf, type WriteContext } from '../../../src/incident/log.js';
import { mergeIncidentLog } from '../../../src/incident/merge.js';
import { currentFile } from '../../../src/incident/paths.js';
import { parseRole } from '../../../src/incident/roles.js';

let home: string;
let clock: FakeClock;
let ctx: WriteContext;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'inc-life-'));
  clock = new FakeClock('2026-05-01T14:05:00Z');
  ctx = { env: { INC_HOME: home, INC_ACTOR: 'alice' }, clock, severities: DEFAULT_SEVERITIES };
  await declareIncident({
    env: ctx.env,
    clock,
    title: 'Checkout errors',
    severity: 'SEV2',
    commander: 'alice',
    impactStartedAt: new Date('2026-05-01T13:58:00Z'),
  });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const open = () => openIncidentLog({ env: ctx.env });
const at = (time: string) => new Date(`2026-05-01T${time}Z`);

describe('no current incident', () => {
  it("names the incidents still open here (a teammate's, pulled by a sync, is never current)", async () => {
    const { id } = await open();
    rmSync(currentFile(home));
    const error = await open().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: 'no incident is current, so this command has nowhere to be recorded',
      hint: `open here: ${id} (declared by alice); to work on it: inc use ${id} (or declare a new one with: inc start "TITLE" --severity SEV2)`,
    });
    // Resolved, it is no longer offered.
    const log = await openIncidentLog({ env: ctx.env, incident: id });
    await resolveIncident(log, ctx, { summary: 'rolled back' });
    rmSync(currentFile(home), { force: true });
    await expect(openIncidentLog({ env: ctx.env, what: 'inc note' })).rejects.toMatchObject({
      message: expect.stringMatching(/^no incident is (open|current \(.* is resolved\)), so inc note has nowhere/),
      hint: expect.not.stringContaining('open here'),
    });
  });
});

describe('time order', () => {
  it('refuses acknowledging before the declaration, with nothing written', async () => {
    const log = await open();
    const before = readFileSync(log.file);
    await expect(acknowledgeIncident(log, ctx, { at: at('14:00:00') })).rejects.toThrow(
      /acknowledged at .* would be before the incident was declared/,
    );
    expect(readFileSync(log.file).equals(before)).toBe(true);
  });

  it('takes a page acknowledged before the declaration when an alert is linked, never before the alert fired', async () => {
    const log = await open();
    await appendToLog(log, ctx, 'alert', {
      name: 'CheckoutErrors',
      fingerprint: 'f1',
      labels: { alertname: 'CheckoutErrors', namespace: 'shop' },
      annotations: {},
      startsAt: '2026-05-01T13:59:00.000Z',
    });
    const before = readFileSync(log.file);
    await expect(acknowledgeIncident(log, ctx, { at: at('13:58:30') })).rejects.toThrow(
      /acknowledged at .* would be before the first alert fired/,
    );
    expect(readFileSync(log.file).equals(before)).toBe(true);
    const acked = await acknowledgeIncident(log, ctx, { at: at('14:01:00') });
    expect(acked.state.times.acknowledgedAt).toBe('2026-05-01T14:01:00.000Z');
    expect(acked.state.metrics.find((m) => m.key === 'timeToAcknowledge')?.ms).toBe(2 * 60_000);
    expect(acked.state.targets.find((t) => t.target === 'acknowledge')?.outcome).toBe('met');
  });

  it("takes a teammate's declaration as the time when this clock is a few minutes behind, and no more", async () => {
    const log = await open();
    // Declared at 14:05 on the declarer's clock; this machine's says 14:03.
    clock.set('2026-05-01T14:03:00Z');
    const acked = await acknowledgeIncident(log, ctx);
    expect(acked.kind).toBe('recorded');
    expect(acked.state.times.acknowledgedAt).toBe('2026-05-01T14:05:00.000Z');
    // Twenty minutes behind is no skew: said, nothing recorded.
    clock.set('2026-05-01T13:40:00Z');
    await expect(resolveIncident(log, ctx)).rejects.toThrow(/resolved at .* would be before/);
  });

  it('refuses mitigated before the impact started and resolved before mitigated', async () => {
    const log = await open();
    await expect(markMitigated(log, ctx, { at: at('13:50:00') })).rejects.toThrow(/before the impact started/);
    clock.set('2026-05-01T14:30:00Z');
    await markMitigated(log, ctx, { at: at('14:20:00') });
    await expect(resolveIncident(log, ctx, { at: at('14:10:00') })).rejects.toThrow(/before it was mitigated/);
    const outcome = await resolveIncident(log, ctx, { summary: 'rolled back' });
    expect(outcome.kind).toBe('recorded');
    expect(outcome.state.times.resolvedAt).toBe('2026-05-01T14:30:00.000Z');
  });

  it('records acknowledgement once and says so the second time', async () => {
    const log = await open();
    clock.advance(60_000);
    expect((await acknowledgeIncident(log, ctx)).kind).toBe('recorded');
    const again = await acknowledgeIncident(log, ctx);
    expect(again).toMatchObject({ kind: 'unchanged', reason: expect.stringContaining('already acknowledged') });
    expect((await resolveIncident(log, ctx)).kind).toBe('recorded');
    expect((await resolveIncident(log, ctx)).kind).toBe('unchanged');
  });
});

describe('notes, severity and roles', () => {
  it('turns TODO: notes and --action into action items, and keeps decisions apart', async () => {
    const log = await open();
    await addNote(log, ctx, { text: 'TODO: alert on 5xx', owner: 'bob', itemType: 'prevent' });
    await addNote(log, ctx, { text: 'add runbook link', action: true });
    await addNote(log, ctx, { text: 'fail over at 14:30', decision: true });
    await addNote(log, ctx, { text: 'error rate 18%' });
    const state = stateOf(log, ctx);
    expect(state.actionItems.map((n) => [n.text, n.owner, n.itemType])).toEqual([
      ['alert on 5xx', 'bob', 'prevent'],
      ['add runbook link', undefined, undefined],
    ]);
    expect(state.decisions.map((n) => n.text)).toEqual(['fail over at 14:30']);
    await expect(addNote(log, ctx, { text: 'x', decision: true, action: true })).rejects.toThrow(/either a decision/);
    await expect(addNote(log, ctx, { text: 'x', owner: 'bob' })).rejects.toThrow(/for action items/);
    await expect(addNote(log, ctx, { text: 'TODO: x', itemType: 'detect-ish' })).rejects.toMatchObject({
      message: 'unknown action item type "detect-ish"',
      hint: 'use one of: prevent, mitigate, process',
    });
    await expect(addNote(log, ctx, { text: '   ' })).rejects.toThrow(/needs some text/);
    const item = await addNote(log, ctx, { text: 'TODO: canary stage', priority: 'p1', owner: 'bob' });
    expect(item.kind === 'recorded' && item.event.data).toMatchObject({
      kind: 'action-item',
      priority: 'P1',
      owner: 'bob',
    });
    await expect(addNote(log, ctx, { text: 'TODO: x', priority: 'urgent' })).rejects.toThrow(
      expect.objectContaining({ hint: 'use one of: P1, P2, P3' }),
    );
    await expect(addNote(log, ctx, { text: 'plain', priority: 'P2' })).rejects.toThrow(/are for action items/);
  });

  it('records the previous severity and the handover of a role', async () => {
    const log = await open();
    const sev = await changeSeverity(log, ctx, { to: 'SEV1', reason: 'all regions' });
    expect(sev.kind === 'recorded' && sev.event.data).toEqual({ from: 'SEV2', to: 'SEV1', reason: 'all regions' });
    expect((await changeSeverity(log, ctx, { to: 'SEV1' })).kind).toBe('unchanged');
    const role = await assignRole(log, ctx, { role: parseRole('IC', DEFAULT_ROLES), name: 'bob' });
    expect(role.kind === 'recorded' && role.event.data).toEqual({ role: 'commander', name: 'bob', previous: 'alice' });
  });

  it('knows the runbooks\' roles, refuses "lead" as ambiguous, and follows the configured set', () => {
    expect(parseRole('subject matter expert', DEFAULT_ROLES)).toBe('sme');
    expect(parseRole('Tech Lead', DEFAULT_ROLES)).toBe('tech-lead');
    expect(parseRole('ops', DEFAULT_ROLES)).toBe('operations-lead');
    expect(parseRole('communicator', DEFAULT_ROLES)).toBe('comms');
    expect(parseRole('investigator', DEFAULT_ROLES)).toBe('investigator');
    expect(() => parseRole('lead', DEFAULT_ROLES)).toThrow(
      expect.objectContaining({ hint: 'say which: commander, tech-lead, operations-lead' }),
    );
    expect(() => parseRole('boss', DEFAULT_ROLES)).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining(
          'commander, tech-lead, operations-lead, investigator, comms, scribe, deputy, sme',
        ),
      }),
    );
    // A team's own set: its words are accepted, and roles outside it are not.
    const team = ['commander', 'lead', 'scribe'];
    expect(parseRole('lead', team)).toBe('lead');
    expect(parseRole('ic', team)).toBe('commander');
    expect(() => parseRole('comms', team)).toThrow(/unknown role "comms"/);
  });
});

describe('merge by union', () => {
  it('appends only the events missing here, and is idempotent', async () => {
    const log = await open();
    await addNote(log, ctx, { text: 'mine' });
    // A teammate's copy: our first two events plus two of theirs, one torn line.
    const ours = readFileSync(log.file, 'utf8').trim().split('\n');
    const theirs = [
      ours[0],
      JSON.stringify({
        v: 1,
        id: '01THEIRS0001',
        at: '2026-05-01T14:06:00.000Z',
        type: 'note',
        actor: 'bob',
        data: { text: 'theirs password=hunter2', kind: 'note' },
      }),
      ours[1],
      JSON.stringify({
        v: 1,
        id: '01THEIRS0002',
        at: '2026-05-01T14:07:00.000Z',
        type: 'status',
        actor: 'bob',
        data: { state: 'acknowledged' },
      }),
      '{"v":1,"id":"01TOR',
    ].join('\n');
    const otherFile = join(home, 'theirs.jsonl');
    writeFileSync(otherFile, theirs);
    const result = await mergeIncidentLog(log, otherFile);
    expect(result.added.map((e) => e.id)).toEqual(['01THEIRS0001', '01THEIRS0002']);
    expect(result.alreadyPresent).toBe(2);
    expect(result.skipped.map((i) => i.kind)).toEqual(['torn']);
    const merged = await open();
    expect(merged.events).toHaveLength(4);
    expect(new Set(merged.events.map((e) => e.id)).size).toBe(4);
    expect(readFileSync(log.file, 'utf8')).not.toContain('hunter2');
    expect(stateOf(merged, ctx).times.acknowledgedAt).toBe('2026-05-01T14:07:00.000Z');

    const again = await mergeIncidentLog(merged, otherFile);
    expect(again.added).toEqual([]);
    expect((await open()).events).toHaveLength(4);
  });

  it('refuses a file that is no incident log, and a copy with a damaged line, saying what to do with the copy', async () => {
    const log = await open();
    const before = readFileSync(log.file);
    const notes = join(home, 'notes.txt');
    writeFileSync(notes, 'api down since 14:02\n');
    await expect(mergeIncidentLog(log, notes)).rejects.toThrow(
      expect.objectContaining({
        message: `${notes} is not an incident log (line 1: not JSON: Unexpected token 'a', "api down since 14:02" is not valid JSON); nothing was merged`,
        hint: expect.stringContaining("a copy of a teammate's events.jsonl"),
      }),
    );
    const damaged = join(home, 'damaged.jsonl');
    writeFileSync(damaged, `${readFileSync(log.file, 'utf8').split('\n')[0]}\ngarbage\n`);
    await expect(mergeIncidentLog(log, damaged)).rejects.toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /damaged\.jsonl:2: a damaged line in the copy \(not JSON: .*\); nothing was merged$/,
        ),
        hint: expect.stringContaining('this log was not touched'),
      }),
    );
    expect(readFileSync(log.file).equals(before)).toBe(true);
  });

  it('refuses a copy of another incident', async () => {
    const log = await open();
    const other = join(home, 'other.jsonl');
    writeFileSync(
      other,
      `${JSON.stringify({ v: 1, id: '01OTHER', at: '2026-05-01T10:00:00.000Z', type: 'declared', actor: 'x', data: { title: 'Other', severity: 'SEV3', services: [] } })}\n`,
    );
    const before = readFileSync(log.file);
    await expect(mergeIncidentLog(log, other)).rejects.toThrow(/another incident \("Other"\)/);
    expect(readFileSync(log.file).equals(before)).toBe(true);
  });

  it("refuses a copy without its declaration whose events came before this incident's", async () => {
    const log = await open();
    const declaredAt = log.events.find((e) => e.type === 'declared')!.at;
    const hoursBefore = new Date(Date.parse(declaredAt) - 2 * 3_600_000).toISOString();
    const note = (id: string, at: string) =>
      JSON.stringify({ v: 1, id, at, type: 'note', actor: 'bob', data: { text: 'bob sees 5xx', kind: 'note' } });
    const other = join(home, 'writer.jsonl');
    writeFileSync(other, `${note('01EARLY', hoursBefore)}\n`);
    const before = readFileSync(log.file);
    await expect(mergeIncidentLog(log, other)).rejects.toThrow(/recorded before .* was declared/);
    expect(readFileSync(log.file).equals(before)).toBe(true);
    // A teammate's clock a few minutes behind is the same incident.
    const skewed = new Date(Date.parse(declaredAt) - 2 * 60_000).toISOString();
    writeFileSync(other, `${note('01SKEWED', skewed)}\n`);
    expect((await mergeIncidentLog(log, other)).added.map((e) => e.id)).toEqual(['01SKEWED']);
  });
});

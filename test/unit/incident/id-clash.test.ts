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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { readEvidenceJson } from '../../../src/incident/compressed-evidence.js';
import { IncidentMovedError } from '../../../src/incident/errors.js';
import { listIncidentIds, renameIncident } from '../../../src/incident/incidents.js';
import { appendToLog, openIncidentLog } from '../../../src/incident/log.js';
import { appendEvent, openRecorder } from '../../../src/incident/recorder.js';
import { moveClashingIncidents } from '../../../src/incident/sync/id-clash.js';

const ID = 'INC-20261129-0302-checkout-errors';
let home: string;
let repo: string;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), 'inc-id-clash-'));
  home = join(root, 'home');
  repo = join(root, 'repo');
});
afterEach(() => rmSync(join(home, '..'), { recursive: true, force: true }));

function declared(eventId: string, actor: string, title = 'Checkout errors') {
  return {
    v: 1,
    id: eventId,
    at: '2026-11-29T03:02:10.000Z',
    type: 'declared',
    actor,
    data: { title, severity: 'SEV2', services: [] },
  };
}

function local(id: string, events: object[]) {
  mkdirSync(join(home, 'incidents', id), { recursive: true });
  writeFileSync(join(home, 'incidents', id, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

function shared(id: string, writer: string, events: object[]) {
  mkdirSync(join(repo, 'incidents', id, 'events'), { recursive: true });
  writeFileSync(
    join(repo, 'incidents', id, 'events', `${writer}.jsonl`),
    events.map((e) => `${JSON.stringify(e)}\n`).join(''),
  );
}

const state = () => ({ covered: { [ID]: 120 }, postmortems: { [ID]: 'abc' } });

describe('moveClashingIncidents', () => {
  it('renames ours to the next id free here and in the repository, and the current pointer follows', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    shared(ID, 'alice0writer', [declared('01JALICE000000000000000000', 'alice')]);
    shared(`${ID}-2`, 'carol0writer', [declared('01JCAROL000000000000000000', 'carol', 'Other')]);
    writeFileSync(join(home, 'current'), `${ID}\n`);
    const syncState = state();

    const renamed = await moveClashingIncidents(home, repo, syncState);

    expect(renamed).toEqual([{ from: ID, to: `${ID}-3`, by: 'alice', title: 'Checkout errors' }]);
    expect(await listIncidentIds(home)).toEqual([`${ID}-3`]);
    expect(readFileSync(join(home, 'incidents', `${ID}-3`, 'events.jsonl'), 'utf8')).toContain('01JBOB');
    expect(readFileSync(join(home, 'current'), 'utf8').trim()).toBe(`${ID}-3`);
    expect(syncState).toEqual({ covered: {}, postmortems: {} });
  });

  it('numbers a second clash on from the first id: ID-3, not ID-2-2', async () => {
    // Bob was renamed to ID-2 at his last sync; Carol, renamed to ID-2 at the same time, pushed first.
    local(ID, [declared('01JALICE000000000000000000', 'alice')]);
    local(`${ID}-2`, [declared('01JBOB0000000000000000000A', 'bob')]);
    shared(ID, 'alice0writer', [declared('01JALICE000000000000000000', 'alice')]);
    shared(`${ID}-2`, 'carol0writer', [declared('01JCAROL000000000000000000', 'carol')]);

    const renamed = await moveClashingIncidents(home, repo, { covered: {}, postmortems: {} });

    expect(renamed).toEqual([{ from: `${ID}-2`, to: `${ID}-3`, by: 'carol', title: 'Checkout errors' }]);
    expect(await listIncidentIds(home)).toEqual([ID, `${ID}-3`]);
  });

  it('keeps a title that ends in a number as it is: ID-500 clashes to ID-500-2', async () => {
    local(`${ID}-500`, [declared('01JBOB0000000000000000000A', 'bob')]);
    shared(`${ID}-500`, 'alice0writer', [declared('01JALICE000000000000000000', 'alice')]);

    const renamed = await moveClashingIncidents(home, repo, { covered: {}, postmortems: {} });

    expect(renamed.map((r) => r.to)).toEqual([`${ID}-500-2`]);
  });

  it('leaves an incident the repository already holds as ours, and one it does not hold', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    shared(ID, 'bob000writer', [declared('01JBOB0000000000000000000A', 'bob')]);
    local(`${ID}-x`, [declared('01JBOB0000000000000000000B', 'bob')]);
    const syncState = state();

    expect(await moveClashingIncidents(home, repo, syncState)).toEqual([]);
    expect(await listIncidentIds(home)).toEqual([ID, `${ID}-x`]);
    expect(syncState).toEqual(state());
  });

  it('leaves a log whose declaration it cannot read: it cannot tell the two apart', async () => {
    local(ID, [
      {
        v: 1,
        id: '01JBOB0000000000000000000C',
        at: '2026-11-29T03:03:00.000Z',
        type: 'note',
        actor: 'bob',
        data: { text: 'x' },
      },
    ]);
    shared(ID, 'alice0writer', [declared('01JALICE000000000000000000', 'alice')]);
    expect(await moveClashingIncidents(home, repo, state())).toEqual([]);
    expect(await listIncidentIds(home)).toEqual([ID]);
  });
});

describe('a command that opened the incident before a sync renamed it', () => {
  const linesOf = (id: string) =>
    readFileSync(join(home, 'incidents', id, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; actor: string });
  /** The sync's rename, and the teammate's incident pulled under the old id. */
  async function renamedUnderIt(): Promise<void> {
    await renameIncident(home, ID, `${ID}-2`);
    local(ID, [declared('01JALICE000000000000000000', 'alice')]);
  }

  it('records through the recorder (a triage, a run) into its own incident under the new id', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    writeFileSync(join(home, 'current'), `${ID}\n`);
    const recorder = await openRecorder({ env: { INC_HOME: home, INC_ACTOR: 'bob' }, clock: new FakeClock() });
    await renamedUnderIt();

    await recorder.record('note', { text: 'found it', kind: 'note' });
    const evidence = await recorder.saveEvidence('pods.txt', 'pod list');

    expect(recorder.incidentId).toBe(`${ID}-2`);
    expect(linesOf(`${ID}-2`).map((event) => event.type)).toEqual(['declared', 'note']);
    expect(linesOf(ID).map((event) => event.actor)).toEqual(['alice']);
    expect(readFileSync(join(home, 'incidents', `${ID}-2`, evidence as string), 'utf8')).toBe('pod list');
  });

  it('records through an opened log (note, sev, status) into its own incident under the new id', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    const env = { INC_HOME: home, INC_ACTOR: 'bob' };
    const log = await openIncidentLog({ env, incident: ID });
    await renamedUnderIt();

    await appendToLog(log, { env, clock: new FakeClock() }, 'note', { text: 'found it', kind: 'note' });

    expect(log.id).toBe(`${ID}-2`);
    expect(linesOf(`${ID}-2`).map((event) => event.type)).toEqual(['declared', 'note']);
    expect(linesOf(ID).map((event) => event.actor)).toEqual(['alice']);
  });

  /** The sync's rename and pull, at once (for a moment inside a write). */
  function renameUnderItNow(): void {
    renameSync(join(home, 'incidents', ID), join(home, 'incidents', `${ID}-2`));
    local(ID, [declared('01JALICE000000000000000000', 'alice')]);
    mkdirSync(join(home, 'incidents', ID, 'evidence'));
  }
  const evidenceIn = (id: string) => readdirSync(join(home, 'incidents', id, 'evidence'));

  it('saves evidence in its own incident when the rename comes before the file is created', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    writeFileSync(join(home, 'current'), `${ID}\n`);
    const recorder = await openRecorder({ env: { INC_HOME: home, INC_ACTOR: 'bob' }, clock: new FakeClock() });
    // The parts are asked for once the incident is found and before the temporary file is opened.
    const parts = () => {
      renameUnderItNow();
      return [{ text: '{"pods":' }, { json: 3 }, { text: '}' }];
    };

    const saved = await recorder.saveCompressedEvidence('triage.json.gz', parts);

    expect(saved?.path).toBe('evidence/triage.json.gz');
    expect(recorder.incidentId).toBe(`${ID}-2`);
    expect(await readEvidenceJson(join(home, 'incidents', `${ID}-2`, 'evidence', 'triage.json.gz'))).toEqual({
      pods: 3,
    });
    expect(evidenceIn(ID)).toEqual([]);
  });

  it('saves evidence in its own incident when the rename comes while the file is written', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    writeFileSync(join(home, 'current'), `${ID}\n`);
    const recorder = await openRecorder({ env: { INC_HOME: home, INC_ACTOR: 'bob' }, clock: new FakeClock() });
    function* parts() {
      yield { text: '{"pods":' };
      renameUnderItNow();
      yield { json: 3 };
      yield { text: '}' };
    }

    const saved = await recorder.saveCompressedEvidence('triage.json.gz', parts);
    await recorder.record('triage', {
      context: 'c',
      namespaces: [],
      summary: { critical: 0, warning: 0, info: 0 },
      headline: 'h',
      findings: [],
      suspects: [],
      evidence: saved?.path,
    });

    expect(recorder.incidentId).toBe(`${ID}-2`);
    expect(evidenceIn(`${ID}-2`)).toEqual(['triage.json.gz']);
    expect(await readEvidenceJson(join(home, 'incidents', `${ID}-2`, 'evidence', 'triage.json.gz'))).toEqual({
      pods: 3,
    });
    expect(linesOf(`${ID}-2`).map((event) => event.type)).toEqual(['declared', 'triage']);
    expect(evidenceIn(ID)).toEqual([]);
  });

  it('records into its own incident when the rename comes between the last check and the write', async () => {
    local(ID, [declared('01JBOB0000000000000000000A', 'bob')]);
    // The event's time is read after the log is checked and before the line is written: the sync's
    // rename and pull happen right then, the worst moment there is.
    class RenamingClock extends FakeClock {
      renamed = false;
      override now(): Date {
        if (!this.renamed) {
          this.renamed = true;
          renameSync(join(home, 'incidents', ID), join(home, 'incidents', `${ID}-2`));
          local(ID, [declared('01JALICE000000000000000000', 'alice')]);
        }
        return super.now();
      }
    }
    const clock = new RenamingClock();
    const env = { INC_HOME: home, INC_ACTOR: 'bob' };
    const log = await openIncidentLog({ env, incident: ID });

    await appendToLog(log, { env, clock }, 'note', { text: 'found it', kind: 'note' });

    expect(clock.renamed).toBe(true);
    expect(linesOf(ID).map((event) => event.actor)).toEqual(['alice']);
    expect(linesOf(`${ID}-2`).map((event) => event.type)).toEqual(['declared', 'note']);
  });
});

describe('appendEvent with the declaration the caller opened', () => {
  const file = () => join(home, 'incidents', ID, 'events.jsonl');
  const options = {
    type: 'note' as const,
    data: { text: 'x', kind: 'note' as const },
    clock: new FakeClock(),
    actor: 'bob',
  };

  it('refuses a file that holds another incident now, writing nothing', async () => {
    local(ID, [declared('01JALICE000000000000000000', 'alice')]);
    const before = readFileSync(file(), 'utf8');
    await expect(appendEvent(file(), { ...options, declaredId: '01JBOB0000000000000000000A' })).rejects.toThrow(
      IncidentMovedError,
    );
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('refuses a log that is gone (its incident moved, nothing pulled in its place yet), creating nothing', async () => {
    mkdirSync(join(home, 'incidents', ID), { recursive: true });
    await expect(appendEvent(file(), { ...options, declaredId: '01JBOB0000000000000000000A' })).rejects.toThrow(
      IncidentMovedError,
    );
    expect(existsSync(file())).toBe(false);
  });

  it('writes to a log that holds the declaration, even beside another one merged by hand', async () => {
    local(ID, [declared('01JALICE000000000000000000', 'alice'), declared('01JBOB0000000000000000000A', 'bob')]);
    await appendEvent(file(), { ...options, declaredId: '01JBOB0000000000000000000A' });
    expect(readFileSync(file(), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});

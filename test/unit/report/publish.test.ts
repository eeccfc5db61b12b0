import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import { readIncident, renameIncident } from '../../../src/incident/incidents.js';
import { ScriptedPrompter } from '../../../src/prompter.js';
import { draftStatusUpdate, recordStatusUpdate } from '../../../src/report/publish-status-update.js';
import { draftPostmortem, savePostmortem } from '../../../src/report/write-postmortem.js';

const ID = 'INC-20260110-1400-checkout-errors';
let root: string;
let env: Record<string, string>;
const config = { severities: [...DEFAULT_SEVERITIES], templateDirs: [] as string[] };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inc-publish-'));
  env = { INC_HOME: join(root, 'home'), INC_ACTOR: 'alice' };
  const folder = join(root, 'home', 'incidents', ID);
  mkdirSync(folder, { recursive: true });
  const events = readFileSync(new URL('../../fixtures/incidents/checkout-sev1.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line && !line.includes('"type":"resolved"'));
  writeFileSync(join(folder, 'events.jsonl'), `${events.join('\n')}\n`);
  writeFileSync(join(root, 'home', 'current'), `${ID}\n`);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('status updates from the log on disk', () => {
  it('refuses an update saying the work goes on once the incident is resolved, and records nothing', async () => {
    const file = join(root, 'home', 'incidents', ID, 'events.jsonl');
    const resolved = { v: 1, id: '01KAB0000000000000000000RS', at: '2026-01-10T14:20:00.000Z', type: 'resolved' };
    writeFileSync(file, `${readFileSync(file, 'utf8')}${JSON.stringify({ ...resolved, actor: 'alice', data: {} })}\n`);
    const before = readFileSync(file, 'utf8');
    const clock = new FakeClock('2026-01-10T15:00:00Z');
    const input = { format: 'text', status: 'investigating', message: 'It is back' } as const;
    await expect(draftStatusUpdate({ env, clock, config, incident: ID, input })).rejects.toThrow(
      `${ID} was resolved at 2026-01-10 14:20 UTC: an update with status investigating would say it is still being worked on`,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    const resolution = await draftStatusUpdate({ env, clock, config, incident: ID, input: { format: 'text' } });
    expect(resolution.update.status).toBe('resolved');
  });

  it('asks for impact, what changed and the ETA, pre-filled, then records what it printed', async () => {
    const prompter = new ScriptedPrompter(['', 'Error rate back to baseline', '14:40 UTC']);
    const clock = new FakeClock('2026-01-10T14:15:00Z');
    const draft = await draftStatusUpdate({ env, clock, config, input: { format: 'text' }, prompter });
    expect(prompter.asked).toEqual([
      'Impact (who and what is affected)?',
      'What changed since the last update?',
      'ETA to mitigation (blank if unknown)?',
    ]);
    expect(draft.update).toMatchObject({
      impact: 'About 30% of checkout requests fail',
      message: 'Error rate back to baseline',
      eta: '14:40 UTC',
      status: 'monitoring',
      nextUpdateAt: '2026-01-10T14:30:00.000Z',
    });
    await recordStatusUpdate({ env, clock, incidentId: draft.incidentId, draft });
    const { events } = await readIncident(env.INC_HOME ?? '', ID);
    const last = events.at(-1);
    expect(last?.type).toBe('update');
    expect(last?.data).toEqual({
      status: 'monitoring',
      format: 'text',
      message: 'Error rate back to baseline',
      impact: 'About 30% of checkout requests fail',
      eta: '14:40 UTC',
      text: draft.text,
      nextUpdateAt: '2026-01-10T14:30:00.000Z',
    });
  });

  it('warns when the update is late, by the time the last one promised', async () => {
    const onTime = await draftStatusUpdate({
      env,
      clock: new FakeClock('2026-01-10T14:20:00Z'),
      config,
      input: { format: 'text' },
    });
    expect(onTime.warnings).toEqual([]);
    const late = await draftStatusUpdate({
      env,
      clock: new FakeClock('2026-01-10T14:40:00Z'),
      config,
      input: { format: 'text' },
    });
    expect(late.warnings).toEqual(['this update is 15m late (it was due at 14:25 UTC)']);
  });

  it('warns when an update says resolved before the log does', async () => {
    const clock = new FakeClock('2026-01-10T14:20:00Z');
    const draft = await draftStatusUpdate({ env, clock, config, input: { format: 'text', status: 'resolved' } });
    expect(draft.warnings).toEqual([
      'this update says resolved, but the log has no resolution: run inc resolve so the metrics and handoff agree',
    ]);
  });

  it('names the incident with --incident, and refuses an unknown one', async () => {
    const clock = new FakeClock('2026-01-10T14:15:00Z');
    rmSync(join(root, 'home', 'current'));
    await expect(draftStatusUpdate({ env, clock, config, input: { format: 'text' } })).rejects.toThrow(
      /no incident is open/,
    );
    const draft = await draftStatusUpdate({ env, clock, config, incident: ID, input: { format: 'slack' } });
    expect(draft.incidentId).toBe(ID);
    await expect(
      draftStatusUpdate({ env, clock, config, incident: 'INC-20990101-0000-nope', input: { format: 'text' } }),
    ).rejects.toThrow(/no incident "INC-20990101-0000-nope"/);
  });
});

describe('postmortems on disk', () => {
  it('fills the interactive answers in, writes the file and records a postmortem event', async () => {
    const clock = new FakeClock('2026-01-10T15:00:00Z');
    // summary, impact, users, revenue, data loss, SLA, root cause, factors, detection, went well, …
    const answers = [
      '',
      '',
      '',
      '',
      'None',
      '',
      'A default changed in 2.3.1.',
      '',
      '',
      'The rollback playbook was quick.',
      '',
      '',
      '',
    ];
    const draft = await draftPostmortem({ env, clock, cwd: root, config, prompter: new ScriptedPrompter(answers) });
    expect(draft.warnings).toEqual([
      `${ID} is not resolved yet: the metrics and timeline stop now (inc resolve first for the final draft)`,
    ]);
    expect(draft.markdown).toContain('A default changed in 2.3.1.');
    expect(draft.markdown).toContain('### What went well\n\nThe rollback playbook was quick.\n');
    expect(draft.markdown).toContain('- Data loss: None\n');
    expect((draft.markdown.match(/TODO \(author\)/g) ?? []).length).toBe(11);
    const path = await savePostmortem({ env, clock, cwd: root, draft });
    expect(path).toBe(join(root, 'home', 'incidents', ID, 'postmortem.md'));
    expect(readFileSync(path, 'utf8')).toBe(draft.markdown);
    await expect(savePostmortem({ env, clock, cwd: root, draft, file: 'review/pm.md' })).rejects.toThrow(
      /cannot write .*review\/pm\.md/,
    );
    mkdirSync(join(root, 'review'));
    expect(await savePostmortem({ env, clock, cwd: root, draft, file: 'review/pm.md' })).toBe(
      join(root, 'review', 'pm.md'),
    );
    const { events } = await readIncident(env.INC_HOME ?? '', ID);
    expect(events.filter((event) => event.type === 'postmortem').map((event) => event.data)).toEqual([
      { path: 'postmortem.md' },
      { path: join(root, 'review', 'pm.md') },
    ]);
  });

  it("keeps an existing file (it may hold the author's edits) unless forced", async () => {
    const clock = new FakeClock('2026-01-10T15:00:00Z');
    const draft = await draftPostmortem({ env, clock, cwd: root, config });
    const target = join(root, 'pm.md');
    writeFileSync(target, 'edited by hand\n');
    await expect(savePostmortem({ env, clock, cwd: root, draft, file: 'pm.md' })).rejects.toThrow(
      /already exists; not replacing it/,
    );
    expect(readFileSync(target, 'utf8')).toBe('edited by hand\n');
    await savePostmortem({ env, clock, cwd: root, draft, file: 'pm.md', force: true });
    expect(readFileSync(target, 'utf8')).toBe(draft.markdown);
    expect(existsSync(join(root, 'home', 'incidents', ID, 'postmortem.md'))).toBe(false);
  });
});

describe('an update or a postmortem drafted before a sync renamed the incident', () => {
  /** The sync's rename (a teammate's incident took the id first), and that incident pulled under the old id. */
  async function renamedUnderIt(): Promise<void> {
    await renameIncident(env.INC_HOME ?? '', ID, `${ID}-2`);
    mkdirSync(join(root, 'home', 'incidents', ID));
    const theirs = { v: 1, id: '01JTEAMMATE000000000000000', at: '2026-01-10T14:00:30.000Z', type: 'declared' };
    writeFileSync(
      join(root, 'home', 'incidents', ID, 'events.jsonl'),
      `${JSON.stringify({ ...theirs, actor: 'bob', data: { title: 'Checkout errors', severity: 'SEV2', services: [] } })}\n`,
    );
  }
  const typesIn = async (id: string) =>
    (await readIncident(env.INC_HOME ?? '', id)).events.map((event) => event.type).filter((type) => type !== 'note');

  it("are saved and recorded in the incident under its new id, never in the teammate's", async () => {
    const clock = new FakeClock('2026-01-10T15:00:00Z');
    const update = await draftStatusUpdate({ env, clock, config, input: { format: 'text', message: 'x' } });
    const postmortem = await draftPostmortem({ env, clock, cwd: root, config });
    await renamedUnderIt();

    await recordStatusUpdate({ env, clock, incidentId: update.incidentId, draft: update });
    const path = await savePostmortem({ env, clock, cwd: root, draft: postmortem });

    expect(path).toBe(join(root, 'home', 'incidents', `${ID}-2`, 'postmortem.md'));
    expect((await typesIn(`${ID}-2`)).slice(-2)).toEqual(['update', 'postmortem']);
    expect(await typesIn(ID)).toEqual(['declared']);
    expect(existsSync(join(root, 'home', 'incidents', ID, 'postmortem.md'))).toBe(false);
  });
});

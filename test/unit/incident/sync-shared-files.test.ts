import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentDir } from '../../../src/incident/paths.js';
import { syncSharedFiles } from '../../../src/incident/sync/shared-files.js';
import { repoIncidentFolder } from '../../../src/incident/sync/sync-paths.js';

const ID = 'INC-20260501-1400-checkout-errors';
let root: string;
let home: string;
let repo: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inc-shared-files-'));
  home = join(root, 'home');
  repo = join(root, 'repo');
  mkdirSync(incidentDir(home, ID), { recursive: true });
  mkdirSync(repoIncidentFolder(repo, ID), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ours = () => join(incidentDir(home, ID), 'postmortem.md');
const theirs = () => join(repoIncidentFolder(repo, ID), 'postmortem.md');
const sync = (syncedPostmortem: string | undefined, warnings: string[] = []) =>
  syncSharedFiles({ home, repo, id: ID, maxFileBytes: 1_000_000, syncedPostmortem, warnings });

describe('the postmortem across responders', () => {
  it('edited on both sides since the last sync: neither is lost, theirs is kept beside ours to merge', async () => {
    writeFileSync(ours(), '# draft\n');
    writeFileSync(theirs(), '# draft\n');
    const base = (await sync(undefined)).postmortem;
    writeFileSync(ours(), '# draft\nalice: root cause\n');
    writeFileSync(theirs(), '# draft\nbob: lessons\n');
    const warnings: string[] = [];
    const first = await sync(base, warnings);
    expect(readFileSync(ours(), 'utf8')).toBe('# draft\nalice: root cause\n');
    expect(readFileSync(theirs(), 'utf8')).toBe('# draft\nbob: lessons\n');
    expect(readFileSync(join(incidentDir(home, ID), 'postmortem.theirs.md'), 'utf8')).toBe('# draft\nbob: lessons\n');
    expect(warnings[0]).toMatch(/edited here and by a teammate since the last sync: theirs is kept beside yours/);
    // Merged by hand: the next sync shares ours.
    writeFileSync(ours(), '# draft\nalice: root cause\nbob: lessons\n');
    const second = await sync(first.postmortem);
    expect(second.staged).toBe(1);
    expect(readFileSync(theirs(), 'utf8')).toBe('# draft\nalice: root cause\nbob: lessons\n');
  });

  it('says so when evidence on the remote is larger than this machine takes', async () => {
    const shared = join(repoIncidentFolder(repo, ID), 'evidence');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'big.bin'), Buffer.alloc(2_000));
    const warnings: string[] = [];
    const result = await syncSharedFiles({ home, repo, id: ID, maxFileBytes: 1_000, warnings });
    expect(result.pulled).toBe(0);
    expect(warnings).toEqual([
      `${ID}/evidence/big.bin (2000 bytes) on the remote is not pulled: larger than sync.maxFileBytes (1000)`,
    ]);
  });

  it('shares a draft redacted: a secret typed into it stays out of the remote', async () => {
    writeFileSync(ours(), '# draft\nthe DSN was postgres://app:Sup3rS3cret-99@db/app\n');
    const result = await sync(undefined);
    expect(result.staged).toBe(1);
    expect(readFileSync(theirs(), 'utf8')).not.toContain('Sup3rS3cret-99');
    expect(readFileSync(ours(), 'utf8')).toBe(readFileSync(theirs(), 'utf8'));
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvidenceJson } from '../../../src/incident/compressed-evidence.js';
import { writeCompressedEvidence, writeEvidence } from '../../../src/incident/evidence-files.js';

const home = mkdtempSync(join(tmpdir(), 'inc-evidence-names-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const evidence = (id: string) => join(home, 'incidents', id, 'evidence');

describe('evidence under a name already taken', () => {
  it('is written once and linked under the next free name, however many are taken', async () => {
    let serialised = 0;
    const parts = () => {
      serialised++;
      return [{ text: '{"n":' }, { json: serialised }, { text: '}' }];
    };
    const paths: string[] = [];
    for (let i = 0; i < 5; i++)
      paths.push((await writeCompressedEvidence({ home, id: 'INC-1' }, 'triage.json.gz', parts)).path);
    expect(paths).toEqual([
      'evidence/triage.json.gz',
      'evidence/triage-2.json.gz',
      'evidence/triage-3.json.gz',
      'evidence/triage-4.json.gz',
      'evidence/triage-5.json.gz',
    ]);
    // One pass over the parts per file: the fifth did not redact and compress its document five times.
    expect(serialised).toBe(5);
    expect(await readEvidenceJson(join(home, 'incidents', 'INC-1', paths[4]!))).toEqual({ n: 5 });
    // No temporary file is left beside them.
    expect(readdirSync(evidence('INC-1')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('keeps plain evidence whole and redacted under a free name', async () => {
    const first = (await writeEvidence({ home, id: 'INC-2' }, 'notes.txt', 'token: abcdef123456\n')).path;
    const second = (await writeEvidence({ home, id: 'INC-2' }, 'notes.txt', 'second\n')).path;
    expect([first, second]).toEqual(['evidence/notes.txt', 'evidence/notes-2.txt']);
    expect(readFileSync(join(evidence('INC-2'), 'notes.txt'), 'utf8')).toBe('token: [REDACTED]\n');
    expect(readFileSync(join(evidence('INC-2'), 'notes-2.txt'), 'utf8')).toBe('second\n');
    expect(readdirSync(evidence('INC-2')).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

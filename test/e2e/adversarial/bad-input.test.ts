import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunIncResult, runInc } from '../../helpers/run-inc.js';

/** Bad input at 3 a.m.: one clear line and a hint, the right exit code, never the stack of a bug. */
function expectCleanFailure(result: RunIncResult, code: number, message: string | RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/bug in inc|unexpected error|\n\s+at /);
  expect(result.code, result.stderr).toBe(code);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a kubeconfig with a value of the wrong type', () => {
  it('names file:line:col and the field, exit 2, for every command that reads it', async () => {
    const file = join(dir, 'wrong-type.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n- name: c\n  cluster: 6443\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n',
    );
    const env = { INC_HOME: join(dir, 'home'), HOME: dir };
    for (const args of [['triage'], ['run', 'restart', '--set', 'deployment=api', '--dry-run']]) {
      const result = await runInc(['--kubeconfig', file, ...args], { env, cwd: dir });
      expectCleanFailure(result, 2, `kubeconfig ${file}:6:12: clusters[0].cluster must be a mapping, not a number`);
      expect(result.stderr).toContain('hint: fix the file');
    }
  });
});

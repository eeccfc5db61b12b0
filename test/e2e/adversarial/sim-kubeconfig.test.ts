import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInc } from '../../helpers/run-inc.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-sim-kubeconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inc sim --kubeconfig never follows a symbolic link', () => {
  it('refuses a link to a file, and a dangling link, leaving the target untouched', async () => {
    const precious = join(dir, 'precious');
    writeFileSync(precious, 'current-context: inc-sim\n');
    const link = join(dir, 'kubeconfig');
    symlinkSync(precious, link);
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'created-through-the-link'), dangling);
    for (const path of [link, dangling]) {
      const result = await runInc(['sim', '--scenario', 'empty', '--kubeconfig', path], { timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`refusing to write ${path}: it is a symbolic link`);
      expect(result.stdout).not.toContain('inc-sim ready');
    }
    expect(readFileSync(precious, 'utf8')).toBe('current-context: inc-sim\n');
    expect(() => readFileSync(join(dir, 'created-through-the-link'))).toThrow(/ENOENT/);
  });

  it('refuses what is not a regular file', async () => {
    const result = await runInc(['sim', '--scenario', 'empty', '--kubeconfig', dir], { timeoutMs: 20_000 });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`refusing to write ${dir}: it is not a regular file`);
  });
});

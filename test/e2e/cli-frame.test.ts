import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInc } from '../helpers/run-inc.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the built inc', () => {
  it('prints its version', async () => {
    const result = await runInc(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('prints help with global options, examples and exit codes', async () => {
    const result = await runInc(['--help']);
    expect(result.code).toBe(0);
    for (const text of [
      '--kubeconfig',
      '--context',
      '--namespace',
      '--all-namespaces',
      '--output',
      '--no-color',
      '--yes',
      '--dry-run',
      '--incident',
      'Examples:',
      'Exit codes:',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stderr).toBe('');
  });

  it('rejects an unknown option with exit 2 and one error line', async () => {
    const result = await runInc(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe("inc: error: unknown option '--bogus'");
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('suggests the closest command and option', async () => {
    const command = await runInc(['tirage']);
    expect(command.code).toBe(2);
    expect(command.stderr.split('\n')[0]).toBe("inc: error: unknown command 'tirage' (Did you mean triage?)");
    const option = await runInc(['triage', '--chek', 'pods']);
    expect(option.code).toBe(2);
    expect(option.stderr.split('\n')[0]).toBe("inc: error: unknown option '--chek' (Did you mean --check?)");
  });
});

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

  it('suggests the options a cut-short one begins, and points at the help of the command it was given to', async () => {
    const short = await runInc(['start', 'checkout errors', '--sev', 'SEV2']);
    expect(short.code).toBe(2);
    expect(short.stderr.split('\n')).toEqual([
      "inc: error: unknown option '--sev' (Did you mean --severity?)",
      'hint: run "inc start --help" for its usage',
      '',
    ]);
    const two = await runInc(['triage', '--all']);
    expect(two.stderr.split('\n')[0]).toBe(
      "inc: error: unknown option '--all' (Did you mean --all-contexts or --all-namespaces?)",
    );
    const nested = await runInc(['handoff', 'add', '--txt', 'x']);
    expect(nested.stderr).toContain('hint: run "inc handoff add --help" for its usage');
    const missing = await runInc(['run', 'rollback', '--set']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('hint: run "inc run --help" for its usage');
  });
});

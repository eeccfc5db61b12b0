import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { HONOURED_GLOBAL_OPTIONS, visibleGlobalOptions } from '../../../src/cli/global-options.js';
import { buildProgram } from '../../../src/cli/program.js';
import { programNameOf, renameCommandLines } from '../../../src/cli/program-name.js';
import { closestMatches, didYouMean } from '../../../src/closest-match.js';
import { SpyOutput } from '../../../src/ui/output.js';

function program() {
  const ctx = {
    env: {},
    cwd: '/',
    output: new SpyOutput(),
    signal: new AbortController().signal,
  } as unknown as CliContext;
  return buildProgram(ctx);
}

describe('close-match suggestions', () => {
  const playbooks = ['argo-rollback', 'pin-image', 'restart', 'rollback', 'scale'];

  it('suggests the closest name for a typo, and nothing for a word far from all', () => {
    expect(didYouMean('rollbak', playbooks)).toBe('did you mean rollback?');
    expect(didYouMean('lst', ['list', 'show', 'validate', 'schema'])).toBe('did you mean list?');
    expect(didYouMean('deploymnt', ['namespace', 'deployment', 'toRevision'])).toBe('did you mean deployment?');
    expect(didYouMean('xyzzy', playbooks)).toBeUndefined();
  });

  it('offers every name a typed prefix starts, and is case-insensitive', () => {
    expect(closestMatches('ROLLBACK', playbooks)).toEqual(['rollback']);
    expect(closestMatches('res', ['restart', 'resolve', 'role'])).toEqual(['restart', 'resolve']);
  });
});

describe('the name inc is invoked by', () => {
  it('is "kubectl inc" as a kubectl plugin', () => {
    expect(programNameOf('/usr/local/bin/kubectl-inc')).toBe('kubectl inc');
    expect(programNameOf('/usr/local/bin/inc')).toBe('inc');
  });

  it('rewrites the commands inc suggests, and nothing else', () => {
    const commands = ['run', 'undo', 'triage'];
    expect(renameCommandLines('next: inc run rollback --set a=b', 'kubectl inc', commands)).toBe(
      'next: kubectl inc run rollback --set a=b',
    );
    expect(renameCommandLines('run "inc --help"', 'kubectl inc', commands)).toBe('run "kubectl inc --help"');
    expect(renameCommandLines('(to revert: inc undo)\n  inc triage', 'kubectl inc', commands)).toBe(
      '(to revert: kubectl inc undo)\n  kubectl inc triage',
    );
    for (const untouched of [
      'inc: error: boom',
      'the inc log',
      'since inc started',
      'INC-20260101-1200-x',
      'x-inc run',
    ]) {
      expect(renameCommandLines(untouched, 'kubectl inc', commands)).toBe(untouched);
    }
  });
});

describe('global options in each command’s help', () => {
  it('are declared for every command', () => {
    const names = program().commands.map((command) => command.name());
    expect(Object.keys(HONOURED_GLOBAL_OPTIONS).sort()).toEqual([...names].sort());
  });

  it('list only what the command honours', () => {
    const commands = program().commands;
    const flags = (name: string) =>
      visibleGlobalOptions(commands.find((command) => command.name() === name) as never).map((o) => o.long);
    expect(flags('triage')).toEqual(
      expect.arrayContaining(['--context', '--namespace', '--all-namespaces', '--output']),
    );
    expect(flags('run')).toEqual(expect.arrayContaining(['--yes', '--dry-run', '--context', '--namespace']));
    expect(flags('sev')).toEqual(['--output', '--no-color', '--incident', '--debug']);
    expect(flags('sev')).not.toContain('--all-namespaces');
    // --from-alert may find Alertmanager in the cluster: the kubeconfig flags apply, not the namespaces.
    expect(flags('note')).toEqual([
      '--kubeconfig',
      '--context',
      '--output',
      '--no-color',
      '--incident',
      '--request-timeout',
      '--as',
      '--as-group',
      '--as-uid',
      '--debug',
    ]);
    expect(flags('undo')).toEqual(expect.arrayContaining(['--as', '--as-group', '--as-uid']));
    expect(flags('update')).not.toContain('--as');
  });
});

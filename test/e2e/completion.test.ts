import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

/**
 * Drives the bash completion function as bash does on Tab: COMP_LINE and COMP_POINT set, the function
 * called, COMPREPLY read back. `inc` on PATH is the built CLI.
 */
describe('inc completion bash, in a real bash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-completion-'));
  const env: Record<string, string> = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: dir,
    INC_HOME: join(dir, 'home'),
    KUBECONFIG: join(dir, 'kubeconfig'),
    NO_COLOR: '1',
  };
  let incidentId = '';

  beforeAll(async () => {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'inc'), `#!/bin/sh\nexec "${process.execPath}" "${INC_BIN}" "$@"\n`);
    chmodSync(join(dir, 'bin', 'inc'), 0o755);
    writeFileSync(
      env.KUBECONFIG ?? '',
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: staging',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts:',
        '- {name: staging, context: {cluster: c, user: u, namespace: payments}}',
        '- {name: prod-eu, context: {cluster: c, user: u, namespace: checkout}}',
      ].join('\n'),
    );
    const started = await runInc(['start', 'checkout errors', '--severity', 'SEV2', '-o', 'json'], { env, cwd: dir });
    incidentId = (JSON.parse(started.stdout) as { id: string }).id;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function complete(line: string): string[] {
    const script = [
      'source <(inc completion bash)',
      `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
      '_inc_complete',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash expands it
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { env, cwd: dir, encoding: 'utf8' });
    return out.split('\n').filter(Boolean);
  }

  it('registers the function for inc and kubectl-inc', () => {
    const out = execFileSync('bash', ['-c', 'source <(inc completion bash); complete -p inc kubectl-inc'], {
      env,
      encoding: 'utf8',
    });
    expect(out).toContain('-F _inc_complete inc');
    expect(out).toContain('-F _inc_complete kubectl-inc');
  });

  it('completes commands and sub-commands', () => {
    expect(complete('inc tri')).toEqual(['triage']);
    expect(complete('inc playbooks l')).toEqual(['list']);
    expect(complete('inc completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes a command’s own flags and the global ones it honours', () => {
    const flags = complete('inc run --');
    expect(flags).toEqual(expect.arrayContaining(['--set', '--confirm-context', '--context', '--namespace', '--yes']));
    expect(complete('inc triage -o ')).toEqual(['json', 'markdown', 'text']);
  });

  it('completes playbook names, then the chosen playbook’s --set keys, then known values', () => {
    expect(complete('inc run roll')).toEqual(['rollback']);
    expect(complete('inc run rollback --set ')).toEqual([
      'daemonset=',
      'deployment=',
      'kind=',
      'namespace=',
      'statefulset=',
      'timeout=',
      'toRevision=',
    ]);
    // statefulset= is another name for deployment=: once one is given, neither is offered again.
    expect(complete('inc run rollback --set statefulset=db --set ')).toEqual([
      'kind=',
      'namespace=',
      'timeout=',
      'toRevision=',
    ]);
    expect(complete('inc run rollback --set kind=')).toEqual(['daemonset', 'deployment', 'statefulset']);
    expect(complete('inc run scale --set namespace=x --set ')).not.toContain('namespace=');
    // bash breaks the word at "=": only the value is offered in place.
    expect(complete('inc run rollback --set namespace=')).toEqual(['checkout', 'default', 'payments']);
  });

  it('offers inc run only the playbooks that load; playbooks show offers a broken one too, to show its error', () => {
    const folder = join(dir, '.config', 'inc', 'playbooks');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'rollout-broken.yaml'),
      'apiVersion: inc/v1\nkind: Playbook\nmetadata: {name: rollout-broken\n',
    );
    expect(complete('inc run rollo')).toEqual([]);
    expect(complete('inc playbooks show rollo')).toEqual(['rollout-broken']);
    rmSync(join(folder, 'rollout-broken.yaml'));
  });

  it('completes incident ids, contexts and namespaces from local files', () => {
    expect(complete('inc use ')).toEqual([incidentId]);
    expect(complete('inc status --incident INC')).toEqual([incidentId]);
    expect(complete('inc triage --context ')).toEqual(['prod-eu', 'staging']);
    expect(complete('inc triage -n pay')).toEqual(['payments']);
  });

  it('completes the scenario of demo and sim, the level of escalate, its --to and the role of role', () => {
    expect(complete('inc demo bad-dep')).toEqual(['bad-deploy', 'bad-deploy-errors']);
    expect(complete('inc sim node-')).toEqual(['node-failure']);
    expect(complete('inc escalate SEV')).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(complete('inc escalate --to engineering-')).toEqual(['engineering-manager']);
    expect(complete('inc role comm')).toEqual(['commander', 'comms']);
  });

  it('prints scripts for zsh and fish that call the same completer', async () => {
    for (const shell of ['zsh', 'fish']) {
      const result = await runInc(['completion', shell], { env });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('__complete');
    }
    const wrong = await runInc(['completion', 'tcsh'], { env });
    expect(wrong.code).toBe(2);
  });
});

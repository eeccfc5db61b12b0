import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/on-terminal.js';
import { runInc } from '../helpers/run-inc.js';

let dir: string;
let sim: RunningSim;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-e2e-credentials-'));
  sim = await startSim({ scenario: 'healthy', speed: 0, kubeconfigPath: join(dir, 'sim.yaml') });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The simulator's kubeconfig with its user's token replaced by an exec credential plugin `command args`. */
function withPlugin(name: string, command: string, args: string[], env?: { name: string; value: string }[]): string {
  const config = parse(readFileSync(sim.kubeconfigPath, 'utf8'));
  config.users[0].user = {
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args, ...(env ? { env } : {}) },
  };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

const inc = (kubeconfig: string, args: string[]) =>
  runInc(['--kubeconfig', kubeconfig, ...args], { cwd: dir, env: { HOME: dir, INC_HOME: join(dir, 'home') } });

describe('a kubeconfig credential plugin', () => {
  it('that works: triage reads the cluster through it', async () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'inc-sim-token' },
    });
    const result = await inc(
      withPlugin('works', process.execPath, ['-e', `console.log(${JSON.stringify(credential)})`]),
      ['triage', '-A', '--check', 'pods,events'],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no problems found in \d+ namespaces/);
  });

  it('that fails echoing its secrets: the error shows them redacted', async () => {
    // A plugin that prints its environment's role secret and its --client-secret argument as it fails.
    const script =
      'console.error("login rejected: role " + process.env.PLUGIN_ROLE + " with " + process.argv.at(-1)); process.exit(1)';
    const kubeconfig = withPlugin(
      'echoes',
      process.execPath,
      ['-e', script, '--', '--client-secret', 'cl1ent-s3cret-7788'],
      [{ name: 'PLUGIN_ROLE', value: 'r0le-value-5566' }],
    );
    const result = await inc(kubeconfig, ['triage', '--check', 'pods']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('login rejected: role [REDACTED]');
    expect(result.stderr).not.toContain('r0le-value-5566');
    expect(result.stderr).not.toContain('cl1ent-s3cret-7788');
  });

  it('that is not installed: a credentials error naming it, never "cluster unreachable"', async () => {
    const result = await inc(withPlugin('missing', 'aws-not-installed', ['eks', 'get-token']), [
      'triage',
      '--check',
      'pods',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no credentials: the credential plugin "aws-not-installed eks get-token" of context inc-sim could not be started: aws-not-installed is not on the PATH',
    );
    expect(result.stderr).not.toContain('cluster unreachable');
  });

  it('that never answers: given up after the request timeout, and inc leaves at once', async () => {
    const started = performance.now();
    const result = await inc(withPlugin('stalled', process.execPath, ['-e', 'setTimeout(() => {}, 30000)']), [
      '--request-timeout',
      '1s',
      'triage',
      '--check',
      'pods',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'it gave no answer within the request timeout (is it waiting for a login in a browser?)',
    );
    // The plugin's own 30 s would have held the process open.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it.skipIf(!HAS_SCRIPT)(
    'that asks for a code on a terminal: its prompt is shown, the code typed reaches it, the login may take longer than a request',
    async () => {
      const credential = JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        status: { token: 'inc-sim-token' },
      });
      const script = `process.stderr.write('Enter the code sent to your phone: ');
      let input = '';
      process.stdin.setEncoding('utf8').on('data', (data) => {
        input += data;
        if (!input.includes('\\n')) return;
        if (input.trim() !== '123456') { console.error('wrong code'); process.exit(1); }
        setTimeout(() => { console.log(${JSON.stringify(credential)}); process.exit(0); }, 1500);
      });`;
      const result = await runOnTerminal(
        [
          '--kubeconfig',
          withPlugin('mfa', process.execPath, ['-e', script]),
          '--request-timeout',
          '1s',
          'triage',
          '-A',
          '--check',
          'pods',
        ],
        {
          cwd: dir,
          env: { HOME: dir, INC_HOME: join(dir, 'home') },
          replies: [{ when: 'Enter the code sent to your phone', send: '123456\r' }],
        },
      );
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/no problems found in \d+ namespaces/);
    },
  );
});

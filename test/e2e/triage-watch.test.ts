import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startSim } from '../../src/sim/index.js';
import { INC_BIN } from '../helpers/run-inc.js';

it('inc triage --watch reruns on its interval, one JSON report per line, and stops cleanly on Ctrl-C', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-triage-watch-'));
  const sim = await startSim({ scenario: 'bad-deploy' });
  try {
    const child = spawn(
      process.execPath,
      [INC_BIN, '--kubeconfig', sim.kubeconfigPath, 'triage', '-A', '-o', 'json', '--check', 'pods', '--watch', '2s'],
      {
        cwd: dir,
        env: { ...process.env, INC_HOME: join(dir, 'home'), NO_COLOR: '1', TERM: 'dumb', KUBECONFIG: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const lines = () => stdout.split('\n').filter((line) => line.startsWith('{'));
    const deadline = Date.now() + 30_000;
    while (lines().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(lines().length, stderr).toBeGreaterThanOrEqual(2);
    expect(stderr).not.toContain('MaxListenersExceededWarning');
    for (const line of lines()) expect(JSON.parse(line)).toMatchObject({ schemaVersion: 1, context: 'inc-sim' });
    expect([0, 130]).toContain(code);
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

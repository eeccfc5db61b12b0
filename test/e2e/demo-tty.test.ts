import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INC_BIN } from '../helpers/run-inc.js';

// util-linux `script` gives the CLI a real pseudo-terminal; without it this file has nothing to drive.
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `inc ARGS` on a pseudo-terminal of the given width, pressing Enter every `enterEveryMs`. */
function onTerminal(args: string, columns: number, enterEveryMs: number, timeoutMs: number) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const command = `stty cols ${columns} rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(INC_BIN)} ${args}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, CI: undefined, NO_COLOR: '1', TERM: 'xterm', INC_HOME: undefined },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const enter = setInterval(() => child.stdin.write('\n'), enterEveryMs);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inc ${args} on a terminal did not finish in ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearInterval(enter);
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!hasScript)('inc demo on a terminal', () => {
  it('pauses before each step, goes on at Enter, and finishes', async () => {
    const { code, output } = await onTerminal('demo', 120, 1500, 90_000);
    expect(code).toBe(0);
    expect(output.match(/Press Enter to run it/g)?.length).toBeGreaterThanOrEqual(6);
    expect(output).toContain('$ inc run rollback --set namespace=payments --set deployment=api --yes');
    expect(output).toContain('Try next:');
  });

  it('finishes on a terminal that reports no width (no spinner then)', async () => {
    const { code, output } = await onTerminal('demo --no-pause', 0, 60_000, 90_000);
    expect(code).toBe(0);
    expect(output).toContain('Done.');
    expect(output.length).toBeLessThan(200_000);
  });
});

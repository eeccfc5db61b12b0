import { describe, expect, it } from 'vitest';
import { runProcess } from '../../src/run-process.js';

describe('runProcess', () => {
  it('with processGroup, a timeout ends the helpers that hold the output open too', async () => {
    // The shell's child keeps stdout open after the shell is killed, as git's remote-http does for a
    // remote that never answers.
    const started = Date.now();
    const result = await runProcess('sh', ['-c', 'sleep 30 & wait'], { timeoutMs: 300, processGroup: true });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('with processGroup, a program that ends in time is read whole', async () => {
    const result = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3'], {
      timeoutMs: 10_000,
      processGroup: true,
    });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err', timedOut: false });
  });
});

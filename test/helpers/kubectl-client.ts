// biome-ignore-all lint/suspicious/noExplicitAny: kubectl's JSON is read freely
import { execFile } from 'node:child_process';
import { KUBECTL } from './binaries.js';

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real kubectl on one kubeconfig, with an isolated HOME; `input` goes to its stdin (`apply -f -`). */
export function kubectlClient(kubeconfig: () => string, home: () => string) {
  const run = (args: string[], input?: string): Promise<KubectlRun> =>
    new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        args,
        { timeout: 30_000, env: { PATH: process.env.PATH, HOME: home(), KUBECONFIG: kubeconfig() } },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const json = async (args: string[]): Promise<any> => {
    const result = await run([...args, '-o', 'json']);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  return { run, json };
}

/** Polls `check` (real time, bounded) until it returns a value. */
export async function pollFor<T>(check: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

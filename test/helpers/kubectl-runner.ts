// biome-ignore-all lint/suspicious/noExplicitAny: kubectl's JSON is read freely
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { KUBECTL } from './binaries.js';

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlRun>;
  /** `-o json` of a successful get. */
  json(args: string[]): Promise<any>;
}

/** The real kubectl against a kubeconfig, with a clean environment and a bound on every run. */
export function kubectlFor(env: () => { home: string; kubeconfig: string }): Kubectl {
  const run = (args: string[], options: { input?: string; timeoutMs?: number } = {}) =>
    new Promise<KubectlRun>((resolve) => {
      const { home, kubeconfig } = env();
      const child = execFile(
        KUBECTL,
        args,
        { timeout: options.timeoutMs ?? 30_000, env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig } },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end(options.input ?? '');
    });
  return Object.assign(run, {
    async json(args: string[]) {
      const result = await run([...args, '-o', 'json']);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout);
    },
  });
}

/** Polls until `check` returns a value, failing after `timeoutMs` of real time. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}

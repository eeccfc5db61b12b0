// biome-ignore-all lint/suspicious/noExplicitAny: kubectl's JSON is read freely
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { KUBECTL } from './binaries.js';

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
  /** Another kubeconfig than the runner's, for this run. */
  kubeconfig?: string;
}

export interface Kubectl {
  (args: string[], options?: KubectlOptions): Promise<KubectlRun>;
  /** `-o json` of a successful get. */
  json<T = any>(args: string[]): Promise<T>;
}

/**
 * The real kubectl against a kubeconfig, with a clean environment and a bound on every run.
 * `quiet`: `json` also requires that kubectl said nothing on stderr.
 */
export function kubectlFor(
  env: () => { home: string; kubeconfig: string },
  options: { quiet?: boolean } = {},
): Kubectl {
  const run = (args: string[], runOptions: KubectlOptions = {}) =>
    new Promise<KubectlRun>((resolve) => {
      const { home } = env();
      const kubeconfig = runOptions.kubeconfig ?? env().kubeconfig;
      const child = execFile(
        KUBECTL,
        args,
        {
          timeout: runOptions.timeoutMs ?? 30_000,
          env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end(runOptions.input ?? '');
    });
  return Object.assign(run, {
    async json(args: string[]) {
      const result = await run([...args, '-o', 'json']);
      if (options.quiet) expect(result.stderr).toBe('');
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

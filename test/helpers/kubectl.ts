import { execFile } from 'node:child_process';
import { KUBECTL } from './binaries.js';

/** Runs the real kubectl against a kubeconfig, with only PATH and HOME from the environment. */
export function runKubectl(
  kubeconfig: string,
  home: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      args,
      { timeout: 30_000, env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

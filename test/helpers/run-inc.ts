import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const INC_BIN = fileURLToPath(new URL('../../bin/inc.js', import.meta.url));

export interface RunIncOptions {
  /** The launcher to run (default: the project's bin/inc.js). */
  bin?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export interface RunIncResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the built `inc` as a user would (no TTY), with a pinned environment:
 * NO_COLOR, TERM=dumb, and no inherited KUBECONFIG or INC_HOME unless given.
 */
export function runInc(args: readonly string[], options: RunIncOptions = {}): Promise<RunIncResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !['KUBECONFIG', 'INC_HOME', 'FORCE_COLOR', 'INC_NOW'].includes(key)) env[key] = value;
  }
  Object.assign(env, { NO_COLOR: '1', TERM: 'dumb' });
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? INC_BIN, ...args], { cwd: options.cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inc ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

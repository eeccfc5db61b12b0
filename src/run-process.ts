export interface ProcessResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT, EACCES). */
  startError?: string;
}

export interface RunProcessOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Runs the program in a process group of its own, ended whole once the program ends (at the
   * timeout or the signal): helpers it starts (git's remote-http, ssh) otherwise outlive it holding
   * its output open, and the wait lasts as long as a silent remote does.
   */
  processGroup?: boolean;
}

/** Runs a program with an argument array (never through a shell); never rejects for a non-zero exit. */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const { execa } = await import('execa');
  const subprocess = execa(file, [...args], {
    reject: false,
    shell: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    maxBuffer: 16 * 1024 * 1024,
    detached: options.processGroup,
  });
  const leader = subprocess.pid;
  if (options.processGroup && leader !== undefined) {
    // Once the program has ended (the timeout or the signal ends it), nothing it started outlives it.
    subprocess.once('exit', () => {
      try {
        process.kill(-leader, 'SIGKILL');
      } catch {
        // The group has ended with it.
      }
    });
  }
  const result = await subprocess;
  const code = (result as { code?: string }).code;
  const startError =
    result.exitCode === undefined && code && /^E[A-Z]+$/.test(code) && !result.timedOut ? code : undefined;
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: Boolean(result.timedOut),
    startError,
  };
}

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
   * Runs the program in a process group of its own, ended whole once the timeout or the signal has
   * ended the program: helpers it starts (git's remote-http, ssh) otherwise outlive it holding its
   * output open, and the wait lasts as long as a silent remote does.
   */
  processGroup?: boolean;
}

/** After the timeout (or the signal), a moment for the program to end on its own before its group is killed. */
const GROUP_GRACE_MS = 500;

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
  const stopWatching = options.processGroup ? killGroupWhenDue(subprocess.pid, options) : undefined;
  const result = await subprocess;
  stopWatching?.();
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

/** Kills the process group led by `pid` once the timeout or the signal is due, plus a grace; returns the stop. */
function killGroupWhenDue(pid: number | undefined, options: RunProcessOptions): () => void {
  if (pid === undefined) return () => undefined;
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group has ended already.
    }
  };
  const timers: NodeJS.Timeout[] = [];
  if (options.timeoutMs) timers.push(setTimeout(kill, options.timeoutMs + GROUP_GRACE_MS));
  const onAbort = () => timers.push(setTimeout(kill, GROUP_GRACE_MS));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    for (const timer of timers) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
}

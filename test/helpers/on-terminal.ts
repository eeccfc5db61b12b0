import { spawn, spawnSync } from 'node:child_process';
import { INC_BIN } from './run-inc.js';

/** util-linux `script` gives the CLI a real pseudo-terminal; tests that need one skip without it. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** One exchange: when the output shows `when` (after the previous one), type `send`. */
export interface TerminalReply {
  when: string | RegExp;
  send: string;
}

export interface TerminalOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  replies?: readonly TerminalReply[];
  timeoutMs?: number;
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the built `inc ARGS` on a pseudo-terminal, answering its questions in order as they appear;
 * returns the exit code and everything the terminal showed (stdout and stderr together).
 */
export function runOnTerminal(
  args: readonly string[],
  options: TerminalOptions,
): Promise<{ code: number | null; output: string }> {
  const command = `stty cols 160 rows 50; ${[process.execPath, INC_BIN, ...args].map(shellQuote).join(' ')}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    CI: undefined,
    NO_COLOR: '1',
    TERM: 'xterm',
    ...options.env,
  })) {
    if (value !== undefined) env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env, stdio: 'pipe' });
    const replies = [...(options.replies ?? [])];
    let output = '';
    let from = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (let next = replies[0]; next; next = replies[0]) {
        const rest = output.slice(from);
        const at = typeof next.when === 'string' ? rest.indexOf(next.when) : rest.search(next.when);
        if (at < 0) return;
        replies.shift();
        from += at + 1;
        child.stdin.write(next.send);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inc ${args.join(' ')} on a terminal did not finish:\n${output.slice(-3000)}`));
    }, options.timeoutMs ?? 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

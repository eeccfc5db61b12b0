import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';

export interface LocalServer {
  url: string;
  port: number;
  /** Everything the server wrote to stderr so far (for failure messages). */
  log(): string;
  /** Ends the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

export interface StartLocalServerOptions {
  /** Names the server in errors. */
  name: string;
  binary: string;
  /** Must make it listen on 127.0.0.1:0; the port is read from its "Listening on" log line. */
  args: readonly string[];
  /** The folder it works in, removed on stop. */
  dir: string;
  /** Answers 200 once the server is ready (default /-/ready). */
  readyPath?: string;
  /** How long to wait for it to be ready (default 20 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts one of the Prometheus project's servers (Prometheus, Alertmanager) on a free loopback port
 * and waits, bounded, until it is ready. They log `msg="Listening on" address=127.0.0.1:PORT`.
 */
export async function startLocalServer(options: StartLocalServerOptions): Promise<LocalServer> {
  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  const child = spawn(options.binary, options.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = () => stopProcess(child).finally(() => rm(options.dir, { recursive: true, force: true }));
  try {
    const port = await listeningPort(child, () => stderr, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}${options.readyPath ?? '/-/ready'}`, timeoutMs);
    return { url, port, log: () => stderr, stop };
  } catch (error) {
    await stop();
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
}

function listeningPort(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const found = () => /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(stderr())?.[1];
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      const port = found();
      if (error || !port) reject(error ?? new Error('no port'));
      else resolve(Number(port));
    };
    const onData = () => {
      if (found()) done();
    };
    const onExit = (code: number | null) => done(new Error(`it exited with code ${code}`));
    const timer = setTimeout(() => done(new Error(`no "Listening on" line within ${timeoutMs} ms`)), timeoutMs);
    child.stderr!.on('data', onData);
    child.on('exit', onExit);
    onData();
  });
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

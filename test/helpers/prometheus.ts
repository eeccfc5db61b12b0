import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS } from './binaries.js';

export interface ScrapeTarget {
  job: string;
  /** The full scrape URL, e.g. http://127.0.0.1:PORT/metrics. */
  url: string;
}

export interface StartPrometheusOptions {
  targets?: readonly ScrapeTarget[];
  /** Scrape (and rule evaluation) interval in seconds (default 1). */
  scrapeIntervalSeconds?: number;
  /** How long to wait for the server to be ready (default 20 s). */
  readyTimeoutMs?: number;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  /** Evaluates an instant PromQL query now; rejects on an API error. */
  query(promql: string): Promise<PromSample[]>;
  /** Polls `query` until `accept` holds for its result, at most `timeoutMs` (default 30 s). */
  waitFor(promql: string, accept: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** Everything the server wrote to stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** The scrape configuration for `targets`, as Prometheus reads it (YAML is a superset of JSON). */
export function prometheusConfig(targets: readonly ScrapeTarget[], intervalSeconds: number): string {
  const interval = `${intervalSeconds}s`;
  return JSON.stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    scrape_configs: targets.map((target) => {
      const url = new URL(target.url);
      return {
        job_name: target.job,
        // The simulator's scrape URL labels each series with its pod; keep those labels as they are.
        honor_labels: true,
        scheme: url.protocol.replace(':', ''),
        metrics_path: url.pathname,
        static_configs: [{ targets: [url.host] }],
      };
    }),
  });
}

/**
 * Starts Debian's Prometheus on a free 127.0.0.1 port with a fresh TSDB in a temp folder, scraping
 * `targets` every second, and waits until it is ready. `stop` ends it and removes the folder.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'inc-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig(options.targets ?? [], options.scrapeIntervalSeconds ?? 1));
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.enable-lifecycle',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = () => stopProcess(child).finally(() => rm(dir, { recursive: true, force: true }));
  try {
    const port = await listeningPort(child, () => stderr, options.readyTimeoutMs ?? 20_000);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, options.readyTimeoutMs ?? 20_000);
    const query = (promql: string) => queryPrometheus(url, promql);
    return {
      url,
      port,
      query,
      waitFor: (promql, accept, timeoutMs = 30_000) => pollQuery(query, promql, accept, timeoutMs),
      log: () => stderr,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not start: ${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
}

/** The port Prometheus bound, from its "Listening on" log line (it was asked for port 0). */
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
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`${url}/-/ready not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function queryPrometheus(url: string, promql: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
  if (body.data?.resultType !== 'vector') throw new Error(`query ${promql} returned ${body.data?.resultType}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

async function pollQuery(
  query: (promql: string) => Promise<PromSample[]>,
  promql: string,
  accept: (samples: PromSample[]) => boolean,
  timeoutMs: number,
): Promise<PromSample[]> {
  const deadline = Date.now() + timeoutMs;
  let last: PromSample[] = [];
  for (;;) {
    last = await query(promql);
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `query ${promql} did not reach the expected result within ${timeoutMs} ms: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
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

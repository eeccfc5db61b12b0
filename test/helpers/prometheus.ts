import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS } from './binaries.js';
import { type LocalServer, startLocalServer } from './local-server.js';

export interface ScrapeTarget {
  job: string;
  /** The full scrape URL, e.g. http://127.0.0.1:PORT/metrics. */
  url: string;
  /** Labels added to every series of the target (a scenario's name, to tell several simulators apart). */
  labels?: Record<string, string>;
}

export interface StartPrometheusOptions {
  targets?: readonly ScrapeTarget[];
  /** Scrape (and rule evaluation) interval in seconds (default 1). */
  scrapeIntervalSeconds?: number;
  /** How long to wait for the server to be ready (default 20 s). */
  readyTimeoutMs?: number;
  /** Rules files to evaluate (absolute paths). */
  ruleFiles?: readonly string[];
  /** Alertmanagers to send alerts to, as host:port. */
  alertmanagers?: readonly string[];
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus extends LocalServer {
  /** Evaluates an instant PromQL query now; rejects on an API error. */
  query(promql: string): Promise<PromSample[]>;
  /** Polls `query` until `accept` holds for its result, at most `timeoutMs` (default 30 s). */
  waitFor(promql: string, accept: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
}

/** The scrape configuration for `targets`, as Prometheus reads it (YAML is a superset of JSON). */
export function prometheusConfig(
  targets: readonly ScrapeTarget[],
  intervalSeconds: number,
  alerting: { ruleFiles?: readonly string[]; alertmanagers?: readonly string[] } = {},
): string {
  const interval = `${intervalSeconds}s`;
  return JSON.stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    ...(alerting.ruleFiles ? { rule_files: alerting.ruleFiles } : {}),
    ...(alerting.alertmanagers
      ? { alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: alerting.alertmanagers }] }] } }
      : {}),
    scrape_configs: targets.map((target) => {
      const url = new URL(target.url);
      return {
        job_name: target.job,
        // The simulator's scrape URL labels each series with its pod; keep those labels as they are.
        honor_labels: true,
        scheme: url.protocol.replace(':', ''),
        metrics_path: url.pathname,
        static_configs: [{ targets: [url.host], ...(target.labels ? { labels: target.labels } : {}) }],
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
  await writeFile(
    configFile,
    prometheusConfig(options.targets ?? [], options.scrapeIntervalSeconds ?? 1, {
      ruleFiles: options.ruleFiles,
      alertmanagers: options.alertmanagers,
    }),
  );
  const server = await startLocalServer({
    name: 'Prometheus',
    binary: PROMETHEUS,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
    ],
    dir,
    readyTimeoutMs: options.readyTimeoutMs,
  });
  const query = (promql: string) => queryPrometheus(server.url, promql);
  return {
    ...server,
    query,
    waitFor: (promql, accept, timeoutMs = 30_000) => pollQuery(query, promql, accept, timeoutMs),
  };
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

import type { Clock } from '../../clock.js';
import type { KubeAccess } from '../../kube/access.js';
import { redactUrl } from '../../redact-url.js';
import type { SignalsRequest } from '../run-triage.js';
import type { SignalsData } from '../signals/signal-types.js';
import type { SignalsConfig } from '../signals/signals-config.js';
import type { SignalsOutcome } from '../signals/signals-outcome.js';
import { allPods } from '../snapshot.js';
import { scrapeablePods, scrapePodSignals, servingScrapePods } from './pod-scrape.js';
import { directTransport, PrometheusApi, proxiedTransport } from './prometheus-api.js';
import { discoverPrometheus } from './prometheus-discovery.js';
import { fetchPrometheusSignals } from './prometheus-signals.js';
import { withDeadline } from './with-deadline.js';

export interface SignalsSourceOptions {
  kube: KubeAccess;
  /** From --prometheus, INC_PROMETHEUS_URL or the config's prometheus.url. */
  prometheusUrl?: string;
  /** The bearer token, read from the variable the config names. */
  token?: string;
  /** Per request to Prometheus or a pod. */
  timeoutMs: number;
  windowMs: number;
  sampleMs: number;
  /** The baseline ends here when set (the incident's impact start). */
  baselineEndMs?: number;
  config: SignalsConfig;
  clock: Clock;
  signal: AbortSignal;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Where the signals come from, in order: the Prometheus given; a Prometheus Service found in the
 * cluster, queried through the API server's service proxy; the pods' own metrics, scraped twice.
 * Each step is bounded, so a dead Prometheus fails the signals check, never triage.
 */
export function signalsSource(options: SignalsSourceOptions): (request: SignalsRequest) => Promise<SignalsOutcome> {
  return async (request) => {
    const data = await withDeadline(fetchSignals(options, request), deadlineMs(options), options.clock, options.signal);
    return data ? { kind: 'data', data, thresholds: options.config.thresholds } : { kind: 'unavailable', reason: NONE };
  };
}

const NONE =
  'no Prometheus given (--prometheus, INC_PROMETHEUS_URL or prometheus.url in the config), none found in the cluster, and no running pod with a prometheus.io/scrape annotation';

async function fetchSignals(options: SignalsSourceOptions, request: SignalsRequest): Promise<SignalsData | undefined> {
  const atMs = options.clock.now().getTime();
  const common = {
    profiles: options.config.profiles,
    namespace: request.namespace,
    atMs,
    windowMs: options.windowMs,
    baselineEndMs: options.baselineEndMs,
    thresholds: options.config.thresholds,
  };
  if (options.prometheusUrl) {
    const transport = directTransport(options.prometheusUrl, {
      token: options.token,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    const api = new PrometheusApi(transport, `Prometheus ${redactUrl(options.prometheusUrl)}`);
    return fetchPrometheusSignals(api, {
      ...common,
      source: { kind: 'prometheus', name: redactUrl(options.prometheusUrl) },
    });
  }
  const found = await discoverPrometheus(options.kube, { timeoutMs: options.timeoutMs });
  if (found) {
    const name = `${found.namespace}/${found.name}:${found.port}`;
    const api = new PrometheusApi(proxiedTransport(options.kube, found, options.timeoutMs), `Prometheus ${name}`);
    return fetchPrometheusSignals(api, { ...common, source: { kind: 'discovered', name } });
  }
  const snapshot = await request.snapshot();
  const serving = servingScrapePods(snapshot ? allPods(snapshot) : []);
  const pods = scrapeablePods(serving);
  if (pods.length === 0) return undefined;
  return scrapePodSignals(
    options.kube,
    pods,
    {
      sampleMs: options.sampleMs,
      timeoutMs: options.timeoutMs,
      now: () => options.clock.now().getTime(),
      sleep: options.sleep,
    },
    serving,
  );
}

/** Discovery, then the queries (or two scrapes and the pause between them), each bounded. */
function deadlineMs(options: SignalsSourceOptions): number {
  return options.sampleMs + 3 * options.timeoutMs;
}

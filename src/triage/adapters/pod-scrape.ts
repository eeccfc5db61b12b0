import type { KubeAccess } from '../../kube/access.js';
import type { Pod } from '../k8s.js';
import {
  averageRateSinceStart,
  ratesBetween,
  readTrafficSample,
  secondsBetween,
  type TrafficSample,
} from '../signals/scrape-rates.js';
import type { RawQuery, SignalSeries, SignalsData } from '../signals/signal-types.js';

const SCRAPE = 'prometheus.io/scrape';
const PORT = 'prometheus.io/port';
const PATH = 'prometheus.io/path';
/** At most this many pods per owner and in all: the ratio of a sample is the ratio of the whole. */
const PER_OWNER = 10;
const MAX_PODS = 300;
const CONCURRENCY = 16;
/** How long the first look at the pace of the pods' clock lasts. */
const PROBE_MS = 500;

export interface PodScrapeOptions {
  /** Time between the two samples, ms. */
  sampleMs: number;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** The pods that ask to be scraped (`prometheus.io/scrape: "true"`) and are running and ready. */
export function servingScrapePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(
    (pod) =>
      pod.metadata.annotations?.[SCRAPE] === 'true' &&
      pod.status?.phase === 'Running' &&
      pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

/** Of those, the ones to scrape: at most `PER_OWNER` of each owner, `MAX_PODS` in all. */
export function scrapeablePods(pods: readonly Pod[]): Pod[] {
  const perOwner = new Map<string, number>();
  const chosen: Pod[] = [];
  for (const pod of servingScrapePods(pods)) {
    const owner = `${pod.metadata.namespace}/${pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name}`;
    const count = perOwner.get(owner) ?? 0;
    if (count >= PER_OWNER) continue;
    perOwner.set(owner, count + 1);
    chosen.push(pod);
    if (chosen.length >= MAX_PODS) break;
  }
  return chosen;
}

/**
 * Scrapes the pods twice through the pods proxy subresource, `sampleMs` apart, and turns the two
 * samples into per-second rates per pod (requests, 5xx, latency buckets). No history, so the only
 * baseline is the request rate's: each pod's average since its process started, up to the first
 * sample (a pod that stopped receiving traffic falls below it). Its error ratio since start is no
 * baseline (a new version's pods count only their own errors), so none is given.
 */
export async function scrapePodSignals(
  kube: KubeAccess,
  pods: readonly Pod[],
  options: PodScrapeOptions,
  serving: readonly Pod[] = pods,
): Promise<SignalsData> {
  const first = await scrapeAll(kube, pods, options);
  await pauseForSample(kube, pods, first, options);
  const second = await scrapeAll(kube, pods, options);
  const series: SignalSeries[] = [];
  const raw: RawQuery[] = [];
  const notes: string[] = [];
  pods.forEach((pod, index) => {
    const a = first[index];
    const b = second[index];
    const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (!a || !b || 'error' in a || 'error' in b) {
      const error = (a && 'error' in a ? a.error : undefined) ?? (b && 'error' in b ? b.error : 'no answer');
      notes.push(`${name}: ${error}`);
      return;
    }
    const seconds = secondsBetween(a.sample, b.sample, (b.at - a.at) / 1000);
    const rates = ratesBetween(a.sample, b.sample, seconds);
    if (!rates) return;
    raw.push({ name, query: a.path, result: { first: summary(a.sample), second: summary(b.sample), seconds } });
    const target = { namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name };
    const baseline = averageRateSinceStart(a.sample, a.at);
    const started = a.sample.startedMs;
    series.push(
      {
        query: 'requests',
        target,
        now: rates.requests,
        ...(baseline === undefined ? {} : { baseline }),
        ...(started === undefined ? {} : { startedMs: started }),
        points: [],
      },
      { query: 'errors', target, now: rates.errors, points: [] },
      { query: 'latency', target, points: [], buckets: rates.buckets },
    );
  });
  if (series.length === 0 && notes.length)
    throw new Error(`none of ${pods.length} pods could be scraped (${notes[0]})`);
  return {
    source: { kind: 'scrape', name: `${pods.length} pod${pods.length === 1 ? '' : 's'}`, profiles: ['client-library'] },
    windowMs: options.sampleMs,
    atMs: options.now(),
    hasBaseline: false,
    series,
    raw,
    ...(notes.length ? { notes } : {}),
    sampledFrom: serving.map((pod) => ({
      target: { namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name },
      ...startedOf(pod),
    })),
  };
}

/** When the pod's processes last started (its newest running container), as its own metric would say. */
function startedOf(pod: Pod): { startedMs?: number } {
  const starts = (pod.status?.containerStatuses ?? [])
    .map((status) => Date.parse(status.state?.running?.startedAt ?? ''))
    .filter((ms) => Number.isFinite(ms));
  const started = starts.length ? Math.max(...starts) : Date.parse(pod.status?.startTime ?? '');
  return Number.isFinite(started) ? { startedMs: started } : {};
}

type Scraped = { sample: TrafficSample; at: number; path: string } | { error: string };

/**
 * Waits `sampleMs` by the pods' own clock when they stamp their samples (a simulated cluster's clock
 * may run faster than the scraper's): a short pause, one pod scraped again to see how far its clock
 * moved, then the rest at that pace, never longer than `sampleMs` in all. Unstamped: `sampleMs`.
 */
async function pauseForSample(
  kube: KubeAccess,
  pods: readonly Pod[],
  first: readonly (Scraped | undefined)[],
  options: PodScrapeOptions,
): Promise<void> {
  const index = first.findIndex((s) => s !== undefined && 'sample' in s && s.sample.stampMs !== undefined);
  const probe = first[index];
  if (!probe || 'error' in probe || options.sampleMs <= PROBE_MS) return options.sleep(options.sampleMs);
  await options.sleep(PROBE_MS);
  const again = await scrapeOne(kube, pods[index] as Pod, options);
  const localMs = options.now() - probe.at;
  const left = Math.max(0, options.sampleMs - localMs);
  if ('error' in again) return options.sleep(left);
  const podMs = (again.sample.stampMs ?? 0) - (probe.sample.stampMs ?? 0);
  const pace = podMs / Math.max(1, again.at - probe.at);
  if (!(pace > 0)) return options.sleep(left);
  return options.sleep(Math.min(left, Math.max(0, (options.sampleMs - podMs) / pace)));
}

async function scrapeAll(
  kube: KubeAccess,
  pods: readonly Pod[],
  options: PodScrapeOptions,
): Promise<(Scraped | undefined)[]> {
  const results: (Scraped | undefined)[] = new Array(pods.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < pods.length; index = next++) {
      const pod = pods[index] as Pod;
      results[index] = await scrapeOne(kube, pod, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pods.length) }, worker));
  return results;
}

async function scrapeOne(kube: KubeAccess, pod: Pod, options: PodScrapeOptions): Promise<Scraped> {
  const annotations = pod.metadata.annotations ?? {};
  const port = annotations[PORT];
  const path = `/${(annotations[PATH] ?? '/metrics').replace(/^\/+/, '')}`;
  const target = encodeURIComponent(port ? `${pod.metadata.name}:${port}` : pod.metadata.name);
  const url = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? 'default')}/pods/${target}/proxy${path}`;
  try {
    const text = await kube.request<string>({ method: 'GET', path: url, text: true, timeoutMs: options.timeoutMs });
    const sample = readTrafficSample(text);
    return sample
      ? { sample, at: options.now(), path: url }
      : { error: 'no http_requests_total or http_request_duration_seconds' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function summary(sample: TrafficSample): Record<string, unknown> {
  return {
    requests: sample.requests,
    errors: sample.errors,
    buckets: Object.fromEntries([...sample.buckets].map(([le, count]) => [String(le), count])),
  };
}

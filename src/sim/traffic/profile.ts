/**
 * How a pod answers requests: its 5xx ratio and p99 latency, from its behaviour
 * (`sim.inc.dev/behavior`) and the annotations `sim.inc.dev/error-rate` / `sim.inc.dev/latency-ms`,
 * and slower when its CPU runs near its limit (as a saturated process queues requests).
 */
import type { SimObject } from '../cluster-state.js';
import { podBehavior } from '../controllers/util.js';

export const ERROR_RATE_ANNOTATION = 'sim.inc.dev/error-rate';
export const LATENCY_ANNOTATION = 'sim.inc.dev/latency-ms';
export const REQUEST_RATE_ANNOTATION = 'sim.inc.dev/request-rate';

/** A healthy service still fails a few requests in a thousand and answers within ~150 ms at p99. */
export const BASELINE_ERROR_RATIO = 0.002;
export const BASELINE_P99_MS = 150;
/** Defaults of the `errors` and `slow` behaviours. */
export const ERRORS_DEFAULT_RATIO = 0.3;
export const SLOW_DEFAULT_P99_MS = 1500;
/** Requests per second a Service receives when neither its annotation nor the scenario says otherwise. */
export const DEFAULT_REQUEST_RATE = 20;

/** CPU use, as a share of the limit, above which latency starts to climb; at the limit it is ten times. */
const SATURATION_KNEE = 0.8;
const SATURATED_SLOWDOWN = 10;

export interface TrafficProfile {
  /** Share of requests answered with a 5xx, 0–1. */
  errorRatio: number;
  p99Seconds: number;
}

/**
 * The pod's traffic profile. `cpuOfLimit` is its CPU use as a share of its CPU limit (undefined
 * without a limit): past 80 % latency climbs, to ten times at the limit.
 */
export function trafficProfile(pod: SimObject, cpuOfLimit?: number): TrafficProfile {
  const annotations = pod.metadata.annotations ?? {};
  const behavior = podBehavior(pod);
  const errorRatio = annotationNumber(annotations[ERROR_RATE_ANNOTATION], 0, 1);
  const latencyMs = annotationNumber(annotations[LATENCY_ANNOTATION], 1, Number.POSITIVE_INFINITY);
  const p99Ms = latencyMs ?? (behavior === 'slow' ? SLOW_DEFAULT_P99_MS : BASELINE_P99_MS);
  return {
    errorRatio: errorRatio ?? (behavior === 'errors' ? ERRORS_DEFAULT_RATIO : BASELINE_ERROR_RATIO),
    p99Seconds: (p99Ms * saturationSlowdown(cpuOfLimit)) / 1000,
  };
}

/** 1 below the knee, rising quadratically to SATURATED_SLOWDOWN at (and past) the limit. */
export function saturationSlowdown(cpuOfLimit: number | undefined): number {
  if (cpuOfLimit === undefined || !(cpuOfLimit > SATURATION_KNEE)) return 1;
  const over = (Math.min(cpuOfLimit, 1) - SATURATION_KNEE) / (1 - SATURATION_KNEE);
  return 1 + (SATURATED_SLOWDOWN - 1) * over * over;
}

/** A scenario's `traffic:` field: requests per second by Service (`namespace/name`), and for the others. */
export interface TrafficRates {
  defaultRate?: number;
  services?: Readonly<Record<string, number>>;
}

/** A Service's request rate: its `sim.inc.dev/request-rate` annotation, else the scenario's, else 20/s. */
export function requestRate(service: SimObject, rates: TrafficRates = {}): number {
  const annotated = annotationNumber(
    service.metadata.annotations?.[REQUEST_RATE_ANNOTATION],
    0,
    Number.POSITIVE_INFINITY,
  );
  const key = `${service.metadata.namespace}/${service.metadata.name}`;
  return annotated ?? rates.services?.[key] ?? rates.defaultRate ?? DEFAULT_REQUEST_RATE;
}

function annotationNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

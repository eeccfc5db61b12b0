import type { ObjectRef } from '../types.js';

/** The queries of a signal profile: request rate, 5xx rate and p99 latency. */
export const SIGNAL_QUERIES = ['requests', 'errors', 'latency'] as const;
export type SignalQuery = (typeof SIGNAL_QUERIES)[number];

/** A point of a series: [milliseconds since the epoch, value]. */
export type Point = [number, number];

/** What a series is about, from its labels: a Service, a pod, or a workload by name. */
export interface SeriesTarget {
  namespace: string;
  service?: string;
  pod?: string;
  workload?: string;
}

/**
 * One series of one signal query. Prometheus gives `now` (over the window), `baseline` (the hour
 * before) and `points` (the last 30 minutes); a direct scrape gives `now` (and, for requests, the
 * average since the pod started as `baseline`), and for latency the
 * per-second increase of each histogram bucket, so pods of one workload can be added up first.
 */
export interface SignalSeries {
  query: SignalQuery;
  target: SeriesTarget;
  /** The profile that produced it: a workload measured by two (client library and Istio) keeps the first. */
  profile?: string;
  now?: number;
  baseline?: number;
  /**
   * A pod scraped directly: when its process started (ms). Its baseline is its average since then,
   * and a pod started later has averaged over a later span (see `workloadSignals`).
   */
  startedMs?: number;
  points: Point[];
  /**
   * Points before this are rated over a window that reaches before the series' first sample (a
   * Prometheus younger than the history): a fraction of the rate. A ratio of two of them is right.
   */
  wholeFromMs?: number;
  /** Cumulative bucket rates [upper bound, rate], for a quantile over several pods. */
  buckets?: Point[];
}

/** Where the figures came from, said in the report. */
export interface SignalsSourceInfo {
  kind: 'prometheus' | 'discovered' | 'scrape';
  /** The URL, the Service (namespace/name:port) or "N pods". */
  name: string;
  /** The signal profiles that answered. */
  profiles: string[];
}

/** A raw query and its answer, kept in the evidence. */
export interface RawQuery {
  name: string;
  query: string;
  result: unknown;
}

/** What a signals source returns: normalised series plus the raw answers for the evidence. */
export interface SignalsData {
  source: SignalsSourceInfo;
  /** The "now" window actually measured, ms. */
  windowMs: number;
  /** When "now" is (ms); points end here. */
  atMs: number;
  /**
   * True when every figure has a baseline (Prometheus, the hour before); a direct scrape has only the
   * request rate's (each pod's average since it started).
   */
  hasBaseline: boolean;
  series: SignalSeries[];
  raw: RawQuery[];
  /** Why some targets could not be measured (scrape failures), for the evidence. */
  notes?: string[];
  /**
   * A direct scrape: every pod serving that could have been scraped, sampled or not (a workload's
   * pods are sampled), so that its request rate is the whole workload's, not the sample's.
   */
  sampledFrom?: { target: { namespace: string; pod: string }; startedMs?: number }[];
}

/** One figure of a workload: now, before, and the recent points. */
export interface Figure {
  now?: number;
  baseline?: number;
  points: Point[];
}

/** The golden signals of one workload. Latency is p99 in seconds; the error ratio is 5xx / all. */
export interface WorkloadSignals {
  workload: ObjectRef;
  /** How the series reached the workload: "service payments/api", "2 pods". */
  via: string;
  requestRate: Figure;
  errorRatio: Figure;
  p99Seconds: Figure;
}

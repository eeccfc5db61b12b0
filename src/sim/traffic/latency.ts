/**
 * Request latency as a histogram: a log-normal distribution with the wanted p99, turned into the
 * cumulative share of requests at or under each bucket bound. The bucket holding the p99 is adjusted
 * so that Prometheus' `histogram_quantile(0.99, …)`, which interpolates linearly inside a bucket,
 * reads the wanted p99 back exactly.
 */

/** prom-client's default buckets, in seconds (the client-library convention). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Spread of the log-normal: the p99 is about 3.2 × the median. */
const SIGMA = 0.5;
const Z99 = 2.3263478740408408;

export interface LatencyDistribution {
  /** Share of requests at or under each of LATENCY_BUCKETS (non-decreasing, ≤ 1). */
  cumulative: number[];
  /** Mean latency in seconds (for the histogram's `_sum`). */
  meanSeconds: number;
}

/**
 * The distribution whose histogram reads `p99Seconds` as its 0.99 quantile, clamped to the range a
 * histogram with these buckets can express (from the first bucket's bound to the last one's).
 */
export function latencyDistribution(p99Seconds: number): LatencyDistribution {
  const top = LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1]!;
  const p99 = Math.min(Math.max(p99Seconds, LATENCY_BUCKETS[0]), top);
  const median = p99 / Math.exp(Z99 * SIGMA);
  const cdf = (x: number) => normalCdf(Math.log(x / median) / SIGMA);
  const cumulative = LATENCY_BUCKETS.map(cdf);
  const k = LATENCY_BUCKETS.findIndex((bound) => bound >= p99);
  const lo = k === 0 ? 0 : LATENCY_BUCKETS[k - 1]!;
  const hi = LATENCY_BUCKETS[k]!;
  const below = k === 0 ? 0 : cumulative[k - 1]!;
  // Linear interpolation inside (lo, hi]: lo + (hi − lo)·(0.99 − below)/(atHi − below) must equal p99.
  let atHi = below + ((0.99 - below) * (hi - lo)) / (p99 - lo);
  let atLo = below;
  if (atHi > 1) {
    atHi = 1;
    atLo = (0.99 * (hi - lo) - (p99 - lo)) / (hi - p99);
  }
  for (let i = 0; i < cumulative.length; i++) {
    if (i < k - 1) cumulative[i] = Math.min(cumulative[i]!, atLo);
    else if (i === k - 1) cumulative[i] = atLo;
    else if (i === k) cumulative[i] = atHi;
    else cumulative[i] = Math.max(cumulative[i]!, atHi);
  }
  return { cumulative, meanSeconds: median * Math.exp((SIGMA * SIGMA) / 2) };
}

/** The standard normal CDF, from erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

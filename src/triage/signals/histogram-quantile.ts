/**
 * The q-quantile of a cumulative histogram, as PromQL's histogram_quantile computes it: find the
 * bucket holding the rank and interpolate linearly inside it; a rank in the +Inf bucket is the
 * highest finite bound. Buckets are [upper bound, cumulative count]; undefined when there is no data.
 */
export function histogramQuantile(q: number, buckets: readonly [number, number][]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const last = sorted.at(-1);
  if (!last || last[0] !== Number.POSITIVE_INFINITY || sorted.length < 2) return undefined;
  const total = last[1];
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return previousBound;
      // The first bucket's lower bound is 0 when its upper bound is positive (latencies are).
      const lower = previousBound === 0 && bound <= 0 ? bound : previousBound;
      if (count === previousCount) return bound;
      return lower + (bound - lower) * ((rank - previousCount) / (count - previousCount));
    }
    previousBound = bound;
    previousCount = count;
  }
  return previousBound;
}

import type { Figure, SignalSeries } from './signal-types.js';

/** A pod serving the workload, read or not, and when its processes started. */
export interface ServingPod {
  startedMs?: number;
}

/**
 * A direct scrape reads at most ten pods of a workload: their request rate is the sample's, 33/s of
 * twelve pods serving 40/s. Every pod behind one Service takes about the same share, so the rate is
 * the sample's times the pods it stands for: now, over the pods serving; the baseline, over the pods
 * serving since before the last scale-up (the only ones it counts, see baselineBeforeScaleUp). A
 * ratio needs none of this: the sample's ratio is the workload's.
 */
export function wholeWorkloadRate(
  figure: Figure,
  requests: readonly SignalSeries[],
  serving: readonly ServingPod[],
  scaledUpAt: number | undefined,
): Figure & { read?: { pods: number; of: number } } {
  const read = requests.filter((s) => s.now !== undefined && Number.isFinite(s.now)).length;
  if (serving.length <= read || read === 0) return figure;
  const before = (startedMs: number | undefined) =>
    scaledUpAt === undefined || startedMs === undefined || startedMs < scaledUpAt;
  const counted = requests.filter(
    (s) => s.baseline !== undefined && Number.isFinite(s.baseline) && before(s.startedMs),
  ).length;
  const servedBefore = serving.filter((pod) => before(pod.startedMs)).length;
  const scaled: Figure = {
    ...figure,
    now: figure.now === undefined ? undefined : (figure.now * serving.length) / read,
  };
  if (figure.baseline !== undefined && counted > 0 && servedBefore > counted)
    scaled.baseline = (figure.baseline * servedBefore) / counted;
  return { ...scaled, read: { pods: read, of: serving.length } };
}

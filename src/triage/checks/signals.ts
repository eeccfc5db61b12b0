import { evaluateSignals } from '../signals/evaluate-signals.js';
import type { Check } from './check.js';

/**
 * The golden signals per workload (request rate, 5xx ratio, p99) against their baseline, from
 * Prometheus or a direct scrape of the pods; the figures are fetched beside the snapshot.
 */
export const signalsCheck: Check = {
  name: 'signals',
  needs: ['services', 'pods'],
  requires: ['pods'],
  run(context) {
    const signals = context.signals;
    if (!signals) return { findings: [] };
    return { findings: evaluateSignals(signals.workloads, signals.data, signals.thresholds) };
  },
};

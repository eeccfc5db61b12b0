import { describe, expect, it } from 'vitest';
import { historyTargets } from '../../../../src/triage/signals/history-targets.js';
import { DEFAULT_THRESHOLDS } from '../../../../src/triage/signals/signal-thresholds.js';
import type { SignalQuery, SignalSeries } from '../../../../src/triage/signals/signal-types.js';

function service(
  name: string,
  figures: Partial<Record<SignalQuery, [now: number, baseline?: number]>>,
  namespace = 'shop',
): SignalSeries[] {
  return (Object.entries(figures) as [SignalQuery, [number, number?]][]).map(([query, [now, baseline]]) => ({
    query,
    target: { namespace, service: name },
    profile: 'client-library',
    now,
    ...(baseline === undefined ? {} : { baseline }),
    points: [],
  }));
}

const names = (chosen: ReturnType<typeof historyTargets>) => chosen.map((c) => c.target.service).sort();

describe('the targets whose last 30 minutes are asked for', () => {
  it('are the worst few by 5xx ratio, then p99, among those with traffic', () => {
    const series = [
      ...service('a', { requests: [20, 20], errors: [0.04, 0.04], latency: [0.1, 0.1] }),
      ...service('b', { requests: [20, 20], errors: [0.02, 0.02], latency: [0.3, 0.3] }),
      ...service('c', { requests: [20, 20], errors: [0.02, 0.02], latency: [0.2, 0.2] }),
      ...service('d', { requests: [20, 20], errors: [0, 0], latency: [0.1, 0.1] }),
      ...service('idle', { requests: [0], errors: [0] }),
    ];
    expect(names(historyTargets(series, DEFAULT_THRESHOLDS, 3))).toEqual(['a', 'b', 'c']);
  });

  it('include every target that crosses a threshold, however many', () => {
    const series = [
      ...service('quiet-1', { requests: [20, 20], errors: [0, 0] }),
      ...service('quiet-2', { requests: [20, 20], errors: [0, 0] }),
      // 5xx at 30 %, p99 ten times its baseline, traffic gone: each its own reason.
      ...service('errors', { requests: [20, 20], errors: [6, 0.04] }, 'payments'),
      ...service('slow', { requests: [20, 20], errors: [0, 0], latency: [1.5, 0.15] }),
      ...service('cut-off', { requests: [0, 20], errors: [0, 0] }),
    ];
    expect(names(historyTargets(series, DEFAULT_THRESHOLDS, 1))).toEqual(['cut-off', 'errors', 'slow']);
  });
});

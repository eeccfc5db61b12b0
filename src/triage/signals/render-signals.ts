import { describeRef } from '../owners.js';
import type { SignalsReport } from '../types.js';
import { formatLatency, formatRate, formatRatio } from './format-signals.js';
import { sparkline } from './sparkline.js';

const MAX_SHOWN = 8;

/**
 * The signals table of the text report: the workloads with the worst 5xx ratio first, each with
 * its figures (baseline in brackets) and the 5xx ratio's last 30 minutes as a sparkline.
 */
export function renderSignalsLines(signals: SignalsReport, dim: (text: string) => string): string[] {
  const rows = [...signals.workloads]
    .filter((w) => (w.requestRate.now ?? 0) > 0)
    .sort(
      (a, b) => (b.errorRatio.now ?? 0) - (a.errorRatio.now ?? 0) || (b.p99Seconds.now ?? 0) - (a.p99Seconds.now ?? 0),
    );
  const lines = [dim(`${describeSignalsSource(signals)}, last ${signals.windowSeconds} s (baseline in brackets)`)];
  if (rows.length === 0) lines.push(dim('  no traffic measured'));
  const names = rows.slice(0, MAX_SHOWN).map((w) => describeRef(w.workload));
  const width = Math.max(0, ...names.map((name) => name.length));
  rows.slice(0, MAX_SHOWN).forEach((w, index) => {
    const cell = (now: number | undefined, baseline: number | undefined, format: (v: number) => string) =>
      now === undefined ? '-' : `${format(now)}${baseline === undefined ? '' : ` (${format(baseline)})`}`;
    const spark = sparkline(w.errorRatio.points.map((p) => p.value));
    lines.push(
      `  ${(names[index] ?? '').padEnd(width)}  ${cell(w.requestRate.now, w.requestRate.baseline, formatRate)}  5xx ${cell(
        w.errorRatio.now,
        w.errorRatio.baseline,
        formatRatio,
      )}  p99 ${cell(w.p99Seconds.now, w.p99Seconds.baseline, formatLatency)}${spark ? `  ${spark}` : ''}`,
    );
  });
  if (rows.length > MAX_SHOWN) lines.push(dim(`  … and ${rows.length - MAX_SHOWN} more (-o json shows all)`));
  return lines;
}

export function describeSignalsSource(signals: Pick<SignalsReport, 'source'>): string {
  const { kind, name } = signals.source;
  if (kind === 'scrape') return `scraped from ${name}`;
  if (kind === 'discovered') return `from Prometheus ${name} (found in the cluster)`;
  return `from Prometheus ${name}`;
}

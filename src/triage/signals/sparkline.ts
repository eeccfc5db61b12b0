const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A one-line chart of values, oldest first, squeezed to `width` characters by averaging
 * neighbours. The scale starts at zero so a flat low line reads low, not mid-height.
 */
export function sparkline(values: readonly number[], width = 30): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return '';
  const buckets = squeeze(finite, Math.max(1, width));
  const max = Math.max(...buckets);
  if (max <= 0) return BARS[0]?.repeat(buckets.length) ?? '';
  return buckets
    .map((value) => BARS[Math.min(BARS.length - 1, Math.round((value / max) * (BARS.length - 1)))] ?? '')
    .join('');
}

function squeeze(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i += 1) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / width));
    const slice = values.slice(from, to);
    out.push(slice.reduce((sum, value) => sum + value, 0) / slice.length);
  }
  return out;
}

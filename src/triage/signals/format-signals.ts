/** Figures as people read them in a report: "18 %", "0.2 %", "148 ms", "1.52 s", "20.1/s". */
export function formatRatio(ratio: number): string {
  const percent = ratio * 100;
  if (percent === 0) return '0 %';
  if (percent < 1) return `${percent.toFixed(percent < 0.1 ? 2 : 1)} %`;
  if (percent < 10) return `${percent.toFixed(1)} %`;
  return `${Math.round(percent)} %`;
}

export function formatLatency(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

/** "23:11:40" (UTC). */
export function formatClockSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

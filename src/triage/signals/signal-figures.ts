import { formatLatency, formatRate, formatRatio } from './format-signals.js';

/**
 * The figures a signal finding is about: the finding's reason, the figure it reads, how people
 * read it, and which way it is off while the finding lasts.
 */
export const SIGNAL_FIGURES = [
  { reason: 'HighErrorRate', figure: 'errorRatio', label: '5xx ratio', format: formatRatio, off: 'above' },
  { reason: 'HighLatency', figure: 'p99Seconds', label: 'p99 latency', format: formatLatency, off: 'above' },
  { reason: 'TrafficDrop', figure: 'requestRate', label: 'request rate', format: formatRate, off: 'below' },
] as const;

export type SignalFigure = (typeof SIGNAL_FIGURES)[number];

/** What users see, as signal findings measure it: the reasons `inc resolve` measures again. */
export const IMPACT_REASONS: readonly string[] = SIGNAL_FIGURES.map((s) => s.reason);

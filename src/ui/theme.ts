import type { ChalkInstance } from 'chalk';
import { makeChalk } from './color.js';
import { sanitizeUntrusted } from './sanitize.js';
import { markOwnSequences } from './terminal-text.js';

export type SeverityLevel = 'critical' | 'warning' | 'info';

/** The semantic palette commands use; never raw chalk in a command. */
export interface Theme {
  readonly enabled: boolean;
  severity(level: SeverityLevel, text?: string): string;
  error(text: string): string;
  warn(text: string): string;
  ok(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  cmd(text: string): string;
  heading(text: string): string;
  accent(text: string): string;
}

/**
 * The text is sanitised before it is coloured, and the colours are marked as inc's own, so the output
 * port keeps them while it strips every escape sequence that came in with untrusted text.
 */
export function createTheme(useColor: boolean): Theme {
  const c: ChalkInstance = makeChalk(useColor);
  const paint =
    (style: (s: string) => string) =>
    (text: string): string =>
      markOwnSequences(style(sanitizeUntrusted(text)));
  const severityColor: Record<SeverityLevel, (s: string) => string> = {
    critical: paint((s) => c.red.bold(s)),
    warning: paint((s) => c.yellow(s)),
    info: paint((s) => c.cyan(s)),
  };
  return {
    enabled: useColor,
    severity: (level, text = level) => severityColor[level](text),
    error: paint((text) => c.red(text)),
    warn: paint((text) => c.yellow(text)),
    ok: paint((text) => c.green(text)),
    dim: paint((text) => c.dim(text)),
    bold: paint((text) => c.bold(text)),
    cmd: paint((text) => c.cyan(text)),
    heading: paint((text) => c.bold.underline(text)),
    accent: paint((text) => c.magenta(text)),
  };
}

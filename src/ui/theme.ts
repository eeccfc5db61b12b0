import type { ChalkInstance } from 'chalk';
import { makeChalk } from './color.js';

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

export function createTheme(useColor: boolean): Theme {
  const c: ChalkInstance = makeChalk(useColor);
  const severityColor: Record<SeverityLevel, (s: string) => string> = {
    critical: (s) => c.red.bold(s),
    warning: (s) => c.yellow(s),
    info: (s) => c.cyan(s),
  };
  return {
    enabled: useColor,
    severity: (level, text = level) => severityColor[level](text),
    error: (text) => c.red(text),
    warn: (text) => c.yellow(text),
    ok: (text) => c.green(text),
    dim: (text) => c.dim(text),
    bold: (text) => c.bold(text),
    cmd: (text) => c.cyan(text),
    heading: (text) => c.bold.underline(text),
    accent: (text) => c.magenta(text),
  };
}

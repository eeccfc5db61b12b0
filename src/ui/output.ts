import { toTerminal } from './terminal-text.js';

/**
 * Where a command writes: stdout carries only the result; everything else goes to stderr. Every write
 * passes `toTerminal`: control sequences that are not inc's own are stripped and secrets redacted.
 */
export interface Output {
  /** Writes result text to stdout (a newline is added unless the text ends with one). */
  out(text: string): void;
  /** Writes progress, warnings, hints and prompts to stderr. */
  err(text: string): void;
}

export interface WritableLike {
  write(chunk: string): unknown;
}

export function streamOutput(stdout: WritableLike, stderr: WritableLike): Output {
  const line = (text: string) => withNewline(toTerminal(text));
  return {
    out: (text) => void stdout.write(line(text)),
    err: (text) => void stderr.write(line(text)),
  };
}

/** Collects output in memory, through the same sanitising and redaction; for command tests. */
export class SpyOutput implements Output {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += withNewline(toTerminal(text));
  }
  err(text: string): void {
    this.stderr += withNewline(toTerminal(text));
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

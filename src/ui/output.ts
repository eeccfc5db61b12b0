/** Where a command writes: stdout carries only the result; everything else goes to stderr. */
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
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    out: (text) => void stdout.write(line(text)),
    err: (text) => void stderr.write(line(text)),
  };
}

/** Collects output in memory; for command tests. */
export class SpyOutput implements Output {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += text.endsWith('\n') ? text : `${text}\n`;
  }
  err(text: string): void {
    this.stderr += text.endsWith('\n') ? text : `${text}\n`;
  }
}

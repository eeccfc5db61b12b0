import cliTruncate from 'cli-truncate';

/**
 * A spinner's running text kept to one line of the terminal. ora redraws by erasing the lines it
 * wrote; a text the terminal wrapped took more lines than it erases, and the line above was lost.
 */
export function spinnerLine(text: string, stream: NodeJS.WritableStream): string {
  const columns = (stream as { columns?: number }).columns ?? 80;
  // The spinner's frame and its space take two columns; the last column is left free, as a write to
  // it wraps on some terminals.
  return cliTruncate(text.replace(/\s*\n\s*/g, ' '), Math.max(10, columns - 3));
}

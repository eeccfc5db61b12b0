/**
 * True when a stream can show a spinner: a terminal with a known width. A pseudo-terminal without
 * a size (columns 0) makes a spinner's redraw loop forever, so it gets plain lines instead.
 */
export function canAnimate(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  const tty = stream as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  return Boolean(tty.isTTY) && (tty.columns ?? 0) > 0 && env.CI === undefined && env.TERM !== 'dumb';
}

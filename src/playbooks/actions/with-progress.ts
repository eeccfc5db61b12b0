import type { ActionContext } from '../action-types.js';

/**
 * Runs a bounded wait (rollout, scale, Argo CD sync) behind a progress line: its status updates
 * the line, and the line ends with the outcome, success or failure.
 */
export async function withProgress(
  ctx: ActionContext,
  title: string,
  wait: (onStatus: (text: string) => void) => Promise<string>,
): Promise<string> {
  const progress = ctx.progress(title);
  try {
    const done = await wait((text) => progress.update(text));
    progress.succeed(done);
    return done;
  } catch (error) {
    progress.fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

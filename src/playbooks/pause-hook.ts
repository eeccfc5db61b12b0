import { existsSync, writeFileSync } from 'node:fs';
import { type Clock, pollUntil } from '../clock.js';
import { InterruptedError } from '../errors.js';

/**
 * A deterministic window between the dry run and the apply, for tests of concurrent changes:
 * with INC_TEST_PAUSE_BEFORE_APPLY=PATH, the run writes PATH.waiting (naming the step) and
 * waits (at most 30 s) until PATH.go exists. Ctrl-C ends the wait; the run then stops by itself.
 */
export function pauseHookFromEnv(
  env: NodeJS.ProcessEnv,
  clock: Clock,
  signal: AbortSignal,
): ((step: { id: string }) => Promise<void>) | undefined {
  const path = env.INC_TEST_PAUSE_BEFORE_APPLY;
  if (!path) return undefined;
  return async (step) => {
    writeFileSync(`${path}.waiting`, step.id);
    try {
      await pollUntil(clock, signal, 30_000, () => existsSync(`${path}.go`) || undefined, 25);
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
    }
  };
}

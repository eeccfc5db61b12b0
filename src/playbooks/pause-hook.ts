import { existsSync, writeFileSync } from 'node:fs';

/**
 * A deterministic window between the dry run and the apply, for tests of concurrent changes:
 * with INC_TEST_PAUSE_BEFORE_APPLY=PATH, the run writes PATH.waiting (naming the step) and
 * waits (at most 30 s) until PATH.go exists.
 */
export function pauseHookFromEnv(
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): ((step: { id: string }) => Promise<void>) | undefined {
  const path = env.INC_TEST_PAUSE_BEFORE_APPLY;
  if (!path) return undefined;
  return async (step) => {
    writeFileSync(`${path}.waiting`, step.id);
    const deadline = Date.now() + 30_000;
    while (!existsSync(`${path}.go`) && Date.now() < deadline && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
}

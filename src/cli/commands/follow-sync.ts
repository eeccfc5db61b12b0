import { sleepUnlessAborted } from '../../clock.js';
import type { CommandEnv } from '../context.js';

/**
 * Syncs every `intervalMs` until the signal aborts, so `inc log --follow` shows teammates' events as
 * they arrive (the follow reads them from events.jsonl, where the pull appends them). A failed
 * round is said once per reason and retried at the next tick.
 */
export async function syncWhileFollowing(env: CommandEnv, intervalMs: number, signal: AbortSignal): Promise<void> {
  const { loadConfig } = await import('../../config.js');
  const { syncNow } = await import('../../incident/sync/sync-session.js');
  const { tellUntoldRenames } = await import('./sync-output.js');
  const { actorFrom, incHome } = await import('../../incident/paths.js');
  const config = loadConfig(env.env);
  const options = {
    home: incHome(env.env),
    remote: config.sync.remote,
    env: env.env,
    clock: env.clock,
    signal,
    actor: actorFrom(env.env),
    pid: process.pid,
    maxFileBytes: config.sync.maxFileBytes,
    timeoutMs: Math.max(intervalMs, 5_000),
  };
  const told = new Set<string>();
  do {
    try {
      const result = await syncNow(options, intervalMs);
      told.clear();
      for (const warning of result.warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
      if (result.renamed.length > 0) await tellUntoldRenames(env.output, env.errTheme, options.home, env.clock);
    } catch (error) {
      if (signal.aborted) return;
      const message = (error as Error).message;
      if (!told.has(message)) env.output.err(env.errTheme.warn(`sync: ${message}`));
      told.add(message);
    }
  } while (await sleepUnlessAborted(env.clock, intervalMs, signal));
}

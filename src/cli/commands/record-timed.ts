import type { EventType } from '../../incident/event.js';
import type { IncidentLog, RecordOutcome, WriteContext } from '../../incident/log.js';
import type { CommandEnv } from '../context.js';

/**
 * What `inc ack`, `inc mitigated`, `inc impact` and `inc resolve` share: parse `--at` (or `option`), open the incident log for
 * writing, record through `apply`, then print the log's warnings and the outcome.
 */
export async function recordTimed<T extends EventType>(
  env: CommandEnv,
  what: string,
  atText: string | undefined,
  apply: (log: IncidentLog, write: WriteContext, at: Date | undefined) => Promise<RecordOutcome<T>>,
  option = '--at',
): Promise<RecordOutcome<T>> {
  // Time parsing (chrono) loads only when a time is given, so the plain command stays quick.
  const at = atText
    ? (await import('../../time-input.js')).parseTimeInput(atText, env.clock, { what: option })
    : undefined;
  const { openForCommand } = await import('../../incident/open-for-command.js');
  const { log, ctx: write } = await openForCommand({
    env: env.env,
    clock: env.clock,
    incident: env.globals.incident,
    what,
    write: true,
  });
  const outcome = await apply(log, write, at);
  const { printLogWarnings, printOutcome } = await import('./incident-output.js');
  printLogWarnings(env, log.warnings);
  printOutcome(env, log.id, outcome);
  return outcome;
}

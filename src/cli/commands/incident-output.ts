import { clipEventTexts, STATUS_TEXT_COLUMNS } from '../../incident/clip-text.js';
import type { IncidentEvent } from '../../incident/event.js';
import type { OpenedIncident } from '../../incident/open-for-command.js';
import { renderRecorded } from '../../incident/render.js';
import type { CommandEnv } from '../context.js';

/** Opens `--incident ID` (or the current incident) with the config, as the incident commands do. */
export async function openIncidentFor(
  env: CommandEnv,
  what: string,
  write: boolean,
  incident = env.globals.incident,
): Promise<OpenedIncident> {
  const { openForCommand } = await import('../../incident/open-for-command.js');
  return openForCommand({ env: env.env, clock: env.clock, incident, what, write });
}

/** Shared by the incident commands: skipped-line warnings on stderr. */
export function printLogWarnings(env: CommandEnv, warnings: readonly string[]): void {
  for (const warning of warnings) env.output.err(env.errTheme.warn(`warning: ${warning}`));
}

/**
 * Prints what a recording command did: the event on stdout (JSON with -o json), or, when nothing
 * needed recording, why on stderr.
 */
export function printOutcome(
  env: CommandEnv,
  id: string,
  outcome: { kind: 'recorded'; event: object } | { kind: 'unchanged'; reason: string },
): void {
  if (outcome.kind === 'unchanged') {
    env.output.err(env.errTheme.dim(`${id}: nothing recorded: ${outcome.reason}`));
    if (env.globals.output === 'json') env.output.out(JSON.stringify({ id, recorded: false, reason: outcome.reason }));
    return;
  }
  if (env.globals.output === 'json') env.output.out(JSON.stringify({ id, recorded: true, event: outcome.event }));
  else {
    // The log keeps a pasted log whole; echoing it back would fill the screen.
    const logCommand = env.globals.incident ? `inc log --incident ${id}` : 'inc log';
    const event = clipEventTexts(outcome.event as IncidentEvent, STATUS_TEXT_COLUMNS, logCommand);
    env.output.out(renderRecorded(id, event));
  }
}

import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The environment variables inc reads; a plain record so tests pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `$INC_HOME`, else `$XDG_STATE_HOME/inc`, else `~/.local/state/inc`. */
export function incHome(env: Env): string {
  if (env.INC_HOME) return env.INC_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'inc');
  return join(env.HOME || homedir(), '.local', 'state', 'inc');
}

export function incidentsDir(home: string): string {
  return join(home, 'incidents');
}

export function incidentDir(home: string, id: string): string {
  return join(incidentsDir(home), id);
}

export function eventsFile(home: string, id: string): string {
  return join(incidentDir(home, id), 'events.jsonl');
}

export function evidenceDir(home: string, id: string): string {
  return join(incidentDir(home, id), 'evidence');
}

export function currentFile(home: string): string {
  return join(home, 'current');
}

/** Names the incident resolved last, which review commands (status, log, update, postmortem) still default to. */
export function lastResolvedFile(home: string): string {
  return join(home, 'last-resolved');
}

/** Who is acting: `INC_ACTOR`, else the login name. */
export function actorFrom(env: Env): string {
  return env.INC_ACTOR || env.USER || env.LOGNAME || env.USERNAME || loginName() || 'unknown';
}

function loginName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    // No passwd entry (some containers): the caller falls back to "unknown".
    return undefined;
  }
}

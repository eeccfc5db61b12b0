import type { Clock } from '../clock.js';
import { type IncConfig, loadConfig } from '../config.js';
import { type IncidentLog, openIncidentLog, type WriteContext } from './log.js';
import type { Env } from './paths.js';
import { assertWritable } from './store.js';

export interface OpenForCommandOptions {
  env: Env;
  clock: Clock;
  /** `--incident ID`. */
  incident?: string;
  /** The command, for the message when no incident is open: "inc note". */
  what: string;
  /** True for commands that append: a corrupt log is refused (exit 2) before anything else happens. */
  write: boolean;
}

export interface OpenedIncident {
  log: IncidentLog;
  ctx: WriteContext;
  config: IncConfig;
}

/** The usual start of an incident command: config, the incident log, and the context to write with. */
export async function openForCommand(options: OpenForCommandOptions): Promise<OpenedIncident> {
  const config = loadConfig(options.env);
  const log = await openIncidentLog({
    env: options.env,
    incident: options.incident,
    what: options.what,
    reading: !options.write,
  });
  if (options.write) assertWritable(log.file, { events: log.events, issues: log.issues, endsWithNewline: true });
  return {
    log,
    config,
    ctx: {
      env: options.env,
      clock: options.clock,
      severities: config.severities,
      timeBoxMinutes: config.timeBoxMinutes,
    },
  };
}

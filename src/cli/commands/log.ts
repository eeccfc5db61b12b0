import type { Command } from 'commander';
import { sleepUnlessAborted } from '../../clock.js';
import { UsageError } from '../../errors.js';
import { type CommandEnv, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface LogFlags {
  json?: boolean;
  follow?: boolean;
  since?: string;
  merge?: string;
  timeout?: string;
  sync?: string;
}

export const registerLogCommand: RegisterCommand = (program, ctx) => {
  program
    .command('log')
    .description('the incident timeline: local times and offsets from the declaration, or JSON lines')
    .option('--json', 'one JSON event per line (same as -o json)')
    .option('-f, --follow', 'keep printing new events until Ctrl-C (or --timeout)')
    .option('--timeout <duration>', 'with --follow: stop after this long (e.g. 30m)')
    .option('--sync <interval>', "with --follow: pull teammates' events (inc sync) this often, e.g. 10s")
    .option('--since <time>', 'only events since a duration ago (10m, 2h) or a time (14:02, ISO-8601)')
    .option('--merge <file>', "import a teammate's copy of events.jsonl: appends only the events missing here")
    .addHelpText(
      'after',
      `
Examples:
  inc log
  inc log --since 30m
  inc log --follow                              # on a second screen during the incident
  inc log --follow --sync 10s                   # teammates' events as they arrive (inc sync)
  inc log --json | jq -c 'select(.type=="action")'
  inc log -o markdown > timeline.md
  inc log --merge ~/Downloads/events.jsonl      # union by event id; nothing is rewritten`,
    )
    .action(async (flags: LogFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      if (flags.sync !== undefined && !flags.follow) {
        throw new UsageError('--sync works with --follow', {
          hint: 'inc log --follow --sync 10s (or run inc sync once)',
        });
      }
      // Checked before anything is printed: an error after the timeline would leave --timeout's timer running.
      const follow = flags.follow ? await followInputOf(env, flags) : undefined;
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const opened = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc log',
        write: Boolean(flags.merge),
      });
      const { printLogWarnings } = await import('./incident-output.js');
      printLogWarnings(env, opened.log.warnings);
      if (flags.merge) return mergeCopy(env, opened.log, flags.merge);
      await printTimeline(env, opened, flags, follow);
    });
};

type Opened = Awaited<ReturnType<typeof import('../../incident/open-for-command.js').openForCommand>>;

/** What `--follow` was given, parsed and checked. */
interface FollowInput {
  timeoutMs?: number;
  syncMs?: number;
}

async function followInputOf(env: CommandEnv, flags: LogFlags): Promise<FollowInput> {
  const { parseDuration } = await import('../../duration.js');
  const timeoutMs = flags.timeout ? parseDuration(flags.timeout, '--timeout') : undefined;
  if (flags.sync === undefined) return { timeoutMs };
  const syncMs = parseDuration(flags.sync, '--sync');
  const { loadConfig } = await import('../../config.js');
  if (!loadConfig(env.env).sync.remote) {
    const { NoSyncRemoteError } = await import('../../incident/sync/sync-errors.js');
    throw new NoSyncRemoteError();
  }
  return { timeoutMs, syncMs };
}

async function printTimeline(
  env: CommandEnv,
  opened: Opened,
  flags: LogFlags,
  follow: FollowInput | undefined,
): Promise<void> {
  const { stateOf } = await import('../../incident/log.js');
  const { renderTimeline, renderTimelineLine, renderTimelineMarkdown } = await import('../../incident/render.js');
  const { log, ctx: read } = opened;
  const json = flags.json || env.globals.output === 'json';
  const since = flags.since ? (await import('../../incident/since.js')).sinceTime(flags.since, env.clock) : undefined;
  const shown = log.events.filter((e) => !since || Date.parse(e.at) >= since.getTime());
  const state = stateOf(log, read);
  const view = since ? { ...state, impactStartGiven: false } : state;
  if (env.globals.output === 'markdown' && !flags.follow) {
    env.output.out(renderTimelineMarkdown(shown, view).join('\n'));
    return;
  }
  if (json) for (const event of shown) env.output.out(JSON.stringify(event));
  else if (shown.length) env.output.out(renderTimeline(shown, view, env.theme, { actionIds: true }).join('\n'));
  if (!follow) return;

  const { followLog } = await import('../../incident/follow.js');
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  env.signal.addEventListener('abort', onAbort, { once: true });
  // --timeout ends the follow as Ctrl-C would; the timer itself stops when the follow does.
  const timer = new AbortController();
  if (follow.timeoutMs !== undefined) {
    void sleepUnlessAborted(env.clock, follow.timeoutMs, timer.signal).then((elapsed) => elapsed && onAbort());
  }
  env.output.err(env.errTheme.dim(`following ${log.id}; Ctrl-C to stop`));
  let followedId = log.id;
  const { declaredIdIn } = await import('../../incident/incidents.js');
  const declaredId = declaredIdIn(log.events);
  const syncing = follow.syncMs !== undefined ? await startSyncing(env, follow.syncMs, stop.signal) : undefined;
  try {
    await followLog(log.file, {
      clock: env.clock,
      signal: stop.signal,
      intervalMs: 500,
      seen: new Set(log.events.map((e) => e.id)),
      onEvents: (events) => {
        for (const event of events) {
          env.output.out(json ? JSON.stringify(event) : renderTimelineLine(event, state.times.declaredAt, env.theme));
        }
      },
      onIssue: (issue) =>
        env.output.err(env.errTheme.warn(`warning: ${followedId}/events.jsonl line ${issue.line}: ${issue.message}`)),
      declaredId,
      relocate: async () => {
        const moved = await whereIncidentWent(env, followedId, declaredId);
        if (moved) followedId = moved.id;
        return moved?.file;
      },
    });
  } finally {
    // The follow may end on its own (its incident gone): the sync beside it ends with it.
    stop.abort();
    timer.abort();
    env.signal.removeEventListener('abort', onAbort);
    await syncing?.done;
  }
}

/** The followed incident after a sync renamed it (a teammate's incident took its id), said on stderr. */
async function whereIncidentWent(
  env: CommandEnv,
  id: string,
  declaredId: string | undefined,
): Promise<{ id: string; file: string } | undefined> {
  const { findIncidentByDeclaration } = await import('../../incident/incidents.js');
  const { eventsFile, incHome } = await import('../../incident/paths.js');
  const home = incHome(env.env);
  const moved = declaredId ? await findIncidentByDeclaration(home, declaredId) : undefined;
  if (!moved) {
    env.output.err(env.errTheme.warn(`${id} is no longer on this machine; stopped following`));
    return undefined;
  }
  env.output.err(env.errTheme.dim(`${id} is now ${moved} (a teammate's incident took its id); following ${moved}`));
  return { id: moved, file: eventsFile(home, moved) };
}

/** Starts the sync loop beside the follow; the returned promise (wrapped, so it is not awaited here) ends with it. */
async function startSyncing(
  env: CommandEnv,
  intervalMs: number,
  signal: AbortSignal,
): Promise<{ done: Promise<void> }> {
  const { syncWhileFollowing } = await import('./follow-sync.js');
  return { done: syncWhileFollowing(env, intervalMs, signal) };
}

async function mergeCopy(env: CommandEnv, log: Opened['log'], file: string): Promise<void> {
  const { mergeIncidentLog } = await import('../../incident/merge.js');
  const result = await mergeIncidentLog(log, file);
  for (const issue of result.skipped)
    env.output.err(env.errTheme.warn(`warning: ${file} line ${issue.line}: ${issue.message}`));
  if (env.globals.output === 'json') {
    env.output.out(JSON.stringify({ id: log.id, added: result.added.length, alreadyPresent: result.alreadyPresent }));
    return;
  }
  env.output.out(
    `${log.id}: merged ${result.added.length} new event${result.added.length === 1 ? '' : 's'} from ${file} (${result.alreadyPresent} already present)`,
  );
}

import { type Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { type CommandEnv, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface SyncFlags {
  remote?: string;
  auto?: string;
  background?: boolean;
}

/** A foreground sync waits this long for each git run; the background push much less (sync.backgroundTimeoutSeconds). */
const FOREGROUND_GIT_TIMEOUT_MS = 60_000;
/** A sync usually takes a second or two; past this, a silent remote is said to be one. */
const SLOW_AFTER_MS = 3_000;

export const registerSyncCommand: RegisterCommand = (program, ctx) => {
  program
    .command('sync')
    .description("share the timeline through a git remote: pull teammates' events, push this machine's")
    .option('--remote <url>', 'the shared git repository (kept in the config as sync.remote)')
    .addOption(
      new Option('--auto <on|off>', 'push every recorded event in the background (sync.auto)').choices(['on', 'off']),
    )
    .addOption(new Option('--background', 'the background push started after a command').hideHelp())
    .addHelpText(
      'after',
      `
Each responder's events go to their own file in the repository (incidents/ID/events/WRITER.jsonl),
so pushes never conflict; pulling appends what this machine lacks to its events.jsonl. Evidence and
postmortem.md travel too (up to sync.maxFileBytes). Credentials are git's own (SSH keys, helpers).
Two incidents declared under one id (same minute, same title): the one shared first keeps it, the
other is renamed to ID-2 on its machine and shared under that id; the sync says so.

Examples:
  inc sync --remote git@github.com:acme/incidents.git --auto on    # once per machine
  inc sync                                                          # pull and push now
  inc sync --remote /srv/git/incidents.git                          # a bare repository on a shared host
  inc list                                                          # teammates' incidents after a sync`,
    )
    .action(async (flags: SyncFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      const { loadConfig } = await import('../../config.js');
      // Refused before anything is saved: "sync.auto set to true" then "no sync remote" read as half done.
      if (flags.auto === 'on' && flags.remote === undefined && !loadConfig(env.env).sync.remote) {
        const { NoSyncRemoteError } = await import('../../incident/sync/sync-errors.js');
        throw new NoSyncRemoteError();
      }
      if (flags.remote !== undefined || flags.auto !== undefined) await saveSettings(env, flags);
      const config = loadConfig(env.env);
      const { syncInBackground, syncNow, takeUntoldRenames } = await import('../../incident/sync/sync-session.js');
      const { actorFrom, incHome } = await import('../../incident/paths.js');
      const options = {
        home: incHome(env.env),
        remote: config.sync.remote,
        env: env.env,
        clock: env.clock,
        signal: env.signal,
        actor: actorFrom(env.env),
        pid: process.pid,
        maxFileBytes: config.sync.maxFileBytes,
      };
      if (flags.background)
        return syncInBackground({ ...options, timeoutMs: config.sync.backgroundTimeoutSeconds * 1000 });
      if (!config.sync.remote) {
        const { NoSyncRemoteError } = await import('../../incident/sync/sync-errors.js');
        throw new NoSyncRemoteError();
      }
      const { startWaitIndicator } = await import('../../ui/wait-indicator.js');
      const waiting = await startWaitIndicator({
        output: env.output,
        theme: env.errTheme,
        text: `syncing with ${config.sync.remote}`,
        slowText: `no answer yet; each git run gives up after ${FOREGROUND_GIT_TIMEOUT_MS / 1000}s (Ctrl-C stops it, every event stays recorded here)`,
        slowAfterMs: SLOW_AFTER_MS,
        clock: env.clock,
      });
      const result = await syncNow({ ...options, timeoutMs: FOREGROUND_GIT_TIMEOUT_MS }).finally(() => waiting.stop());
      // Renames a background push made are told here too; this sync's own are among them.
      const untold = await takeUntoldRenames(options.home, process.pid, env.clock);
      const { printSyncResult } = await import('./sync-output.js');
      printSyncResult(env, result, untold.length > 0 ? untold : result.renamed);
    });
};

async function saveSettings(env: CommandEnv, flags: SyncFlags): Promise<void> {
  const { writeConfigValue } = await import('../../config-write.js');
  if (flags.remote !== undefined) {
    const remote = flags.remote.trim();
    // A remote starting with "-" would reach git as an option; a path may hold spaces (git is given
    // its arguments one by one), not line breaks or control characters.
    const control = [...remote].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    if (remote === '' || remote.startsWith('-') || control) {
      throw new UsageError(`"${flags.remote}" is not a git remote`, {
        hint: 'give a URL or path git can clone: git@host:team/incidents.git, https://…, /srv/git/incidents.git',
      });
    }
    const file = writeConfigValue(env.env, ['sync', 'remote'], remote);
    env.output.err(`sync.remote set to ${remote} in ${file}`);
  }
  if (flags.auto !== undefined) {
    const file = writeConfigValue(env.env, ['sync', 'auto'], flags.auto === 'on');
    env.output.err(`sync.auto set to ${flags.auto === 'on'} in ${file}`);
  }
}

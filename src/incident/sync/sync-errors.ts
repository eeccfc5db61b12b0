import { IncError, UsageError } from '../../errors.js';

/** The remote could not be reached or refused us; everything stays recorded here. */
export class SyncUnreachableError extends IncError {
  constructor(remote: string, detail: string) {
    super(`cannot sync with ${remote}: ${detail}; every event stays recorded here`, {
      code: 'SYNC_UNREACHABLE',
      hint: 'run inc sync again when the remote is reachable (git credentials: SSH keys or a credential helper)',
    });
  }
}

/** `inc sync` without a remote, in the flag or the config. */
export class NoSyncRemoteError extends UsageError {
  constructor() {
    super('no sync remote is configured', {
      code: 'NO_SYNC_REMOTE',
      hint: 'set one once with: inc sync --remote git@host:team/incidents.git (any git remote, a bare repository too)',
    });
  }
}

/** git itself is missing or failed where it should not. */
export class GitFailedError extends IncError {
  constructor(args: readonly string[], detail: string) {
    super(`git ${args.join(' ')} failed: ${detail}`, {
      code: 'GIT_FAILED',
      hint: 'inc sync needs git on the PATH; nothing recorded here was lost',
    });
  }
}

/** Another sync of this INC_HOME held the lock for longer than a foreground sync waits. */
export class SyncBusyError extends IncError {
  constructor() {
    super('another inc sync of this INC_HOME is still running', {
      code: 'SYNC_BUSY',
      hint: 'wait a moment and run inc sync again',
    });
  }
}

import { IncError, UsageError } from '../../errors.js';

/** The remote could not be reached or refused us; everything stays recorded here. */
export class SyncUnreachableError extends IncError {
  constructor(remote: string, detail: string) {
    super(`cannot sync with ${remote}: ${detail}; every event stays recorded here`, {
      code: 'SYNC_UNREACHABLE',
      hint: unreachableHint(remote, detail),
    });
  }
}

/** What to do next, from what git said: a wrong address, credentials, or a remote that is down. */
function unreachableHint(remote: string, detail: string): string {
  const check = `check with: git ls-remote ${remote}`;
  if (/does not appear to be a git repository|repository .*not found|not found|does not exist/i.test(detail)) {
    return `no repository answers at that address; if it is wrong, set it with: inc sync --remote URL (a new shared one: git init --bare PATH); ${check}`;
  }
  if (/permission denied|authentication failed|could not read username|access denied|403/i.test(detail)) {
    return `git could not sign in: check your SSH key or credential helper (inc never stores credentials); ${check}`;
  }
  if (/could not read from remote repository/i.test(detail)) {
    // ssh says this for a wrong address and for a refused key alike.
    return `check the address (inc sync --remote URL sets it) and your access (SSH key, credential helper); ${check}`;
  }
  return `run inc sync again when the remote is reachable; ${check}`;
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

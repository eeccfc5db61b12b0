import { describe, expect, it } from 'vitest';
import { SyncUnreachableError } from '../../../src/incident/sync/sync-errors.js';

describe('SyncUnreachableError: the next step follows what git said', () => {
  const hintFor = (detail: string) => new SyncUnreachableError('git@host:team/incidents.git', detail).hint;

  it('a wrong address: set another, or make a bare repository', () => {
    expect(hintFor("fatal: '/srv/git/incidnets.git' does not appear to be a git repository")).toBe(
      'no repository answers at that address; if it is wrong, set it with: inc sync --remote URL (a new shared one: git init --bare PATH); check with: git ls-remote git@host:team/incidents.git',
    );
    expect(hintFor('remote: Repository not found.')).toMatch(/^no repository answers at that address/);
  });

  it('credentials: the SSH key or the credential helper', () => {
    expect(hintFor('git@host: Permission denied (publickey).')).toBe(
      'git could not sign in: check your SSH key or credential helper (inc never stores credentials); check with: git ls-remote git@host:team/incidents.git',
    );
    expect(hintFor("fatal: Authentication failed for 'https://host/team/incidents.git/'")).toMatch(
      /^git could not sign in/,
    );
  });

  it('ssh cannot tell them apart: both', () => {
    expect(hintFor('fatal: Could not read from remote repository.')).toBe(
      'check the address (inc sync --remote URL sets it) and your access (SSH key, credential helper); check with: git ls-remote git@host:team/incidents.git',
    );
  });

  it('a remote that is down or silent: try again later', () => {
    expect(hintFor('timed out: no answer within 10s')).toBe(
      'run inc sync again when the remote is reachable; check with: git ls-remote git@host:team/incidents.git',
    );
  });
});

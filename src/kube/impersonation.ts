import { UsageError } from '../errors.js';
import type { RawUser } from '../kubeconfig/read-kubeconfig.js';

/** Who requests act as, when not the kubeconfig's own identity (kubectl's --as, --as-group, --as-uid). */
export interface Impersonation {
  user: string;
  groups: string[];
  uid?: string;
}

/** The command line's impersonation flags; each one given replaces the kubeconfig's field, as in kubectl. */
export interface ImpersonationFlags {
  as?: string;
  asGroups?: string[];
  asUid?: string;
}

/**
 * The kubeconfig user with the flags laid over it. Groups or a uid with no user to impersonate is
 * refused before any request: the API server would refuse every request for it.
 */
export function withImpersonationFlags(user: RawUser, flags: ImpersonationFlags): RawUser {
  const merged: RawUser = { ...user };
  if (flags.as !== undefined) merged.as = flags.as;
  if (flags.asGroups !== undefined) merged['as-groups'] = flags.asGroups;
  if (flags.asUid !== undefined) merged['as-uid'] = flags.asUid;
  const given = [flags.asGroups && '--as-group', flags.asUid && '--as-uid'].filter(Boolean);
  if (given.length > 0 && !merged.as) {
    throw new UsageError(`${given.join(' and ')} ${given.length > 1 ? 'need' : 'needs'} a user to impersonate`, {
      hint: 'add --as USER (as with kubectl; the API server impersonates groups only for a user)',
    });
  }
  return merged;
}

/** Whom the requests of this kubeconfig user act as, when it impersonates. */
export function impersonationOf(user: RawUser): Impersonation | undefined {
  if (typeof user.as !== 'string' || !user.as) return undefined;
  const uid = user['as-uid'];
  return { user: user.as, groups: texts(user['as-groups']), ...(typeof uid === 'string' && uid ? { uid } : {}) };
}

/**
 * The kubeconfig user's impersonation (`as`, `as-uid`, `as-groups`, `as-user-extra`) as kubectl
 * sends it. Without the groups, the server would grant the impersonated user only
 * system:authenticated: inc would be refused what kubectl is allowed, on the same kubeconfig.
 */
export function impersonationHeaders(user: RawUser): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (typeof user.as === 'string' && user.as) headers['Impersonate-User'] = user.as;
  const uid = user['as-uid'];
  if (typeof uid === 'string' && uid) headers['Impersonate-Uid'] = uid;
  const groups = texts(user['as-groups']);
  if (groups.length > 0) headers['Impersonate-Group'] = groups;
  const extra = user['as-user-extra'];
  if (extra && typeof extra === 'object' && !Array.isArray(extra)) {
    for (const [key, values] of Object.entries(extra)) {
      const list = texts(values);
      if (list.length > 0) headers[`Impersonate-Extra-${escapeHeaderKey(key)}`] = list;
    }
  }
  return headers;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Header-name characters other than `%` stay; every other byte is percent-encoded, as client-go does. */
const HEADER_NAME_CHAR = /^[A-Za-z0-9!#$&'*+.^_`|~-]$/;

function escapeHeaderKey(key: string): string {
  let escaped = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped +=
      byte < 0x80 && HEADER_NAME_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

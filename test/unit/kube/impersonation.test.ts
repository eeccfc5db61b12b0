import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { impersonationOf, withImpersonationFlags } from '../../../src/kube/impersonation.js';

describe('withImpersonationFlags', () => {
  const kubeconfigUser = {
    token: 't',
    as: 'reader',
    'as-groups': ['viewers'],
    'as-user-extra': { team: ['payments'] },
  };

  it('lays each flag given over the kubeconfig field, as kubectl does, and keeps the rest', () => {
    expect(withImpersonationFlags(kubeconfigUser, { as: 'admin' })).toEqual({ ...kubeconfigUser, as: 'admin' });
    expect(withImpersonationFlags(kubeconfigUser, { asGroups: ['sre', 'system:masters'], asUid: '42' })).toEqual({
      ...kubeconfigUser,
      'as-groups': ['sre', 'system:masters'],
      'as-uid': '42',
    });
    expect(withImpersonationFlags(kubeconfigUser, {})).toEqual(kubeconfigUser);
  });

  it('refuses groups or a uid with no user to impersonate (the API server would refuse every request)', () => {
    const attempt = () => withImpersonationFlags({ token: 't' }, { asGroups: ['sre'], asUid: '42' });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow('--as-group and --as-uid need a user to impersonate');
    expect(withImpersonationFlags({ token: 't' }, { as: 'admin', asGroups: ['sre'] })).toMatchObject({
      as: 'admin',
      'as-groups': ['sre'],
    });
  });
});

describe('impersonationOf', () => {
  it('says whom requests act as, or nothing when the user does not impersonate', () => {
    expect(impersonationOf({ token: 't' })).toBeUndefined();
    expect(impersonationOf({ as: 'admin', 'as-groups': ['sre'], 'as-uid': '42' })).toEqual({
      user: 'admin',
      groups: ['sre'],
      uid: '42',
    });
    expect(impersonationOf({ as: 'admin' })).toEqual({ user: 'admin', groups: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { credentialValues } from '../../../src/kubeconfig/credential-values.js';

describe('credentialValues', () => {
  it("takes a user's token, password, auth provider tokens, plugin env values and secret arguments", () => {
    const values = credentialValues({
      token: 'tok-1',
      password: 'pw-1',
      'auth-provider': { name: 'oidc', config: { 'id-token': 'id-1', 'refresh-token': 'rt-1', 'client-id': 'app' } },
      exec: {
        command: 'login',
        args: ['get-token', '--cluster', 'prod', '--client-secret', 'cs-1', '--api-key=ak-1', '-v'],
        env: [{ name: 'ROLE', value: 'role-1' }],
      },
    });
    expect(values.sort()).toEqual(['ak-1', 'cs-1', 'id-1', 'pw-1', 'role-1', 'rt-1', 'tok-1']);
  });

  it('takes nothing from a user with certificates only', () => {
    expect(credentialValues({ 'client-certificate': '/c.pem', 'client-key': '/k.pem' })).toEqual([]);
  });
});

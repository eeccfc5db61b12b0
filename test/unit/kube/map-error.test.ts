import { describe, expect, it } from 'vitest';
import { ClusterUnreachableError, tlsHintOf } from '../../../src/kube/errors.js';
import { mapNetworkError } from '../../../src/kube/map-error.js';

const where = {
  server: 'https://10.0.0.7:6443',
  context: 'prod-eu',
  call: { verb: 'list', resource: 'pods', namespace: 'payments' },
} as Parameters<typeof mapNetworkError>[1];

const tlsError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('mapNetworkError', () => {
  it('says a refused connection may be the API server down or the path to it', () => {
    const error = mapNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), where);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.hint).toContain('whether the API server is up');
  });

  it('says a failed TLS handshake is about the certificate, not a server that is down', () => {
    const untrusted = mapNetworkError(tlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), where);
    expect(untrusted.message).toBe(
      'cluster unreachable: TLS handshake with 10.0.0.7:6443 failed: self-signed certificate (server https://10.0.0.7:6443, context prod-eu)',
    );
    expect(untrusted.hint).toMatch(/^the API server answered, but this kubeconfig does not trust its certificate/);
    expect(untrusted.hint).toContain('kubectl --context prod-eu get --raw /version');
    const expired = mapNetworkError(tlsError('CERT_HAS_EXPIRED', 'certificate has expired'), where);
    expect(expired.hint).toMatch(/^the API server's certificate has expired: its certificates need renewing/);
  });

  it('finds the same hints again in the message a triage check carried as text', () => {
    const expired = mapNetworkError(tlsError('CERT_HAS_EXPIRED', 'certificate has expired'), where);
    expect(tlsHintOf(expired.message, 'prod-eu')).toBe(expired.hint);
    const untrusted = mapNetworkError(
      tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      where,
    );
    expect(tlsHintOf(untrusted.message, 'prod-eu')).toBe(untrusted.hint);
    expect(tlsHintOf('cluster unreachable: connection to 10.0.0.7:6443 refused', 'prod-eu')).toBeUndefined();
  });
});

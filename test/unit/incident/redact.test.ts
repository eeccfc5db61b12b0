import { describe, expect, it } from 'vitest';
import { REDACTED, redactDocument, redactText, redactValue } from '../../../src/incident/redact.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('redactText', () => {
  it('redacts bearer tokens but keeps the scheme', () => {
    expect(redactText('curl -H "Authorization: Bearer abc123def456ghi"')).toBe(
      `curl -H "Authorization: Bearer ${REDACTED}"`,
    );
  });

  it('redacts basic authorization headers', () => {
    expect(redactText('Authorization: Basic dXNlcjpwYXNz')).toBe(`Authorization: Basic ${REDACTED}`);
  });

  it('leaves ordinary prose alone', () => {
    expect(redactText('basic checks passed; token bucket full; password reset page slow')).toBe(
      'basic checks passed; token bucket full; password reset page slow',
    );
  });

  it('redacts JSON web tokens anywhere', () => {
    expect(redactText(`token in log: ${JWT} end`)).toBe(`token in log: ${REDACTED} end`);
  });

  it.each([
    ['password=hunter2', `password=${REDACTED}`],
    ['https://x/cb?token=abc&user=bob', `https://x/cb?token=${REDACTED}&user=bob`],
    ['SECRET=s3cr3t rest', `SECRET=${REDACTED} rest`],
    ['apikey=AKIA123 next', `apikey=${REDACTED} next`],
    ['api_key=AKIA123', `api_key=${REDACTED}`],
    ['DB_PASSWORD=hunter2 ./run', `DB_PASSWORD=${REDACTED} ./run`],
    ['?refresh_token=r1&x=1', `?refresh_token=${REDACTED}&x=1`],
    ['client_secret=c1', `client_secret=${REDACTED}`],
  ])('redacts key=value credentials: %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts kubeconfig credentials', () => {
    const kubeconfig = [
      'users:',
      '- name: admin',
      '  user:',
      '    token: sha256~abcdef',
      '    client-certificate-data: LS0tLS1CRUdJTiBDRVJU',
      '    client-key-data: LS0tLS1CRUdJTiBSU0E=',
      '    password: hunter2',
      '    username: admin',
    ].join('\n');
    const out = redactText(kubeconfig);
    expect(out).toContain(`    token: ${REDACTED}`);
    expect(out).toContain(`    client-certificate-data: ${REDACTED}`);
    expect(out).toContain(`    client-key-data: ${REDACTED}`);
    expect(out).toContain(`    password: ${REDACTED}`);
    expect(out).toContain('    username: admin');
    expect(out).not.toMatch(/sha256~|LS0t|hunter2/);
  });

  it('redacts passwords in URLs', () => {
    expect(redactText('postgres://app:pa55@db:5432/x')).toBe(`postgres://app:${REDACTED}@db:5432/x`);
  });

  it('redacts PEM private keys', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    expect(redactText(`key:\n${pem}\n`)).not.toContain('MIIEpAIBAAKCAQEA');
  });
});

describe('redactValue', () => {
  it('masks Secret data and stringData values but keeps the keys', () => {
    const secret = {
      kind: 'Secret',
      metadata: {
        name: 'db',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVy"}}' },
      },
      data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
      stringData: { url: 'plain' },
    };
    const out = redactValue(secret);
    expect(out.data).toEqual({ password: REDACTED, user: REDACTED });
    expect(out.stringData).toEqual({ url: REDACTED });
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(REDACTED);
    expect(out.metadata.name).toBe('db');
    expect(secret.data.password).toBe('aHVudGVyMg==');
  });

  it('masks secret-looking env values in pod specs and keeps the others', () => {
    const pod = {
      spec: {
        containers: [
          {
            name: 'api',
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2' },
              { name: 'STRIPE_API_KEY', value: 'sk_live_123' },
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'SESSION', value: JWT },
            ],
          },
        ],
      },
    };
    const env = redactValue(pod).spec.containers[0]?.env ?? [];
    expect(env.map((e) => e.value)).toEqual([REDACTED, REDACTED, 'debug', REDACTED]);
  });

  it('masks credential keys and scans every string', () => {
    expect(redactValue({ token: 'abc', nested: { note: 'password=x' }, list: [`Bearer ${JWT}`] })).toEqual({
      token: REDACTED,
      nested: { note: `password=${REDACTED}` },
      list: [`Bearer ${REDACTED}`],
    });
  });
});

describe('redactDocument', () => {
  it('redacts JSON evidence structurally', () => {
    const doc = JSON.stringify({ items: [{ kind: 'Secret', data: { a: 'b' } }] }, null, 2);
    const out = JSON.parse(redactDocument(doc));
    expect(out.items[0].data).toEqual({ a: REDACTED });
  });

  it('redacts Secret data in YAML text', () => {
    const yaml = 'apiVersion: v1\nkind: Secret\ndata:\n  password: aHVudGVy\n  user: YWRtaW4=\nmetadata:\n  name: db\n';
    const out = redactDocument(yaml);
    expect(out).toContain(`  password: ${REDACTED}`);
    expect(out).toContain(`  user: ${REDACTED}`);
    expect(out).toContain('  name: db');
  });
});

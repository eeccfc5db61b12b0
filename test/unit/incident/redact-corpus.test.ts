import { beforeAll, describe, expect, it } from 'vitest';
import {
  REDACTED,
  redactText,
  redactValue,
  registerSecretValues,
  secretValuesFromEnv,
} from '../../../src/incident/redact.js';
import { findSecretShapes, loadSecretShapes } from '../../../src/incident/secret-shapes.js';
import { KNOWN_SECRET, SECRET_CORPUS } from '../../helpers/secret-corpus.js';

beforeAll(async () => {
  await loadSecretShapes();
});

describe('redactText with the rule set loaded', () => {
  it.each(SECRET_CORPUS.map((sample) => [sample.name, sample] as const))('redacts a %s', (_name, sample) => {
    const redacted = redactText(sample.text);
    expect(redacted).not.toContain(sample.secret);
    expect(redacted).toContain(REDACTED);
    // Nor a part of it: the tail of a key is still most of the key.
    for (let at = 0; at + 8 <= sample.secret.length; at += 1)
      expect(redacted).not.toContain(sample.secret.slice(at, at + 8));
  });

  it('keeps JSON text valid: a quoted value inside a JSON string is redacted between its escaped quotes', () => {
    const json = JSON.stringify({ message: 'login password="Json-Pass-55" and password: Json-Pass-66\nnext' });
    const redacted = redactText(json);
    expect(JSON.parse(redacted)).toEqual({ message: `login password="${REDACTED}" and password: ${REDACTED}\nnext` });
  });

  it('leaves words after a scheme, and flags that take no value, alone', () => {
    for (const text of ['missing bearer authentication header', 'app --bypass --verbose; design=on'])
      expect(redactText(text)).toBe(text);
  });

  it('keeps the parts of a connection string that are not secret', () => {
    expect(redactText('postgres://app:Pg-S3cret-77@db:5432/app')).toBe(`postgres://app:${REDACTED}@db:5432/app`);
  });

  it('redacts every secret of a multi-line log, and nothing else', () => {
    const log = SECRET_CORPUS.map((sample) => sample.text).join('\n');
    const redacted = redactText(log);
    for (const sample of SECRET_CORPUS) expect(redacted).not.toContain(sample.secret);
    expect(redacted.split('\n')).toHaveLength(SECRET_CORPUS.length);
    expect(redacted).toContain('for user app');
  });

  it('ignores a secretlint-disable comment in text it did not write', () => {
    const text = `// secretlint-disable\nslack ${SECRET_CORPUS.find((s) => s.name === 'Slack token')?.secret}`;
    expect(redactText(text)).toContain(REDACTED);
  });

  it('finds token shapes through the rule set, not only the hand-kept forms', () => {
    const github = SECRET_CORPUS.find((s) => s.name === 'GitHub token') as { text: string; secret: string };
    const [range] = findSecretShapes(github.text);
    expect(range && github.text.slice(range[0], range[1])).toBe(github.secret);
  });

  it('leaves ordinary output alone', () => {
    const text = 'deployment payments/api: rollout to revision 4 (image api:2.3.1); token bucket full; see --help';
    expect(redactText(text)).toBe(text);
  });
});

describe('known secret values', () => {
  it('redacts the values of secret-named environment variables wherever they appear, and their credential part', () => {
    registerSecretValues(secretValuesFromEnv({ [KNOWN_SECRET.env]: KNOWN_SECRET.value, HOME: '/home/someone' }));
    expect(redactText(`flag service answered 403 for ${KNOWN_SECRET.credential}`)).toBe(
      `flag service answered 403 for ${REDACTED}`,
    );
    expect(redactText('/home/someone/x')).toBe('/home/someone/x');
  });

  it("takes a webhook URL's path for a secret too: a receiver's error page echoes the path alone", () => {
    registerSecretValues([
      'https://pager.example.com/v2/enqueue/pgkey5566778899aabb',
      'https://hooks.example.com/hook',
    ]);
    expect(redactText('answered 404: Cannot POST /v2/enqueue/pgkey5566778899aabb')).toBe(
      `answered 404: Cannot POST ${REDACTED}`,
    );
    // A short path names no key, and stays readable wherever it appears.
    expect(redactText('POST /hook')).toBe('POST /hook');
  });

  it("takes a pager's routing or integration key for a secret by its name", () => {
    expect(
      secretValuesFromEnv({
        INC_PAGERDUTY_ROUTING_KEY: 'routing-key-value-1',
        PD_INTEGRATION_KEY: 'integration-key-value-2',
        KEYBOARD: 'us',
      }),
    ).toEqual(['routing-key-value-1', 'integration-key-value-2']);
  });

  it('ignores values too short to be a secret', () => {
    registerSecretValues(secretValuesFromEnv({ GITHUB_TOKEN: 'x', DB_PASSWORD: 'true' }));
    expect(redactText('x is true')).toBe('x is true');
  });
});

describe('redactValue on pod templates', () => {
  it('redacts the argument after a secret-looking flag in args and command', () => {
    const container = {
      name: 'api',
      command: ['/app', '--db-password', 'pw-123456', '--port', '8080'],
      args: ['--token=tk-abcdef123', '--api-key', 'ak-7777777', '-v'],
    };
    expect(redactValue(container)).toEqual({
      name: 'api',
      command: ['/app', '--db-password', REDACTED, '--port', '8080'],
      args: [`--token=${REDACTED}`, '--api-key', REDACTED, '-v'],
    });
  });
});

describe('redactValue on env and flags that name a key or a pass', () => {
  it('redacts env values named *_KEY and the argument of --*-key and --*-pass flags', () => {
    const container = {
      env: [
        { name: 'SIGNING_KEY', value: 'sk-value-1' },
        { name: 'STRIPE_KEY', value: 'sk-value-2' },
        { name: 'CACHE_TTL', value: '30' },
      ],
      args: ['--db-pass', 'pass-value-1', '--signing-key', 'key-value-1', '--bypass', '--verbose'],
    };
    expect(redactValue(container)).toEqual({
      env: [
        { name: 'SIGNING_KEY', value: REDACTED },
        { name: 'STRIPE_KEY', value: REDACTED },
        { name: 'CACHE_TTL', value: '30' },
      ],
      args: ['--db-pass', REDACTED, '--signing-key', REDACTED, '--bypass', '--verbose'],
    });
  });
});

describe('secretValuesFromEnv', () => {
  it('takes whole secret words of a name, not authors, working directories, files or sockets', () => {
    const env = {
      FLAG_TOKEN: 'v-flag-token',
      DB_PASSWORD: 'v-db-password',
      INC_SLACK_WEBHOOK: 'v-webhook-url',
      AWS_SECRET_ACCESS_KEY: 'v-aws-secret',
      GIT_AUTHOR_NAME: 'v-author',
      PWD: '/v/working/dir',
      SSH_AUTH_SOCK: '/v/agent.sock',
      GOOGLE_CREDENTIALS_FILE: '/v/creds.json',
    };
    expect(secretValuesFromEnv(env).sort()).toEqual(['v-aws-secret', 'v-db-password', 'v-flag-token', 'v-webhook-url']);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../../src/sim/index.js';
import { KNOWN_SECRET, SECRET_CORPUS } from '../../helpers/secret-corpus.js';
import { startWebhookServer } from '../../helpers/webhook-server.js';
import { type LeakyCluster, startLeakyCluster } from './leaky-scenario.js';

/** Every secret of the corpus, the known value and the password passed as a pod argument. */
const ARG_PASSWORD = 'Arg-Passw0rd-55';
/** Pod env values: one whose name says secret, one whose name only ends in KEY. */
const ENV_PASSWORD = 'Env-Passw0rd-66';
const ENV_SIGNING_KEY = 'Env-S1gning-Key-77';
const SECRETS = [
  ...SECRET_CORPUS.map((s) => s.secret),
  KNOWN_SECRET.credential,
  ARG_PASSWORD,
  ENV_PASSWORD,
  ENV_SIGNING_KEY,
];
const CORPUS_TEXT = [...SECRET_CORPUS.map((s) => s.text), `flag token ${KNOWN_SECRET.credential}`].join(' ; ');
const secretOf = (name: string) => SECRET_CORPUS.find((s) => s.name === name)?.secret as string;
/**
 * The crash log: a database URL with its password and a bearer token, then a GitHub token placed across
 * the width at which triage cuts a log line, so that cutting before redacting would leak half of it.
 */
const CRASH_LOG = `request failed: postgres://app:${secretOf('postgres URL password')}@db:5432/app; Authorization: Bearer ${secretOf('bearer token')}; ${'x'.repeat(57)} ${secretOf('GitHub token')}`;

let cluster: LeakyCluster;
let dir: string;
let sim: RunningSim;

beforeAll(async () => {
  cluster = await startLeakyCluster(CRASH_LOG, {
    args: ['--db-password', ARG_PASSWORD],
    env: { [KNOWN_SECRET.env]: KNOWN_SECRET.value },
    containerEnv: { DB_PASSWORD: ENV_PASSWORD, SIGNING_KEY: ENV_SIGNING_KEY },
  });
  ({ dir, sim } = cluster);
}, 60_000);

afterAll(() => cluster?.stop());

const inc = (args: string[], extraEnv?: Record<string, string>) => cluster.inc(args, extraEnv);

/** No secret, nor its first 12 characters (half a token is still half a token). */
function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) {
    expect(text, `${where} leaks ${secret}`).not.toContain(secret);
    expect(text, `${where} leaks the start of ${secret}`).not.toContain(secret.slice(0, 12));
  }
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('no secret leaves through any output', () => {
  it('inc start with secrets in the title: the id, the output and the log are clean', async () => {
    const start = await inc(['start', `checkout down ${SECRET_CORPUS[2]?.text} ${SECRET_CORPUS[7]?.text}`, '-y']);
    expect(start.code, start.stderr).toBe(0);
    expectNoSecret('inc start', start.stdout + start.stderr);
    const list = await inc(['list', '-o', 'json']);
    const [incident] = JSON.parse(list.stdout) as Array<{ id: string; title: string }>;
    expect(incident?.id).toMatch(/^INC-\d{8}-\d{4}-checkout-down-/);
    expectNoSecret('the incident id and title', JSON.stringify(incident));
    expectNoSecret('the incidents folder names', readdirSync(join(dir, 'home', 'incidents')).join(' '));
  });

  it('triage in text, Markdown and JSON prints the crash log and evidence redacted', async () => {
    for (const output of ['text', 'markdown', 'json']) {
      const result = await inc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-A', '-o', output]);
      expect(result.stderr).not.toContain('unexpected error');
      // The crash log made it into the report: its non-secret part is shown (Markdown escapes the brackets).
      const shown = result.stdout.replaceAll('\\[REDACTED\\]', '[REDACTED]');
      expect(shown, output).toContain('request failed: postgres://app:[REDACTED]@db:5432/app');
      expectNoSecret(`triage -o ${output}`, result.stdout + result.stderr);
      if (output === 'json') expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
  });

  it('inc note, inc log, inc status and inc handoff print the secrets redacted', async () => {
    const note = await inc(['note', CORPUS_TEXT]);
    expect(note.code, note.stderr).toBe(0);
    expectNoSecret('inc note', note.stdout + note.stderr);
    for (const args of [['log'], ['log', '--json'], ['status'], ['handoff'], ['log', '-o', 'markdown']]) {
      const result = await inc(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expectNoSecret(`inc ${args.join(' ')}`, result.stdout + result.stderr);
    }
    expect((await inc(['log'])).stdout).toContain('[REDACTED]');
  });

  it('inc update prints and posts to Slack only redacted text', async () => {
    const { url, received, close } = await startWebhookServer();
    try {
      const update = await inc(['update', '--format', 'slack', '--post', '--message', CORPUS_TEXT, '--impact', 'x'], {
        INC_SLACK_WEBHOOK: url,
      });
      expect(update.code, update.stderr).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain('[REDACTED]');
      expectNoSecret('the Slack post', received[0] as string);
      expectNoSecret('inc update', update.stdout + update.stderr);
      expect(update.stdout + update.stderr).not.toContain(url);
    } finally {
      await close();
    }
  });

  it('inc postmortem writes a redacted file, and the incident folder holds no secret', async () => {
    const file = join(dir, 'postmortem.md');
    const result = await inc(['postmortem', '--file', file]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toContain('[REDACTED]');
    expectNoSecret('the postmortem file', markdown);
    for (const path of filesUnder(join(dir, 'home'))) expectNoSecret(path, readFileSync(path, 'utf8'));
  });

  it('a playbook plan (its diff, its JSON) and the log of the change show no env value or secret argument', async () => {
    const rollback = [
      '--kubeconfig',
      sim.kubeconfigPath,
      'run',
      'rollback',
      '-n',
      'payments',
      '--set',
      'deployment=api',
    ];
    for (const output of ['text', 'json']) {
      const plan = await inc([...rollback, '--dry-run', '-o', output]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('api:2.3.1');
      if (output === 'json') expect(() => JSON.parse(plan.stdout)).not.toThrow();
      expectNoSecret(`inc run --dry-run -o ${output}`, plan.stdout + plan.stderr);
    }
    const applied = await inc([...rollback, '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expectNoSecret('inc run --yes', applied.stdout + applied.stderr);
    const log = await inc(['log', '-o', 'json']);
    for (const line of log.stdout.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    expectNoSecret('inc log -o json', log.stdout);
  });

  it('error messages on stderr are redacted', async () => {
    for (const args of [
      ['sev', SECRET_CORPUS[2]?.text as string],
      ['use', SECRET_CORPUS[7]?.secret as string],
      ['start', 'x', '--severity', SECRET_CORPUS[10]?.secret as string],
      ['--kubeconfig', join(dir, `missing-${SECRET_CORPUS[5]?.secret}`), 'triage'],
    ]) {
      const result = await inc(args);
      expect(result.code, `inc ${args.join(' ')}`).not.toBe(0);
      expect(result.stderr, `inc ${args.join(' ')}`).toMatch(/inc: error/);
      expectNoSecret(`the error of inc ${args[0]}`, result.stdout + result.stderr);
    }
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../../src/clock.js';
import { REDACTED, redactText } from '../../../src/incident/redact.js';
import type { ActionContext } from '../../../src/playbooks/action-types.js';
import { exec, http, httpIsMutating, wait } from '../../../src/playbooks/actions/misc.js';
import { NonInteractivePrompter } from '../../../src/prompter.js';
import { runProcess } from '../../../src/run-process.js';

function context(env: NodeJS.ProcessEnv = {}): ActionContext & { evidence: Record<string, string> } {
  const evidence: Record<string, string> = {};
  return {
    evidence,
    kube: async () => {
      throw new Error('not used');
    },
    cluster: async () => ({ context: 'c', cluster: 'c', server: 's', namespace: 'default' }),
    env,
    clock: new FakeClock(),
    signal: new AbortController().signal,
    prompter: new NonInteractivePrompter('test'),
    progress: () => ({ update: () => {}, succeed: () => {}, fail: () => {} }),
    recorder: {
      incidentId: 'INC-1',
      record: async () => ({}),
      saveEvidence: async (name, content) => {
        evidence[name] = content;
        return `evidence/${name}`;
      },
    },
    runProcess,
    actor: 'tester',
    yes: true,
    info: () => {},
  };
}

describe('http action', () => {
  let server: Server;
  let url: string;
  const seen: { method?: string; auth?: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        res.writeHead(req.url === '/broken' ? 503 : 200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the method, a JSON body and headers taken from the environment', async () => {
    const w = {
      method: 'PUT' as const,
      url: `${url}/flags/checkout`,
      headersFromEnv: { authorization: 'FLAG_TOKEN' },
      json: { enabled: false },
    };
    expect(httpIsMutating(w)).toBe(true);
    const env = { FLAG_TOKEN: 'Bearer s3cret' };
    const result = await http.apply(context(env), await http.plan(context(env), w), w);
    expect(result.message).toContain('answered 200');
    expect(seen.at(-1)).toEqual({ method: 'PUT', auth: 'Bearer s3cret', body: '{"enabled":false}' });
  });

  it('never puts a header value in the plan, and fails on an unexpected status or a missing variable', async () => {
    const w = { url: `${url}/broken`, headersFromEnv: { authorization: 'FLAG_TOKEN' } };
    expect(httpIsMutating(w)).toBe(false);
    const plan = await http.plan(context({ FLAG_TOKEN: 'Bearer s3cret' }), w);
    expect(JSON.stringify(plan)).not.toContain('s3cret');
    await expect(http.apply(context({ FLAG_TOKEN: 'x' }), plan, w)).rejects.toThrow('answered 503');
    // A variable to export is a setting the user adds, as a missing remote or kubeconfig is: exit 2.
    const sent = seen.length;
    await expect(http.apply(context({}), plan, w)).rejects.toMatchObject({
      message: 'header authorization needs the environment variable FLAG_TOKEN, which is not set',
      exitCode: 2,
    });
    expect(seen).toHaveLength(sent);
    // Planned before the question: an unset or empty token stops the run before it is confirmed.
    await expect(http.plan(context({}), w)).rejects.toMatchObject({ exitCode: 2 });
    await expect(http.plan(context({ FLAG_TOKEN: ' ' }), w)).rejects.toMatchObject({
      message: 'header authorization needs the environment variable FLAG_TOKEN, which is empty',
      exitCode: 2,
    });
    expect(seen).toHaveLength(sent);
  });

  it('redacts a header value taken from the environment everywhere afterwards, whatever the variable is named', async () => {
    const w = { url: `${url}/flags`, headersFromEnv: { authorization: 'CHECKOUT_FLAGS' } };
    expect(redactText('flag service rejected ffs-k3y-445566')).toContain('ffs-k3y-445566');
    const env = { CHECKOUT_FLAGS: 'Bearer ffs-k3y-445566' };
    await http.apply(context(env), await http.plan(context(env), w), w);
    expect(redactText('flag service rejected ffs-k3y-445566')).toBe(`flag service rejected ${REDACTED}`);
  });
});

describe('http plan', () => {
  it('shows the query it sends, a secret in it redacted, never the password of the URL', async () => {
    const w = {
      method: 'PUT' as const,
      url: 'https://ops:hunter22@flags.example.com/api/flags/x?enabled=false&token=s3cr3t-value',
    };
    const plan = await http.plan(context(), w);
    const shown = redactText([plan.summary, ...plan.diff].join('\n'));
    expect(shown).toContain('PUT https://flags.example.com/api/flags/x?enabled=false&token=');
    expect(shown).not.toContain('s3cr3t-value');
    expect(shown).not.toContain('hunter22');
  });
});

describe('exec action', () => {
  it('runs an argument array without a shell and keeps the output as evidence', async () => {
    const ctx = context();
    const w = { command: [process.execPath, '-e', 'console.log(process.argv[1])', 'a; rm -rf / $(reboot)'] };
    const plan = await exec.plan(ctx, w);
    const result = await exec.apply(ctx, plan, w);
    expect(result.message).toContain('exited 0');
    const [log] = Object.values(ctx.evidence);
    expect(log).toContain('a; rm -rf / $(reboot)');
  });

  it("gives the program the run's context: KUBECONFIG whose first file sets it as current context", async () => {
    const ctx = {
      ...context({ PATH: process.env.PATH, KUBECONFIG: '/home/me/.kube/config' }),
      cluster: async () => ({ context: 'prod-eu', cluster: 'prod-eu', server: 's', namespace: 'shop' }),
      kubeconfigFiles: async () => ['/k/a.yaml', '/k/b.yaml'],
    };
    const script = `const [first, ...rest] = process.env.KUBECONFIG.split(${JSON.stringify(delimiter)});
console.log(rest.join(' '));
console.log(require('node:fs').readFileSync(first, 'utf8'));`;
    const w = { command: [process.execPath, '-e', script] };
    await exec.apply(ctx, await exec.plan(ctx, w), w);
    const [log] = Object.values(ctx.evidence);
    expect(log).toContain('/k/a.yaml /k/b.yaml');
    expect(log).toContain('current-context: "prod-eu"');
    expect(log).not.toContain('/home/me/.kube/config');
  });

  it('says before the question that --as does not reach the program, and that inc cannot undo what it changes', async () => {
    const plain = await exec.plan(context(), { command: ['kubectl', 'annotate', 'deploy/api', 'x=y'] });
    expect(plain.warnings).toBeUndefined();
    expect(plain.irreversible).toBe('inc does not know what a program changes');
    const ctx = {
      ...context(),
      cluster: async () => ({
        context: 'prod-eu',
        cluster: 'prod-eu',
        server: 's',
        namespace: 'shop',
        actingAs: { user: 'oncall-admin', groups: ['sre'] },
      }),
    };
    const plan = await exec.plan(ctx, { command: ['kubectl', 'annotate', 'deploy/api', 'x=y'] });
    expect(plan.warnings).toEqual([
      "the program acts as the kubeconfig's own user, not as oncall-admin with groups sre: --as does not reach a program; put --as in its command if it runs kubectl or helm",
    ]);
  });

  it('reports a non-zero exit and a missing program', async () => {
    const ctx = context();
    const failing = { command: [process.execPath, '-e', 'process.exit(3)'] };
    await expect(exec.apply(ctx, await exec.plan(ctx, failing), failing)).rejects.toThrow('exited with 3');
    const missing = { command: ['/nonexistent/program'] };
    await expect(exec.apply(ctx, await exec.plan(ctx, missing), missing)).rejects.toThrow('not found');
  });
});

describe('wait action', () => {
  it('ends its progress line when Ctrl-C stops it (a spinner left running kept inc from exiting)', async () => {
    const ended: string[] = [];
    const abort = new AbortController();
    const ctx: ActionContext = {
      ...context(),
      clock: systemClock,
      signal: abort.signal,
      progress: () => ({
        update: () => {},
        succeed: (t) => ended.push(`ok ${t}`),
        fail: (t) => ended.push(`fail ${t}`),
      }),
    };
    const run = wait.run(ctx, { duration: '40s' });
    abort.abort(new Error('interrupted'));
    await expect(run).rejects.toThrow();
    expect(ended).toEqual(['fail stopped waiting 40s']);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INC_BIN, type RunIncResult, runInc } from '../../helpers/run-inc.js';
import { openSimWorld, type SimWorld } from '../playbooks-sim.js';

/** Bad input at 3 a.m.: one clear line and a hint, the right exit code, never the stack of a bug. */
function expectCleanFailure(result: RunIncResult, code: number, message: string | RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/bug in inc|unexpected error|\n\s+at /);
  expect(result.code, result.stderr).toBe(code);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a kubeconfig with a value of the wrong type', () => {
  it('names file:line:col and the field, exit 2, for every command that reads it', async () => {
    const file = join(dir, 'wrong-type.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n- name: c\n  cluster: 6443\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n',
    );
    const env = { INC_HOME: join(dir, 'home'), HOME: dir };
    for (const args of [['triage'], ['run', 'restart', '--set', 'deployment=api', '--dry-run']]) {
      const result = await runInc(['--kubeconfig', file, ...args], { env, cwd: dir });
      expectCleanFailure(result, 2, `kubeconfig ${file}:6:12: clusters[0].cluster must be a mapping, not a number`);
      expect(result.stderr).toContain('hint: fix the file');
    }
  });
});

describe('a config file with a YAML syntax error', () => {
  it('is named once at file:line:col with how to go on meanwhile, and INC_CONFIG=/dev/null does', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'timeBoxMinutes: 30\nprotectedContexts: [prod\n');
    const env = { INC_HOME: join(dir, 'config-home'), INC_CONFIG: config };
    const start = await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { env, cwd: dir });
    expectCleanFailure(
      start,
      2,
      `inc: error: ${config}:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`,
    );
    expect(start.stderr).toContain('hint: fix the file; meanwhile INC_CONFIG=/dev/null runs inc on its defaults');
    const meanwhile = await runInc(['start', 'checkout errors', '--severity', 'SEV2'], {
      env: { ...env, INC_CONFIG: '/dev/null' },
      cwd: dir,
    });
    expect(meanwhile.code, meanwhile.stderr).toBe(0);
  });
});

describe('a playbook whose parameter can never fit the field it fills', () => {
  it('is refused by validate and by run, at file:line:col, before any cluster is asked', async () => {
    const playbook = join(dir, 'scale-to.yaml');
    writeFileSync(
      playbook,
      [
        'apiVersion: inc/v1',
        'kind: Playbook',
        'metadata: { name: scale-to, title: Scale the api, description: d }',
        'params:',
        '  - { name: count, type: string, required: true }',
        'steps:',
        '  - { id: scale, action: scale, with: { namespace: payments, deployment: api, replicas: "{{count}}" } }',
        '',
      ].join('\n'),
    );
    const message = `${playbook}:7:89: steps.0.with.replicas: replicas takes a number, but parameter "count" is of type string (declare it type: integer)`;
    const env = { INC_HOME: join(dir, 'playbook-home'), KUBECONFIG: join(dir, 'no-kubeconfig') };
    const validate = await runInc(['playbooks', 'validate', playbook], { env, cwd: dir });
    expectCleanFailure(validate, 2, 'inc: error: 1 of 1 playbook file is invalid');
    expect(validate.stdout + validate.stderr).toContain(message);
    const run = await runInc(['run', playbook, '--trust', '--yes', '--set', 'count=4'], { env, cwd: dir });
    expectCleanFailure(run, 2, `inc: error: ${message}`);
  });
});

describe('an output path in a folder that does not exist', () => {
  it('names the folder, not a temporary file, and says what to do', async () => {
    const env = { INC_HOME: join(dir, 'output-home'), INC_CONFIG: '/dev/null' };
    expect((await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { env, cwd: dir })).code).toBe(0);
    const target = join(dir, 'no-such-folder', 'postmortem.md');
    const result = await runInc(['postmortem', '-o', target], { env, cwd: dir });
    expectCleanFailure(
      result,
      1,
      `inc: error: cannot write ${target}: the folder ${join(dir, 'no-such-folder')} does not exist (ENOENT); no postmortem was written`,
    );
    expect(result.stderr).toContain('hint: create that folder, or give a path in one that exists');
    expect(result.stderr).not.toContain('.tmp');
  });
});

describe('inc triage --url with something that is not an http(s) URL', () => {
  it('is a usage error (exit 2), not a critical finding that --fail-on turns into exit 3', async () => {
    const env = { INC_HOME: join(dir, 'url-home'), INC_CONFIG: '/dev/null' };
    const result = await runInc(
      ['triage', '--check', 'health', '--url', 'api.example.com/healthz', '--fail-on', 'critical'],
      {
        env,
        cwd: dir,
      },
    );
    expectCleanFailure(result, 2, 'inc: error: invalid --url "api.example.com/healthz"');
    expect(result.stderr).toContain('hint: give the http:// or https:// URL users reach');
    expect(result.stdout).not.toContain('CRITICAL');
  });
});

describe('a context whose API server is down', () => {
  it('inc alerts says the cluster is unreachable (exit 4), not that it holds no Alertmanager', async () => {
    // A port that was just free: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const kubeconfig = join(dir, 'down.yaml');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: down\nclusters:\n- name: down\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: down\n  user: {token: t}\ncontexts:\n- name: down\n  context: {cluster: down, user: down}\n`,
    );
    const env = { INC_HOME: join(dir, 'down-home'), INC_CONFIG: '/dev/null', INC_ALERTMANAGER_URL: undefined };
    const result = await runInc(['--kubeconfig', kubeconfig, 'alerts'], { env, cwd: dir });
    expectCleanFailure(result, 4, `inc: error: cluster unreachable: connection to 127.0.0.1:${port} refused`);
    expect(result.stderr).not.toContain('none found in the cluster');
  });
});

describe('on the simulator', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
    expect((await world.inc(['start', 'checkout errors', '--severity', 'SEV2'])).code).toBe(0);
  });
  afterAll(async () => world?.close());

  /** The events of the one incident of this world. */
  function events(of = world): { type: string; data: Record<string, unknown> }[] {
    const root = join(of.env.INC_HOME as string, 'incidents');
    const [id] = readdirSync(root);
    const text = readFileSync(join(root, id as string, 'events.jsonl'), 'utf8');
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  /** Starts inc, sends Ctrl-C after `afterMs` (real time: the run is made to last far longer), and says how it ended. */
  async function interruptAfter(on: SimWorld, args: readonly string[], afterMs: number): Promise<RunIncResult> {
    const child = spawn(process.execPath, [INC_BIN, ...args], {
      cwd: on.home,
      env: { ...process.env, ...on.env, NO_COLOR: '1', TERM: 'dumb' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    child.kill('SIGINT');
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000).unref());
    const code = await Promise.race([closed, timeout]);
    if (code === 'hung') child.kill('SIGKILL');
    return { code: code === 'hung' ? -1 : code, stdout, stderr };
  }

  it('inc logs of a workload or pod that is not there says what is, exit 2, also with -f', async () => {
    const elsewhere = await world.inc(['logs', 'deployment/web', '-n', 'payments']);
    expectCleanFailure(
      elsewhere,
      2,
      'inc: error: deployment "web" not found in namespace payments; did you mean shop/web?',
    );
    expect(elsewhere.stderr).toContain('hint: pass -n shop\n');
    const typo = await world.inc(['logs', 'deployment/apii', '-n', 'payments', '--tail', '1']);
    expectCleanFailure(typo, 2, 'deployment "apii" not found in namespace payments; did you mean api?');
    expect(typo.stderr).toContain('hint: deployments in payments: api, worker');
    const json = await world.inc(['logs', 'deployment/api', '-n', 'payments', '--tail', '1', '-o', 'json']);
    expectCleanFailure(
      json,
      2,
      'inc: error: inc logs has no json output: it prints each line as text, prefixed with its pod',
    );
    expect(json.stdout).toBe('');
    // Following a pod that never existed used to wait silently for ever.
    const follow = await runInc(['logs', 'pod/api-0', '-n', 'payments', '-f'], {
      env: world.env,
      cwd: world.home,
      timeoutMs: 15_000,
    });
    expectCleanFailure(follow, 2, 'inc: error: pod "api-0" not found in namespace payments');
  });

  it('inc triage of a namespace that does not exist says so instead of "no problems found"', async () => {
    const before = events().length;
    const typo = await world.inc(['triage', '-n', 'paymnets']);
    expectCleanFailure(
      typo,
      2,
      'inc: error: namespace "paymnets" does not exist in context inc-sim; did you mean payments?',
    );
    expect(typo.stderr).toMatch(/hint: namespaces: default, .*payments, shop \(or -A for all of them\)/);
    expect(typo.stdout).not.toContain('no problems found');
    expect(events()).toHaveLength(before);
  });

  it('inc logs -f of a selector that matches no pod yet says it is waiting, instead of looking hung', async () => {
    const result = await interruptAfter(world, ['logs', '-l', 'app=checkout', '-n', 'payments', '-f'], 1_500);
    expect(result.stderr).toContain(
      'no pods match -l app=checkout in namespace payments yet; waiting for them (Ctrl-C stops)',
    );
    expect(result.code, result.stderr).toBe(0);
  });

  /** A playbook file in the world's folder: scale payments/worker to 3, then act on `{{other}}`. */
  function twoStepPlaybook(on: SimWorld, second: string): string {
    const playbook = join(on.home, 'two-steps.yaml');
    writeFileSync(
      playbook,
      [
        'apiVersion: inc/v1',
        'kind: Playbook',
        'metadata: { name: two-steps, title: Scale the worker then act on another deployment, description: d }',
        'params:',
        '  - { name: other, type: string, required: true }',
        'steps:',
        '  - { id: worker, action: scale, with: { namespace: payments, deployment: worker, replicas: 3 } }',
        `  - { id: other, ${second} }`,
        '',
      ].join('\n'),
    );
    return playbook;
  }

  it('a playbook whose later step names a deployment that is not there changes nothing at all', async () => {
    const playbook = twoStepPlaybook(
      world,
      'action: scale, with: { namespace: payments, deployment: "{{other}}", replicas: 3 }',
    );
    const result = await world.inc(['run', playbook, '--trust', '--yes', '--set', 'other=apii']);
    expectCleanFailure(result, 2, 'inc: error: deployment "apii" not found in namespace payments; did you mean api?');
    expect(result.stderr).toContain('hint: deployments in payments: api, worker');
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
    expect(events().filter((event) => event.type === 'action')).toEqual([]);
  });

  it('a later step naming a container, a pod or a ConfigMap that is not there changes nothing at all', async () => {
    const cases = [
      [
        'action: set-image, with: { namespace: payments, deployment: api, container: "{{other}}", image: "api:2.3.0" }',
        'inc: error: container "nosuch" not found in deployment payments/api',
      ],
      [
        'action: pod.delete, with: { namespace: payments, pod: "{{other}}" }',
        'inc: error: pod "nosuch" not found in namespace payments',
      ],
      [
        'action: configmap.restore, with: { namespace: payments, configmap: "{{other}}", revision: HEAD, file: cm.yaml }',
        'inc: error: configmap "nosuch" not found in namespace payments',
      ],
    ];
    for (const [second, error] of cases) {
      const playbook = twoStepPlaybook(world, second as string);
      const result = await world.inc(['run', playbook, '--trust', '--yes', '--set', 'other=nosuch']);
      expectCleanFailure(result, 2, error as string);
      expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
    }
    expect(events().filter((event) => event.type === 'action')).toEqual([]);
  });

  it('a role that may read deployments but not patch them: the 403 names the call and permission, and a run that had changed something says what stands applied', async () => {
    const readOnly = await openSimWorld('bad-deploy', 60, { forbidden: ['patch deployments'] });
    try {
      expect((await readOnly.inc(['start', 'api crash-looping', '--severity', 'SEV2'])).code).toBe(0);
      const before = readOnly.object('Deployment', 'payments', 'api').spec;
      const restart = await readOnly.inc(['run', 'restart', '-n', 'payments', '--set', 'deployment=api', '--yes']);
      const refused =
        'cannot patch deployments.apps in namespace payments (forbidden): ask for RBAC permission `patch` on `deployments` in API group `apps` in namespace payments; nothing was changed';
      expectCleanFailure(restart, 1, refused);
      expect(readOnly.object('Deployment', 'payments', 'api').spec).toEqual(before);
      const canI = await readOnly.kubectl(['auth', 'can-i', 'patch', 'deployments', '-n', 'payments']);
      expect(canI.stdout.trim()).toBe('no');
      expect((await readOnly.kubectl(['auth', 'can-i', 'get', 'deployments', '-n', 'payments'])).stdout.trim()).toBe(
        'yes',
      );

      // The scale subresource may still be written: the first step applies, the second is refused.
      const playbook = twoStepPlaybook(
        readOnly,
        'action: rollout.restart, with: { namespace: payments, deployment: "{{other}}" }',
      );
      const run = await readOnly.inc(['run', playbook, '--trust', '--yes', '--set', 'other=api']);
      expectCleanFailure(run, 1, `inc: error: step "other" (rollout.restart) failed: `);
      expect(run.stderr).toContain(refused);
      expect(run.stderr).toContain(
        'hint: the API server refused the change as planned; fix the cause above and rerun; 1 change of this run stands applied (worker: scale deployment payments/worker from 2 to 3 replicas): inc log shows them, inc undo reverts the last',
      );
      expect(readOnly.object('Deployment', 'payments', 'worker').spec.replicas).toBe(3);

      const applied = events(readOnly).filter((event) => event.type === 'action' && event.data.phase === 'applied');
      expect(applied).toHaveLength(1);
      const undo = await readOnly.inc(['undo', '01NOPE', '--yes']);
      expectCleanFailure(undo, 2, 'inc: error: no action 01NOPE in this incident');
      expect(undo.stderr).toContain(
        `hint: changes applied in this incident, newest first: ${applied[0]?.data.actionId} (scale deployment payments/worker from 2 to 3 replicas: deployment payments/worker has 3 replicas, all available)`,
      );
    } finally {
      await readOnly.close();
    }
  });

  it('Ctrl-C in the middle of inc triage exits 130 and records nothing half-read', async () => {
    // Every answer of this cluster takes 5 s: Ctrl-C comes while the checks still wait for theirs.
    const slow = await openSimWorld('bad-deploy', 60, { latencyMs: 5_000 });
    try {
      const start = await slow.inc(['start', 'slow API', '--severity', 'SEV2']);
      expect(start.code, start.stderr).toBe(0);
      const result = await interruptAfter(slow, ['triage', '-A'], 1_500);
      expectCleanFailure(result, 130, 'triage interrupted before any check finished; nothing was recorded');
      expect(events(slow).map((event) => event.type)).toEqual(['declared']);
    } finally {
      await slow.close();
    }
  });
});

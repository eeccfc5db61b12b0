import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInc } from '../helpers/run-inc.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/playbooks/', import.meta.url));
const BUILTIN_ROLLBACK = fileURLToPath(new URL('../../playbooks/rollback.yaml', import.meta.url));

describe('inc playbooks', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inc-playbooks-cmd-'));
    env = { INC_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
    // A user playbook that overrides the built-in rollback, and a repo-local one of its own.
    mkdirSync(join(dir, 'config', 'inc', 'playbooks'), { recursive: true });
    writeFileSync(
      join(dir, 'config', 'inc', 'playbooks', 'rollback.yaml'),
      readFileSync(BUILTIN_ROLLBACK, 'utf8').replace(
        'title: Roll back a deployment, StatefulSet or DaemonSet to its previous revision',
        'title: Our rollback',
      ),
    );
    mkdirSync(join(dir, '.inc', 'playbooks'), { recursive: true });
    writeFileSync(
      join(dir, '.inc', 'playbooks', 'drain.yaml'),
      'apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: drain-queue, title: Drain the queue }\nsteps:\n  - { id: say, action: note, with: { text: draining } }\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists built-in, user and repo playbooks and says which overrides a built-in', async () => {
    const result = await runInc(['playbooks', 'list'], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rollback\s+user\s+Our rollback \(overrides built-in\)/);
    expect(result.stdout).toMatch(/drain-queue\s+repo\s+Drain the queue/);
    expect(result.stdout).toMatch(/helm-rollback\s+built-in\s+Roll back a Helm release/);
    const json = JSON.parse((await runInc(['playbooks', 'list', '-o', 'json'], { env, cwd: dir })).stdout) as {
      name: string;
    }[];
    expect(json.map((p) => p.name)).toEqual(
      expect.arrayContaining(['rollback', 'scale', 'cordon-node', 'feature-flag', 'drain-queue']),
    );
  });

  it('shows parameters, steps and suggestions', async () => {
    const result = await runInc(['playbooks', 'show', 'scale'], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('replicas (integer, required, ≥ 0)');
    expect(result.stdout).toContain('1. scale scale [changes]');
    expect(result.stdout).toContain('Run: inc run scale --set deployment=… --set replicas=…');
  });

  it('validates files, naming file:line:col and the known actions', async () => {
    const ok = await runInc(['playbooks', 'validate', BUILTIN_ROLLBACK], { env, cwd: dir });
    expect(ok.code).toBe(0);
    const bad = await runInc(['playbooks', 'validate', join(FIXTURES, 'unknown-action.yaml')], { env, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /unknown-action\.yaml:6:13: steps\.0\.action: unknown action "cluster\.nuke" \(known actions: rollout\.history, rollout\.undo/,
    );
  });

  it('validates a half-valid file in one pass: schema and semantic problems together, and inc run refuses it', async () => {
    const file = join(dir, 'half.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: inc/v1',
        'kind: Playbook',
        'metadata: { name: half, title: Half, owner: payments }',
        'params:',
        '  - { name: namespace, type: string, required: true }',
        'steps:',
        '  - { id: say, action: note, with: { text: "{{namespce}}" } }',
        '  - { id: say, action: note, with: { text: hi } }',
        '',
      ].join('\n'),
    );
    const result = await runInc(['playbooks', 'validate', 'half.yaml'], { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('half.yaml:3:38: metadata: unknown field "owner"');
    expect(result.stderr).toContain('half.yaml:7:44: steps.0.with.text: unknown parameter "{{namespce}}"');
    expect(result.stderr).toContain('half.yaml:8:11: steps.1.id: duplicate step id "say"');
    const run = await runInc(['run', './half.yaml', '--set', 'namespace=shop', '--yes'], { env, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown field "owner"');
    expect(run.stderr).toContain('and 2 more problems');
    expect(run.stdout + run.stderr).not.toContain('step say');
  });

  it('trusts a playbook given by its path as by its name: by the folder it is in', async () => {
    const text = (name: string) =>
      `apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: ${name}, title: Say hi }\nsteps:\n  - { id: say, action: note, with: { text: hi } }\n`;
    writeFileSync(join(dir, 'config', 'inc', 'playbooks', 'say-hi.yaml'), text('say-hi'));
    writeFileSync(join(dir, '.inc', 'playbooks', 'say-here.yaml'), text('say-here'));
    writeFileSync(join(dir, 'say-there.yaml'), text('say-there'));
    // The user's own folder: trusted by where it is, whether run by name or by path.
    for (const playbook of [
      'say-hi',
      './config/inc/playbooks/say-hi.yaml',
      join(dir, 'config/inc/playbooks/say-hi.yaml'),
    ]) {
      const result = await runInc(['run', playbook, '--yes'], { env, cwd: dir });
      expect(result.code, `${playbook}: ${result.stderr}`).toBe(0);
      expect(result.stdout + result.stderr).toContain('playbook say-hi: completed');
    }
    // This folder's playbooks and any other file are trusted only once their content is.
    const here = await runInc(['run', './.inc/playbooks/say-here.yaml', '--yes'], { env, cwd: dir });
    expect(here.code).toBe(2);
    expect(here.stderr).toContain('./.inc/playbooks/say-here.yaml (this folder) has not been run before');
    const there = await runInc(['run', './say-there.yaml', '--yes'], { env, cwd: dir });
    expect(there.code).toBe(2);
    expect(there.stderr).toContain('playbook say-there is not trusted: ./say-there.yaml (a file)');
  });

  it('prints the JSON Schema', async () => {
    const result = await runInc(['playbooks', 'schema'], { env, cwd: dir });
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'params', 'steps']),
    );
  });
});

describe('the playbook search path', () => {
  it('searches the playbooks folder beside the config always, and playbookDirs in addition, as --help says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inc-playbook-dirs-'));
    try {
      const configDir = join(dir, 'config', 'inc');
      const playbook = (name: string, title: string) =>
        `apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: ${name}, title: ${title} }\nsteps:\n  - { id: say, action: note, with: { text: hi } }\n`;
      mkdirSync(join(configDir, 'playbooks'), { recursive: true });
      mkdirSync(join(configDir, 'team'));
      writeFileSync(join(configDir, 'config.yaml'), 'playbookDirs: [team]\n');
      writeFileSync(join(configDir, 'playbooks', 'mine.yaml'), playbook('mine', 'Only beside the config'));
      writeFileSync(join(configDir, 'playbooks', 'shared.yaml'), playbook('shared', 'Beside the config'));
      writeFileSync(join(configDir, 'team', 'shared.yaml'), playbook('shared', 'From playbookDirs'));
      const env = { INC_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
      const listed = JSON.parse((await runInc(['playbooks', 'list', '-o', 'json'], { env, cwd: dir })).stdout) as {
        name: string;
        title: string;
        file: string;
      }[];
      const byName = (name: string) => listed.find((p) => p.name === name);
      // With playbookDirs set, the folder beside the config is still searched: it is no default.
      expect(byName('mine')).toMatchObject({
        title: 'Only beside the config',
        file: join(configDir, 'playbooks', 'mine.yaml'),
      });
      // And playbookDirs comes after it: the same name there wins.
      expect(byName('shared')).toMatchObject({
        title: 'From playbookDirs',
        file: join(configDir, 'team', 'shared.yaml'),
      });

      const help = (await runInc(['playbooks', '--help'], { env, cwd: dir })).stdout.replace(/\s+/g, ' ');
      expect(help).toContain(
        "the built-in playbooks; the playbooks folder beside the config file, always ($XDG_CONFIG_HOME/inc/playbooks, default ~/.config/inc/playbooks); each folder of the config's playbookDirs, in order, in addition to that one; then ./.inc/playbooks.",
      );
      expect(help).not.toMatch(/playbookDirs \(default/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

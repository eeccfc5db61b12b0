import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ACTION_NAMES } from '../../src/playbooks/action-with.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The README's lists that mirror a registry of the code: a new entry there must be documented. */
describe('the README lists', () => {
  it('every playbook action a step may use', () => {
    const paragraph = /Actions: (`[\s\S]*?)\n\(`inc playbooks schema` lists the fields of each\)/.exec(README)?.[1];
    expect(paragraph, 'README has the "Actions: …" paragraph of inc playbooks').toBeDefined();
    const listed = [...(paragraph ?? '').matchAll(/`([a-z.-]+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...ACTION_NAMES].sort());
  });

  it('every built-in simulator scenario in the scenario table', () => {
    const scenarios = readdirSync(fileURLToPath(new URL('../../src/sim/scenarios/', import.meta.url)))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.replace(/\.yaml$/, ''));
    const start = README.indexOf('| scenario | culprit |');
    const table = README.slice(start, README.indexOf('\n\n', start));
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(scenarios.sort());
  });
});

describe("the README's playbook search path", () => {
  it('says the folder beside the config is always searched, and playbookDirs adds to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inc-readme-playbook-dirs-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), 'playbookDirs: [team]\n');
      const config = loadConfig({ INC_CONFIG: join(dir, 'config.yaml'), HOME: dir });
      expect(config.playbookDirs).toEqual([join(dir, 'playbooks'), join(dir, 'team')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const paragraph = README.slice(README.indexOf('Playbooks are found in')).split('\n\n')[0]?.replace(/\s+/g, ' ');
    expect(paragraph).toContain('the `playbooks` folder beside the config file, which is always searched');
    expect(paragraph).toContain("then each folder of the config's `playbookDirs` in order, in addition to that one");
    expect(paragraph).not.toMatch(/`playbookDirs` \(default/);
  });
});

describe("the README's config file example", () => {
  it('loads as written, every key of it', () => {
    const section = README.slice(README.indexOf('### Config file'));
    const yaml = /```yaml\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(yaml, 'README has a ```yaml block under "### Config file"').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'inc-readme-config-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), yaml ?? '');
      const config = loadConfig({ INC_CONFIG: join(dir, 'config.yaml'), HOME: dir });
      expect(config.severities.map((s) => s.description)).toEqual([
        'complete outage, all users affected, revenue impact',
        'major feature unavailable or >20% of users',
        'degraded, <20% of users',
        'minor, workaround available',
      ]);
      expect(config.trustedPlaybooks).toHaveLength(1);
      expect(config.sync.remote).toBe('git@github.com:acme/incidents.git');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

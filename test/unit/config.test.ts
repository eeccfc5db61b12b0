import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, loadConfig, resolveSeverity } from '../../src/config.js';
import { FileFormatError, UsageError } from '../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('configPath', () => {
  it('prefers INC_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configPath({ INC_CONFIG: '/x/c.yaml', XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/x/c.yaml');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/inc/config.yaml');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/inc/config.yaml');
  });
});

describe('loadConfig', () => {
  it('returns the defaults when there is no file', () => {
    const config = loadConfig({ XDG_CONFIG_HOME: dir });
    expect(config.severities.map((s) => [s.name, s.aliases, s.updateCadenceMinutes])).toEqual([
      ['SEV1', ['P1'], 15],
      ['SEV2', ['P2'], 30],
      ['SEV3', ['P3'], 60],
      ['SEV4', ['P4'], null],
    ]);
    expect(config.protectedContexts).toEqual(['prod', 'prd']);
    expect(config.configDir).toBe(join(dir, 'inc'));
    expect(config.configFile).toBeUndefined();
    expect(config.playbookDirs).toEqual([join(dir, 'inc', 'playbooks')]);
    expect(config.templateDirs).toEqual([join(dir, 'inc', 'templates')]);
    expect(config.healthUrls).toEqual({});
    expect(config.contacts).toEqual({});
    expect(config.timeBoxMinutes).toBe(30);
  });

  it('reads severities, cadences, protected contexts, folders and health URLs', () => {
    mkdirSync(join(dir, 'inc'));
    writeFileSync(
      join(dir, 'inc', 'config.yaml'),
      `severities:
  - { name: critical, aliases: [S1], description: everything is down, updateCadenceMinutes: 10, ackTargetMinutes: 3, escalation: [on-call, cto], postmortemWithinBusinessDays: 2 }
  - { name: minor }
contacts: { on-call: 'pager: +1 555 0100', cto: dana }
timeBoxMinutes: 20
roles: [commander, scribe]
protectedContexts: ['^prod-', 'live']
playbookDirs: [team-playbooks, /abs/playbooks]
templateDirs: ['~/tpl']
healthUrls:
  checkout: https://checkout.example/healthz
  api: [https://a/healthz, https://b/healthz]
`,
    );
    const config = loadConfig({ XDG_CONFIG_HOME: dir, HOME: '/home/me' });
    const none = {
      firstUpdateMinutes: null,
      ackTargetMinutes: null,
      responseTargetMinutes: null,
      responseTarget: '',
      responseBusinessHours: null,
      escalation: [],
      postmortemWithinBusinessDays: null,
      resolveTargetMinutes: null,
    };
    expect(config.severities).toEqual([
      {
        ...none,
        name: 'critical',
        aliases: ['S1'],
        description: 'everything is down',
        updateCadenceMinutes: 10,
        ackTargetMinutes: 3,
        escalation: ['on-call', 'cto'],
        postmortemWithinBusinessDays: 2,
      },
      { ...none, name: 'minor', aliases: [], description: '', updateCadenceMinutes: null },
    ]);
    expect(config.contacts).toEqual({ 'on-call': 'pager: +1 555 0100', cto: 'dana' });
    expect(config.timeBoxMinutes).toBe(20);
    expect(config.roles).toEqual(['commander', 'scribe']);
    expect(config.protectedContexts).toEqual(['^prod-', 'live']);
    expect(config.playbookDirs).toEqual([
      join(dir, 'inc', 'playbooks'),
      join(dir, 'inc', 'team-playbooks'),
      '/abs/playbooks',
    ]);
    expect(config.templateDirs).toEqual([join(dir, 'inc', 'templates'), '/home/me/tpl']);
    expect(config.healthUrls).toEqual({
      checkout: ['https://checkout.example/healthz'],
      api: ['https://a/healthz', 'https://b/healthz'],
    });
    expect(resolveSeverity(config, 's1').name).toBe('critical');
  });

  it('names the line of a malformed or invalid file', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'severities:\n  - name: SEV1\n    updateCadenceMinutes: soon\n');
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(FileFormatError);
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/c\.yaml:3:.*severities\.0\.updateCadenceMinutes/);
    writeFileSync(file, 'protectedContext: [prod]\n');
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/c\.yaml.*protectedContext/);
    writeFileSync(file, 'severities: [\n');
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/c\.yaml:\d+/);
    writeFileSync(file, 'severities:\n  - { name: A, aliases: [B] }\n  - { name: b }\n');
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/"b" is used twice/);
  });

  it('says what a YAML syntax error is once, at file:line:col, and how to go on meanwhile', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'timeBoxMinutes: 30\nprotectedContexts: [prod\n');
    let thrown: FileFormatError | undefined;
    try {
      loadConfig({ INC_CONFIG: file });
    } catch (error) {
      thrown = error as FileFormatError;
    }
    expect(thrown?.message).toBe(
      `${file}:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    expect(thrown?.hint).toBe('fix the file; meanwhile INC_CONFIG=/dev/null runs inc on its defaults');
    expect(loadConfig({ INC_CONFIG: '/dev/null' }).configFile).toBe('/dev/null');
  });

  it('refuses an alias bomb as a malformed file', () => {
    const file = join(dir, 'c.yaml');
    const levels = Array.from(
      { length: 9 },
      (_, i) =>
        `l${i}: &l${i} [${Array(9)
          .fill(i ? `*l${i - 1}` : 'x')
          .join(', ')}]`,
    );
    writeFileSync(file, `${levels.join('\n')}\n`);
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/c\.yaml: YAML aliases expand too much/);
  });

  it('keeps trusted playbook hashes and refuses one that is not a SHA-256', () => {
    const file = join(dir, 'c.yaml');
    const sha256 = 'a'.repeat(64);
    writeFileSync(file, `trustedPlaybooks:\n  - { sha256: ${sha256}, file: /src/x.yaml }\n`);
    expect(loadConfig({ INC_CONFIG: file }).trustedPlaybooks).toEqual([sha256]);
    writeFileSync(file, 'trustedPlaybooks:\n  - { sha256: abc }\n');
    expect(() => loadConfig({ INC_CONFIG: file })).toThrow(/trustedPlaybooks\.0\.sha256: a SHA-256 in hex/);
  });

  it('refuses an INC_CONFIG that does not exist', () => {
    expect(() => loadConfig({ INC_CONFIG: join(dir, 'missing.yaml') })).toThrow(UsageError);
  });
});

describe('resolveSeverity', () => {
  const config = loadConfig({ XDG_CONFIG_HOME: '/nonexistent-inc-test' });
  it('accepts names and aliases in any case', () => {
    expect(resolveSeverity(config, 'sev2').name).toBe('SEV2');
    expect(resolveSeverity(config, 'P1').name).toBe('SEV1');
  });
  it('lists the valid severities for an unknown one', () => {
    expect(() => resolveSeverity(config, 'SEV9')).toThrow(/unknown severity "SEV9"/);
    try {
      resolveSeverity(config, 'SEV9');
    } catch (error) {
      expect((error as UsageError).hint).toBe('valid severities: SEV1 (P1), SEV2 (P2), SEV3 (P3), SEV4 (P4)');
      expect((error as UsageError).exitCode).toBe(2);
    }
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInc } from '../../helpers/run-inc.js';

/** A secret whose variable name says nothing of it: only the config's `redactEnv` makes it one. */
const LICENCE = 'lic-9f8e7d6c5b4a';

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-redact-config-'));
  env = {
    INC_HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    INC_ACTOR: 'alice',
    SHOP_LICENCE: LICENCE,
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(text: string): void {
  mkdirSync(join(dir, 'config', 'inc'), { recursive: true });
  writeFileSync(join(dir, 'config', 'inc', 'config.yaml'), text);
}

async function leaks(): Promise<string> {
  const inc = (args: string[]) => runInc(args, { env, cwd: dir });
  const outputs = [
    await inc(['start', `checkout down ${LICENCE}`, '-s', 'SEV2']),
    await inc(['note', `licence ${LICENCE} expired`]),
    await inc(['log']),
    await inc(['update', '--message', `renewed ${LICENCE}`]),
    await inc(['use', `INC-${LICENCE}`]),
  ];
  const [id] = readdirSync(join(dir, 'home', 'incidents'));
  const log = readFileSync(join(dir, 'home', 'incidents', id ?? '', 'events.jsonl'), 'utf8');
  return [...outputs.flatMap((r) => [r.stdout, r.stderr]), id, log].join('\n');
}

describe('config redactEnv: extra secret environment variables', () => {
  it('redacts their values at every exit: stdout, stderr, the log and the id', async () => {
    writeConfig('redactEnv: [SHOP_LICENCE]\n');
    const all = await leaks();
    expect(all).not.toContain(LICENCE);
    expect(all).toContain('[REDACTED]');
  });

  it("redacts the variables holding Prometheus' and Alertmanager's tokens, whatever their names", async () => {
    writeConfig('prometheus:\n  tokenEnv: SHOP_LICENCE\n');
    expect(await leaks()).not.toContain(LICENCE);
    writeConfig('alertmanager:\n  tokenEnv: SHOP_LICENCE\n');
    expect(await leaks()).not.toContain(LICENCE);
  });

  it('without the setting the value is an ordinary word (the name says nothing of a secret)', async () => {
    const all = await leaks();
    expect(all).toContain(LICENCE);
  });

  it('refuses a name that is not an environment variable name, at its line', async () => {
    writeConfig('redactEnv:\n  - "not a name"\n');
    const result = await runInc(['status'], { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/config\.yaml:2:5: redactEnv\.0: an environment variable name/);
  });
});

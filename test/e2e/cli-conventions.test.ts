import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSim } from '../../src/sim/index.js';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

describe('inc behaves like the CLIs people know', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-conventions-'));
  const env = { INC_HOME: join(dir, 'home'), HOME: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('suggests the closest playbook, --set key and sub-command', async () => {
    const playbook = await runInc(['run', 'rollbak'], { env, cwd: dir });
    expect(playbook.code).toBe(2);
    expect(playbook.stderr).toContain('did you mean rollback?');
    const key = await runInc(['run', 'rollback', '--set', 'deploymnt=api'], { env, cwd: dir });
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('did you mean deployment?');
    const sub = await runInc(['playbooks', 'lst'], { env, cwd: dir });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown command 'lst' for 'playbooks'; did you mean list?");
    const handoff = await runInc(['handoff', 'ad', 'drill on Thursday'], { env, cwd: dir });
    expect(handoff.code).toBe(2);
    expect(handoff.stderr).toContain("unknown command 'ad' for 'handoff'; did you mean add?");
    expect(handoff.stderr).toContain('hint: commands of handoff: add, list, clear');
  });

  it('lists in each command’s help the global options it honours', async () => {
    const triage = await runInc(['triage', '--help'], { env, cwd: dir });
    expect(triage.stdout).toMatch(/Global Options:[\s\S]*--context[\s\S]*--all-namespaces/);
    const note = await runInc(['note', '--help'], { env, cwd: dir });
    expect(note.stdout).toMatch(/Global Options:[\s\S]*--incident/);
    expect(note.stdout).not.toContain('--all-namespaces');
  });

  it('says "kubectl inc" in help and in every suggested command when run as a kubectl plugin', async () => {
    const plugin = join(dir, 'kubectl-inc');
    symlinkSync(INC_BIN, plugin);
    const help = await runInc(['run', '--help'], { bin: plugin, env, cwd: dir });
    expect(help.stdout).toContain('Usage: kubectl inc run');
    expect(help.stdout).toContain('  kubectl inc run rollback --set namespace=payments');
    expect(help.stdout).not.toMatch(/(?<!kubectl )(?<![\w-])inc run/);

    const sim = await startSim({ scenario: 'bad-deploy' });
    try {
      const triage = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-A'], { bin: plugin, env, cwd: dir });
      expect(triage.stdout).toContain('kubectl inc run rollback');
      expect(`${triage.stdout}${triage.stderr}`).not.toMatch(
        /(?<!kubectl )(?<![\w-])inc (run|undo|triage|note|update)\b/,
      );
    } finally {
      await sim.stop();
    }
    const typo = await runInc(['bogus'], { bin: plugin, env, cwd: dir });
    expect(typo.stderr).toContain('kubectl inc --help');
  });

  // util-linux `script` gives the CLI a real pseudo-terminal, as an SSH session has.
  it.skipIf(spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0)(
    'copies through the terminal (OSC 52) when no clipboard tool exists, as over SSH',
    async () => {
      await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { env, cwd: dir });
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(INC_BIN)} update --copy --dry-run --yes --message checking --impact "checkout slow"`;
      const result = spawnSync('script', ['-qec', command, '/dev/null'], {
        env: {
          ...process.env,
          ...env,
          PATH: '/usr/bin:/bin',
          DISPLAY: '',
          WAYLAND_DISPLAY: '',
          TMUX: '',
          NO_COLOR: '1',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: OSC 52 is ESC ] 52 ; c ; base64 BEL
      expect(result.stdout).toMatch(/\u001b\]52;c;[A-Za-z0-9+/=]+\u0007/);
      expect(result.stdout).toContain('copied to the clipboard (the terminal (OSC 52))');
    },
  );

  it("reads one clock, the server's: the triage header and the findings agree on a fast simulator", async () => {
    const sim = await startSim({ scenario: 'bad-deploy', speed: 100 });
    try {
      // Wait, boundedly, until the simulated clock is more than a minute ahead of this machine's.
      const deadline = Date.now() + 20_000;
      while (sim.clock.now().getTime() - Date.now() <= 60_000 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const before = sim.clock.now().getTime();
      const result = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-A', '-o', 'json'], {
        env,
        cwd: dir,
      });
      const after = sim.clock.now().getTime();
      const report = JSON.parse(result.stdout) as { startedAt: string; findings: { since?: string }[] };
      const startedAt = Date.parse(report.startedAt);
      // The simulated clock runs 100x: it is more than a minute ahead of this machine's.
      expect(startedAt).toBeGreaterThanOrEqual(before);
      expect(startedAt).toBeLessThanOrEqual(after);
      expect(startedAt - Date.now()).toBeGreaterThan(60_000);
      for (const finding of report.findings) {
        if (finding.since) expect(Date.parse(finding.since)).toBeLessThanOrEqual(startedAt);
      }
    } finally {
      await sim.stop();
    }
  });

  it('checks for helm before starting a Helm demo, and says how to get it', async () => {
    const result = await runInc(['demo', '--scenario', 'helm-bad-release'], {
      env: { ...env, INC_HELM: join(dir, 'no-such-helm') },
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the helm-bad-release scenario runs the real helm, and none was found');
    expect(result.stderr).toContain('INC_HELM');
    expect(result.stderr).not.toContain('simulated cluster is up');
  });
});

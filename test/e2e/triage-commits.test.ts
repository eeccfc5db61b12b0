import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { runInc } from '../helpers/run-inc.js';

/** A git repository with one commit whose subject the tests look for. */
function gitRepo(dir: string, subject: string): string {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  git('init', '-q');
  writeFileSync(join(dir, 'deploy.yaml'), 'image: api:2.3.1\n');
  git('add', '.');
  git('commit', '-q', '-m', subject);
  return dir;
}

describe('triage lists the commits of the repository that deploys the namespace, never of the current folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-commits-'));
  const unrelated = gitRepo(join(dir, 'unrelated'), 'unrelated: fix typo in README');
  const deploys = gitRepo(join(dir, 'payments-deploy'), 'payments: bump api to 2.3.1');
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ scenario: 'bad-deploy' });
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function commits(args: string[], config?: string): Promise<string[]> {
    const env: Record<string, string> = { INC_HOME: join(dir, 'home'), HOME: dir };
    if (config) {
      env.INC_CONFIG = join(dir, 'config.yaml');
      writeFileSync(env.INC_CONFIG, config);
    }
    const result = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-o', 'json', ...args], {
      cwd: unrelated,
      env,
    });
    const report = JSON.parse(result.stdout) as TriageReport;
    return (report.commits ?? []).map((commit) => commit.subject);
  }

  it('ignores the repository inc happens to run in', async () => {
    expect(await commits(['-n', 'payments'])).toEqual([]);
  });

  it('reads --repo', async () => {
    expect(await commits(['-n', 'payments', '--repo', deploys])).toEqual(['payments: bump api to 2.3.1']);
  });

  it("reads the repository the config's repos maps to the namespace", async () => {
    const config = `repos:\n  payments: ${deploys}\n`;
    expect(await commits(['-n', 'payments'], config)).toEqual(['payments: bump api to 2.3.1']);
    expect(await commits(['-n', 'default'], config)).toEqual([]);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim } from '../../src/sim/index.js';
import { runInc } from '../helpers/run-inc.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What a global install may weigh at most (it was 108 MB when every bundled library was installed again). */
const MAX_INSTALL_BYTES = 60 * 1024 * 1024;

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}

/**
 * The package as a user gets it: a release build packed into a tarball and installed globally, offline,
 * into a prefix outside the repository. The copy is built elsewhere so the checkout's dist/ is untouched.
 */
describe('a global install of the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inc-install-'));
  const pkgDir = join(dir, 'package');
  const prefix = join(dir, 'global');
  let installOutput = '';
  let packedFiles: string[] = [];

  beforeAll(() => {
    for (const entry of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin', 'playbooks', 'templates']) {
      cpSync(join(ROOT, entry), join(pkgDir, entry), { recursive: true });
    }
    cpSync(join(ROOT, 'src/sim/scenarios'), join(pkgDir, 'src/sim/scenarios'), { recursive: true });
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--release', '--outdir', join(pkgDir, 'dist')]);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
        cwd: pkgDir,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0]?.files.map((file) => file.path) ?? [];
    const tarball = join(dir, packed[0]?.filename ?? '');
    const install = spawnSync(
      'npm',
      ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    installOutput = `${install.stdout}${install.stderr}`;
    expect(install.status, installOutput).toBe(0);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships no source maps and no sources but the scenarios', () => {
    expect(packedFiles.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(packedFiles.filter((path) => path.startsWith('src/') && !path.startsWith('src/sim/scenarios/'))).toEqual([]);
    expect(packedFiles).toContain('dist/inc.js');
  });

  it('installs without a warning of ours and without fetching anything', () => {
    expect(installOutput).not.toMatch(/warn/i);
    // Every library is bundled into dist/: a runtime dependency would be fetched from the registry
    // at install time (and an offline install fails as soon as its metadata is not cached).
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it(`weighs under ${MAX_INSTALL_BYTES / 1024 / 1024} MB once installed`, () => {
    const installed = sizeOf(join(prefix, 'lib', 'node_modules', 'inc-responder'));
    expect(installed).toBeGreaterThan(0);
    expect(installed).toBeLessThan(MAX_INSTALL_BYTES);
  });

  it('runs as inc and as kubectl-inc from outside the repository, against a cluster', async () => {
    const bin = join(prefix, 'bin');
    const version = await runInc(['--version'], { bin: join(bin, 'inc'), cwd: dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const sim = await startSim({ scenario: 'bad-deploy' });
    try {
      const triage = await runInc(['--kubeconfig', sim.kubeconfigPath, 'triage', '-A', '-o', 'json'], {
        bin: join(bin, 'kubectl-inc'),
        cwd: dir,
        env: { INC_HOME: join(dir, 'home'), HOME: dir },
      });
      expect(triage.stderr).not.toContain('unexpected error');
      const report = JSON.parse(triage.stdout) as { suspects: { workload: { name: string } }[] };
      expect(report.suspects[0]?.workload.name).toBe('api');
    } finally {
      await sim.stop();
    }
  }, 60_000);
});

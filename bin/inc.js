#!/usr/bin/env node
// Runs the bundled CLI. The published package ships dist/ built; a fresh development checkout builds it
// here on first use (`npm install && npx inc demo`), since the package has no install script of its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const builtCli = fileURLToPath(new URL('../dist/inc.js', import.meta.url));
const buildScript = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));

function ensureBuilt() {
  if (existsSync(builtCli) || !existsSync(buildScript)) return true;
  const result = spawnSync(process.execPath, [buildScript], { stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0;
}

if (ensureBuilt()) {
  import('../dist/inc.js').catch((error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/inc.js')) {
      process.stderr.write('inc: the CLI is not built; run `npm run build` in the inc folder\n');
      process.exitCode = 1;
      return;
    }
    throw error;
  });
} else {
  process.stderr.write('inc: building the CLI failed; run `npm install`, then `npm run build` in the inc folder\n');
  process.exitCode = 1;
}

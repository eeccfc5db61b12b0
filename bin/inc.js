#!/usr/bin/env node
// Runs the bundled CLI built by `npm run build` (the `prepare` script of a fresh install).
import('../dist/inc.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/inc.js')) {
    process.stderr.write('inc: the CLI is not built yet; run `npm run build` (or `npm install`) in the inc folder\n');
    process.exitCode = 1;
    return;
  }
  throw error;
});

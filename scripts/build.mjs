// Bundles the CLI into dist/ with esbuild: one entry file plus lazily loaded chunks,
// so `inc --version` does not pay for loading hundreds of modules.

import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { inc: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __INC_VERSION__: JSON.stringify(pkg.version) },
  // Loaded from node_modules on demand: the Kubernetes client is large and only cluster commands need it.
  external: ['@kubernetes/client-node'],
  banner: {
    js: "import { createRequire as __incCreateRequire } from 'node:module'; const require = __incCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

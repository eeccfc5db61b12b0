// Bundles the CLI into dist/ with esbuild: one entry file plus lazily loaded chunks,
// so `inc --version` does not pay for loading hundreds of modules.

import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// `--release` (run by `npm pack`/`npm publish`) ships no source maps: they tripled the package's size.
const release = process.argv.includes('--release');
// `--outdir DIR` builds elsewhere (the install test packs a copy without touching the checkout's dist/).
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : fileURLToPath(new URL('../dist', import.meta.url));
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { inc: fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)) },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: release ? false : 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __INC_VERSION__: JSON.stringify(pkg.version) },
  // Everything, the Kubernetes client included, is bundled: an install has no runtime dependency to fetch.
  // The client stays in its own chunk behind a dynamic import, so commands that need no cluster never load it.
  banner: {
    js: "import { createRequire as __incCreateRequire } from 'node:module'; const require = __incCreateRequire(import.meta.url);",
  },
  // Whitespace and syntax only: identifiers stay readable in a stack trace.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The folder of the inc package (where package.json, playbooks/, templates/ and src/sim/scenarios/ are),
 * found by walking up from this module: the same from the sources, from dist/inc.js and from dist/chunks/.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'inc-responder'
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the inc-responder package folder');
    dir = parent;
  }
}

/** A path inside the package: `assetPath('playbooks')`, `assetPath('templates', 'postmortem.md')`. */
export function assetPath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** e2e tests spawn the built CLI; `npm test` builds it first, this only checks it is there. */
export default function setup(): void {
  const bundle = fileURLToPath(new URL('../../dist/inc.js', import.meta.url));
  if (!existsSync(bundle)) {
    throw new Error('dist/inc.js is missing: run `npm run build` (npm test does it for you)');
  }
}

import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { type RunIncOptions, type RunIncResult, runInc } from '../helpers/run-inc.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A private copy of the built CLI (dist/ plus a launcher) under .cache/, so a rebuild of dist/
 * while these tests run (`npm run build` deletes it first) cannot pull the binary from under them.
 * It lives inside the repository so the bundle still resolves node_modules.
 */
export async function snapshotBuiltCli(): Promise<{ bin: string; remove(): void }> {
  const dir = join(ROOT, '.cache', `e2e-incident-${process.pid}-${Date.now()}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      writeFileSync(join(dir, 'inc.js'), "import('./dist/inc.js');\n");
      const check = await runIncAt(join(dir, 'inc.js'), ['--version'], { timeoutMs: 20_000 });
      if (check.code === 0) break;
    } catch {
      // dist/ was being rebuilt mid-copy; try again.
    }
    if (Date.now() > deadline || !existsSync(ROOT)) throw new Error('no complete build in dist/: run npm run build');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { bin: join(dir, 'inc.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** runInc (same pinned environment, no TTY) for a given launcher. */
export function runIncAt(bin: string, args: readonly string[], options: RunIncOptions = {}): Promise<RunIncResult> {
  return runInc(args, { ...options, bin });
}

/** Registers a snapshot of the built CLI for the file's tests; `bin()` is its launcher once they run. */
export function useBuiltCliSnapshot(): { bin(): string } {
  let snapshot: { bin: string; remove(): void } | undefined;
  beforeAll(async () => {
    snapshot = await snapshotBuiltCli();
  });
  afterAll(() => snapshot?.remove());
  return { bin: () => snapshot?.bin ?? '' };
}

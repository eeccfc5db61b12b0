import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const APT_TIMEOUT_MS = 180_000;

/**
 * Unpacks Debian packages into `root` without installing them: `apt-get download` then `dpkg-deb -x`,
 * as a user without the packages installed could. When the download fails (empty or stale package
 * lists, a lock held by another apt), the lists are refreshed once and the download retried.
 */
export async function extractDebianPackages(packages: readonly string[], root: string, debDir: string): Promise<void> {
  mkdirSync(debDir, { recursive: true });
  try {
    await download(packages, debDir);
  } catch (first) {
    try {
      await run('apt-get', ['update'], { timeout: APT_TIMEOUT_MS });
      await download(packages, debDir);
    } catch (second) {
      throw new Error(
        `could not download the Debian packages ${packages.join(', ')} (apt-get download): ${message(second)}; first attempt: ${message(first)}`,
      );
    }
  }
  // Unpack beside and rename, so a concurrent reader never sees a half-extracted tree.
  const partial = `${root}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const name of packages) {
    const deb = readdirSync(debDir).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download left no ${name}_*.deb in ${debDir}`);
    await run('dpkg-deb', ['-x', join(debDir, deb), partial], { timeout: APT_TIMEOUT_MS });
  }
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
}

async function download(packages: readonly string[], debDir: string): Promise<void> {
  const present = readdirSync(debDir);
  const missing = packages.filter(
    (name) => !present.some((file) => file.startsWith(`${name}_`) && file.endsWith('.deb')),
  );
  if (missing.length === 0) return;
  await run('apt-get', ['download', ...missing], { cwd: debDir, timeout: APT_TIMEOUT_MS });
}

/** Copies every file of `from` into `to` that is not there yet (creating `to`). */
export function copyMissingFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from)) {
    const source = join(from, file);
    if (!statSync(source).isFile() || existsSync(join(to, file))) continue;
    copyFileSync(source, join(to, file));
  }
}

function message(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).split('\n').slice(-3).join(' ');
}

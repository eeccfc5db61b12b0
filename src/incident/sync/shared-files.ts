import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomically, replaceFileAtomically } from '../atomic-file.js';
import { redactEvidence } from '../evidence-files.js';
import { evidenceDir, incidentDir } from '../paths.js';
import { ensurePrivateDir, FILE_MODE } from '../store.js';
import { repoIncidentFolder, SHARED_FILE_NAME_PATTERN } from './sync-paths.js';

const POSTMORTEM = 'postmortem.md';
/** A teammate's postmortem edited at the same time as this one, kept to merge by hand. */
const THEIRS = 'postmortem.theirs.md';

export interface SharedFilesOptions {
  home: string;
  repo: string;
  id: string;
  maxFileBytes: number;
  /** Hash of the postmortem both sides held after the last sync: tells who changed it since. */
  syncedPostmortem?: string;
  warnings: string[];
}

export interface SharedFilesResult {
  pulled: number;
  staged: number;
  /** Hash of the postmortem both sides hold now, if they agree. */
  postmortem?: string;
}

/**
 * Evidence files travel both ways, each created once and never replaced (evidence is never
 * overwritten); what comes in is redacted again. The postmortem follows its last editor: a copy
 * unchanged here since the last sync takes the shared one, a copy edited here is shared, redacted.
 * Edited on both sides since the last sync, neither is lost: the shared one is kept beside this one
 * (`postmortem.theirs.md`) to merge by hand, and this one is shared at the next sync.
 */
export async function syncSharedFiles(options: SharedFilesOptions): Promise<SharedFilesResult> {
  const local = incidentDir(options.home, options.id);
  const shared = repoIncidentFolder(options.repo, options.id);
  const pulled = await pullEvidence(options, join(shared, 'evidence'));
  const staged = await stageEvidence(options, join(shared, 'evidence'));
  const postmortem = await syncPostmortem(options, join(local, POSTMORTEM), join(shared, POSTMORTEM));
  return { pulled, staged: staged + postmortem.staged, postmortem: postmortem.hash };
}

async function pullEvidence(options: SharedFilesOptions, sharedDir: string): Promise<number> {
  let pulled = 0;
  const have = new Set(await listFiles(evidenceDir(options.home, options.id), Number.POSITIVE_INFINITY));
  for (const name of await listFiles(sharedDir, Number.POSITIVE_INFINITY)) {
    if (have.has(name)) continue;
    // A teammate with a larger cap shared it: said, or the log names evidence that is not here.
    if (!(await fitsCap(join(sharedDir, name), options, `evidence/${name}`, 'on the remote is not pulled'))) continue;
    await ensurePrivateDir(evidenceDir(options.home, options.id));
    const body = redactEvidence(await readFile(join(sharedDir, name)));
    await createFileAtomically(join(evidenceDir(options.home, options.id), name), body, FILE_MODE).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
    pulled += 1;
  }
  return pulled;
}

async function stageEvidence(options: SharedFilesOptions, sharedDir: string): Promise<number> {
  const there = new Set(await listFiles(sharedDir, Number.POSITIVE_INFINITY));
  const localDir = evidenceDir(options.home, options.id);
  let staged = 0;
  for (const name of await listFiles(localDir, Number.POSITIVE_INFINITY)) {
    if (there.has(name)) continue;
    if (!(await fitsCap(join(localDir, name), options, `evidence/${name}`))) continue;
    await mkdir(sharedDir, { recursive: true });
    await copyFile(join(localDir, name), join(sharedDir, name));
    staged += 1;
  }
  return staged;
}

async function syncPostmortem(
  options: SharedFilesOptions,
  localFile: string,
  sharedFile: string,
): Promise<{ staged: number; hash?: string }> {
  const local = await readRegular(localFile);
  const shared = await readRegular(sharedFile);
  if (local === undefined && shared === undefined) return { staged: 0 };
  const localHash = local && hashOf(local);
  const sharedHash = shared && hashOf(shared);
  if (localHash === sharedHash) return { staged: 0, hash: localHash };
  const editedHere = local !== undefined && localHash !== options.syncedPostmortem;
  const editedThere = shared !== undefined && sharedHash !== options.syncedPostmortem;
  if (shared !== undefined && !editedHere && shared.length <= options.maxFileBytes) {
    const text = redactEvidence(shared);
    await replaceFileAtomically(localFile, text, FILE_MODE);
    return { staged: 0, hash: hashOf(Buffer.from(text)) === sharedHash ? sharedHash : undefined };
  }
  if (editedHere && editedThere && shared.length <= options.maxFileBytes) {
    // Both edited: theirs beside ours, and counted as seen, so the next sync shares ours (merged or not).
    const beside = join(localFile, '..', THEIRS);
    await replaceFileAtomically(beside, redactEvidence(shared), FILE_MODE);
    options.warnings.push(
      `${options.id}/${POSTMORTEM} was edited here and by a teammate since the last sync: theirs is kept beside yours as ${beside}; merge it into ${POSTMORTEM}, and the next inc sync shares yours`,
    );
    return { staged: 0, hash: sharedHash };
  }
  if (local === undefined || !(await fitsCap(localFile, options, POSTMORTEM))) return { staged: 0 };
  // What leaves is redacted, as every exit is: a secret typed into the draft stays out of the remote's history.
  const text = redactEvidence(local);
  if (hashOf(text) !== localHash) await replaceFileAtomically(localFile, text, FILE_MODE);
  await mkdir(join(sharedFile, '..'), { recursive: true });
  await replaceFileAtomically(sharedFile, text, FILE_MODE);
  return { staged: 1, hash: hashOf(text) };
}

async function fitsCap(
  path: string,
  options: SharedFilesOptions,
  label: string,
  fate = 'stays on this machine',
): Promise<boolean> {
  const { size } = await lstat(path);
  if (size <= options.maxFileBytes) return true;
  options.warnings.push(
    `${options.id}/${label} (${size} bytes) ${fate}: larger than sync.maxFileBytes (${options.maxFileBytes})`,
  );
  return false;
}

/** Regular files with a safe name (no links, no dot files) up to a size. */
async function listFiles(dir: string, maxBytes: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files: string[] = [];
  for (const name of names.sort()) {
    if (!SHARED_FILE_NAME_PATTERN.test(name)) continue;
    const stats = await lstat(join(dir, name));
    if (stats.isFile() && stats.size <= maxBytes) files.push(name);
  }
  return files;
}

async function readRegular(path: string): Promise<Buffer | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() ? readFile(path) : undefined;
}

function hashOf(content: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

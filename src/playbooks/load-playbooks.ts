import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../closest-match.js';
import { UsageError } from '../errors.js';
import { PlaybookValidationError } from './errors.js';
import { parsePlaybook } from './parse-playbook.js';
import type { Playbook } from './schema.js';

export const PLAYBOOK_SOURCES = ['built-in', 'user', 'repo', 'file'] as const;
export type PlaybookSource = (typeof PLAYBOOK_SOURCES)[number];

export interface PlaybookDir {
  dir: string;
  source: PlaybookSource;
}

/** A playbook found on the search path; `error` is set when its file cannot be read or does not validate. */
export interface PlaybookEntry {
  name: string;
  file: string;
  source: PlaybookSource;
  playbook?: Playbook;
  error?: UsageError;
  /** The source of the playbook of the same name that this one shadows. */
  overrides?: PlaybookSource;
  /** The file's text as read and parsed (what runs), and its SHA-256 (what trust is recorded for). */
  text?: string;
  sha256?: string;
}

/** Playbooks are small; a larger file is refused before it is parsed (a 22 MB file exhausted memory). */
export const MAX_PLAYBOOK_BYTES = 1024 * 1024;

export interface SearchPathOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * The user's folders as the config resolves them: `<config dir>/playbooks` always, then each of
   * the config's `playbookDirs`. Left out (no config read), `$XDG_CONFIG_HOME/inc/playbooks` alone.
   */
  playbookDirs?: readonly string[];
}

/** The search path, earliest first: built-in, then the user's folders, then ./.inc/playbooks. Later wins. */
export function playbookSearchPath(options: SearchPathOptions): PlaybookDir[] {
  const configHome = options.env.XDG_CONFIG_HOME || join(options.env.HOME || homedir(), '.config');
  const userDirs = options.playbookDirs ?? [join(configHome, 'inc', 'playbooks')];
  return [
    { dir: builtinPlaybookDir(), source: 'built-in' },
    ...userDirs.map((dir) => ({ dir: resolve(options.cwd, dir), source: 'user' as const })),
    { dir: join(options.cwd, '.inc', 'playbooks'), source: 'repo' },
  ];
}

/** The built-in playbooks/ folder beside the bundle (dist/../playbooks) or the source tree. */
export function builtinPlaybookDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'playbooks'))) return join(dir, 'playbooks');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'playbooks');
}

/** Every playbook on the search path, one per name (the last found wins), sorted by name. */
export function listPlaybooks(path: readonly PlaybookDir[]): PlaybookEntry[] {
  const byName = new Map<string, PlaybookEntry>();
  for (const { dir, source } of path) {
    for (const file of playbookFiles(dir)) {
      const entry = loadEntry(file, source);
      const previous = byName.get(entry.name);
      if (previous) entry.overrides = previous.overrides ?? previous.source;
      byName.set(entry.name, entry);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Finds a playbook by name on the search path, or loads it from a file when given a path
 * (anything with a "/" or ending in .yaml/.yml). Throws a UsageError listing the known names.
 */
export function findPlaybook(
  nameOrFile: string,
  path: readonly PlaybookDir[],
  cwd: string,
): PlaybookEntry & { playbook: Playbook } {
  const isFile = nameOrFile.includes('/') || /\.ya?ml$/.test(nameOrFile);
  const entries = isFile ? [] : listPlaybooks(path);
  const file = resolve(cwd, nameOrFile);
  const entry = isFile ? loadEntry(file, sourceOfFile(file, path), true) : entries.find((e) => e.name === nameOrFile);
  if (!entry) {
    const suggestion = didYouMean(
      nameOrFile,
      entries.map((e) => e.name),
    );
    throw new UsageError(`unknown playbook "${nameOrFile}"${suggestion ? `; ${suggestion}` : ''}`, {
      hint: `known playbooks: ${entries.map((e) => e.name).join(', ') || '(none)'}; see inc playbooks list`,
    });
  }
  if (entry.error) throw entry.error;
  return entry as PlaybookEntry & { playbook: Playbook };
}

/**
 * Where a playbook given by its path lives: a file of a folder on the search path (the built-in
 * playbooks, the user's own folders, ./.inc/playbooks) is of that folder, as when run by its name,
 * so the same file is trusted (or not) the same way however it is named; any other file is a file.
 */
function sourceOfFile(file: string, path: readonly PlaybookDir[]): PlaybookSource {
  if (!/\.ya?ml$/.test(file)) return 'file';
  const real = (target: string) => {
    try {
      return realpathSync(target);
    } catch {
      return undefined;
    }
  };
  const folder = real(dirname(file));
  if (folder === undefined) return 'file';
  // The last folder of the search path that holds it, as the last one found wins by name.
  const match = [...path].reverse().find(({ dir }) => real(dir) === folder);
  return match?.source ?? 'file';
}

/** Reads and validates one playbook file (for `inc playbooks validate`). */
export function loadPlaybookFile(file: string, shownAs = file): Playbook {
  return parsePlaybook(readPlaybookText(file, shownAs), shownAs);
}

/**
 * Reads a playbook file's text, refusing what is not a regular file or is larger than
 * MAX_PLAYBOOK_BYTES before reading it all (a device such as /dev/zero never ends).
 */
export function readPlaybookText(file: string, shownAs = file): string {
  const fail = (why: string, hint?: string) => new UsageError(`cannot read playbook ${shownAs}: ${why}`, { hint });
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : (code ?? String(error)));
  }
  try {
    if (!fstatSync(fd).isFile()) throw fail('not a regular file');
    const buffer = Buffer.alloc(MAX_PLAYBOOK_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_PLAYBOOK_BYTES) {
      throw fail(
        `larger than ${MAX_PLAYBOOK_BYTES / 1024 / 1024} MiB`,
        'a playbook is a short YAML file; check the path',
      );
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw fail((error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    closeSync(fd);
  }
}

function loadEntry(file: string, source: PlaybookSource, mustExist = false): PlaybookEntry {
  const fallbackName = basename(file, extname(file));
  let text: string;
  try {
    text = readPlaybookText(file);
  } catch (error) {
    // One unreadable file in a folder is listed as such; running it by name gives the same error.
    if (mustExist || !(error instanceof UsageError)) throw error;
    return { name: fallbackName, file, source, error };
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  try {
    const playbook = parsePlaybook(text, file);
    return { name: playbook.metadata.name, file, source, playbook, text, sha256 };
  } catch (error) {
    if (error instanceof PlaybookValidationError) return { name: fallbackName, file, source, error };
    throw error;
  }
}

function playbookFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

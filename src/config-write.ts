import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Document, isSeq, parseDocument } from 'yaml';
import { configPath } from './config.js';
import { UsageError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Records a trusted playbook's hash in the config file (created if missing), keeping the file's
 * comments and order; written to a temporary file and renamed, so a crash never leaves half a config.
 */
export function recordTrustedPlaybook(env: Env, entry: { sha256: string; file: string }): string {
  const file = configPath(env);
  const doc = readConfigDocument(file, TRUST);
  const list = doc.get('trustedPlaybooks');
  const item = doc.createNode({ sha256: entry.sha256, file: entry.file });
  if (isSeq(list)) list.add(item);
  else doc.set('trustedPlaybooks', doc.createNode([item]));
  writeConfigDocument(file, doc, TRUST);
  return file;
}

/** Sets one value of the config file (`sync.remote`), keeping its comments and order; returns the file. */
export function writeConfigValue(env: Env, path: readonly string[], value: unknown): string {
  const file = configPath(env);
  const doc = readConfigDocument(file, 'write the setting');
  doc.setIn([...path], value);
  writeConfigDocument(file, doc, 'write the setting');
  return file;
}

function readConfigDocument(file: string, what: string): Document {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(file, error, what);
  }
  // loadConfig has validated the file already: it is a mapping, or empty.
  return text.trim() ? parseDocument(text) : new Document({});
}

function writeConfigDocument(file: string, doc: Document, what: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(file), `.config.${process.pid}.tmp`);
    writeFileSync(temporary, doc.toString(), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    throw cannotWrite(file, error, what);
  }
}

const TRUST = 'record the trusted playbook';

function cannotWrite(file: string, error: unknown, what = TRUST): UsageError {
  return new UsageError(`cannot ${what} in ${file}: ${(error as Error).message}`, {
    hint:
      what === TRUST
        ? 'the playbook did not run; fix the config file, or rerun with --trust to run it once'
        : 'fix the config file or INC_CONFIG',
  });
}

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
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(file, error);
  }
  // loadConfig has validated the file already: it is a mapping, or empty.
  const doc = text.trim() ? parseDocument(text) : new Document({});
  const list = doc.get('trustedPlaybooks');
  const item = doc.createNode({ sha256: entry.sha256, file: entry.file });
  if (isSeq(list)) list.add(item);
  else doc.set('trustedPlaybooks', doc.createNode([item]));
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(file), `.config.${process.pid}.tmp`);
    writeFileSync(temporary, doc.toString(), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    throw cannotWrite(file, error);
  }
  return file;
}

function cannotWrite(file: string, error: unknown): UsageError {
  return new UsageError(`cannot record the trusted playbook in ${file}: ${(error as Error).message}`, {
    hint: 'the playbook did not run; fix the config file, or rerun with --trust to run it once',
  });
}

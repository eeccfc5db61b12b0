import { readFile, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { openTemporary } from './atomic-file.js';
import { redactValue } from './redact.js';

/**
 * A piece of a JSON evidence document: `text` is inc's own framing (`{"pods":[`, commas), written as
 * it is; `json` is a value from outside (a pod, an event), redacted and serialised on its own, so a
 * document of any size is never held whole.
 */
export type EvidencePart = { text: string } | { json: unknown };

/** What was written: the path relative to the incident folder and its size on disk. */
export interface SavedEvidence {
  path: string;
  bytes: number;
}

/**
 * Writes the parts gzip-compressed to a new temporary file beside `path` and syncs it, ready to be
 * linked into place (a full disk leaves no truncated evidence, and nothing behind). Returns its name
 * and its size.
 */
export async function writeCompressedTemporary(
  path: string,
  parts: Iterable<EvidencePart>,
  mode: number,
): Promise<{ temporary: string; bytes: number }> {
  const { temporary, handle } = await openTemporary(path, mode);
  try {
    await handle.chmod(mode);
    await pipeline(serialise(parts), createGzip(), async (compressed: AsyncIterable<Buffer>) => {
      for await (const chunk of compressed) await handle.write(chunk);
    });
    await handle.sync();
    const { size } = await handle.stat();
    await handle.close();
    return { temporary, bytes: size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The parts as text, a batch at a time: one write per part would cost the compressor more than the text. */
function* serialise(parts: Iterable<EvidencePart>): Generator<string> {
  let batch = '';
  for (const part of parts) {
    batch += 'text' in part ? part.text : JSON.stringify(redactValue(part.json));
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Reads a JSON evidence file, compressed (`.gz`, or gzip's magic bytes) or not. */
export async function readEvidenceJson(path: string): Promise<unknown> {
  const bytes = await readFile(path);
  const compressed = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return JSON.parse((compressed ? gunzipSync(bytes) : bytes).toString('utf8'));
}

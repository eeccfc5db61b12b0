import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { ApiStatusError, badRequest } from '../status.js';

/** Largest request body accepted (the real API server allows 3 MiB; helm releases stay well under). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function baseHeaders(clock: Clock, contentType = 'application/json'): Record<string, string> {
  return { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', Date: clock.now().toUTCString() };
}

/** Answers with a JSON body that is already serialised (list bodies are built from cached per-object JSON). */
export function sendJson(res: ServerResponse, clock: Clock, status: number, body: string | Buffer): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...baseHeaders(clock), 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(
  res: ServerResponse,
  clock: Clock,
  status: number,
  body: string | Buffer,
  contentType = 'text/plain',
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...baseHeaders(clock, contentType), 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, clock: Clock, error: ApiStatusError, retryAfterSeconds?: number): void {
  if (res.destroyed || res.headersSent) return;
  const body = JSON.stringify(error.toStatus());
  const headers: Record<string, string | number> = { ...baseHeaders(clock), 'Content-Length': Buffer.byteLength(body) };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  res.writeHead(error.code, headers);
  res.end(body);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiStatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON request body; an unparseable one is a 400 as the API server answers. */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}`);
  }
}

/** The media type of a Content-Type header, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

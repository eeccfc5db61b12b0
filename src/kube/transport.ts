import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../clock.js';
import { proxyFromEnvironment } from '../env-proxy.js';
import type { RawCluster, RawUser } from '../kubeconfig/read-kubeconfig.js';
import type { ResolvedKubeconfig } from '../kubeconfig/resolve-kubeconfig.js';
import { clientNodeConnection } from './client-node-connection.js';
import type { Connection } from './connection.js';
import type { InteractiveLogin } from './credential-plugin.js';
import { impersonationHeaders } from './impersonation.js';
import { fileOrData, readKubeconfigFile } from './kubeconfig-files.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text (UTF-8): large lists are decoded once, as they stream in. */
  body: string;
}

export interface SendOptions {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
  /** Bytes of body read at most; past that the request is destroyed and rejected with ResponseTooLargeError. */
  maxBytes?: number;
  /**
   * Receives a 2xx JSON (see streamAnyType) body chunk by chunk instead of collecting it (the body then resolves empty);
   * an error it throws rejects the request. Other answers are collected, for their error message.
   */
  onChunk?: (chunk: Buffer) => void;
  /** Stream a 2xx answer of any content type (a log), not only JSON. */
  streamAnyType?: boolean;
  /** An answer cut short ends normally instead of rejecting: a followed log ends when its pod goes. */
  endWhenCutOff?: boolean;
}

/** An answer larger than SendOptions.maxBytes: reading on would exhaust memory. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer exceeded ${maxBytes} bytes`);
  }
}

/**
 * Builds the connection. Plain certificates, tokens and basic auth are handled here, which spares
 * loading the Kubernetes client on every run; exec plugins, auth providers and proxies go through
 * client-node's own KubeConfig, which knows them all. A proxy is the kubeconfig's proxy-url, else
 * the environment's (HTTPS_PROXY, NO_PROXY), as kubectl takes it.
 */
export function createConnection(resolved: ResolvedKubeconfig, clock: Clock, login?: InteractiveLogin): Connection {
  const { cluster, user } = resolved;
  const proxy = cluster['proxy-url'] ?? proxyFromEnvironment(resolved.server);
  const needsClientNode = user.exec !== undefined || user['auth-provider'] !== undefined || proxy !== undefined;
  if (needsClientNode) return { ...clientNodeConnection(resolved, proxy, clock, login), proxy };
  const agent = resolved.server.startsWith('https:')
    ? new https.Agent(tlsOptions(cluster, user, resolved.contextName))
    : new http.Agent({ keepAlive: true });
  return {
    prepare: async () => ({ agent, headers: authHeaders(user, resolved.contextName) }),
    close: () => agent.destroy(),
  };
}

function tlsOptions(cluster: RawCluster, user: RawUser, context: string): https.AgentOptions {
  const options: https.AgentOptions = { keepAlive: true, maxSockets: 32 };
  const read = (field: string, file: string | undefined, data: string | undefined) =>
    fileOrData(file, data, field, context);
  const ca = read('certificate-authority', cluster['certificate-authority'], cluster['certificate-authority-data']);
  if (ca) options.ca = ca;
  const cert = read('client-certificate', user['client-certificate'], user['client-certificate-data']);
  if (cert) options.cert = cert;
  const key = read('client-key', user['client-key'], user['client-key-data']);
  if (key) options.key = key;
  if (cluster['insecure-skip-tls-verify']) options.rejectUnauthorized = false;
  if (cluster['tls-server-name']) options.servername = cluster['tls-server-name'];
  return options;
}

function authHeaders(user: RawUser, context: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = impersonationHeaders(user);
  const tokenFile = (user.tokenFile ?? user['token-file']) as string | undefined;
  // A token file is re-read on every request: service-account tokens rotate.
  const token =
    user.token ?? (tokenFile ? readKubeconfigFile(tokenFile, 'tokenFile', context).toString('utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user.username) {
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  }
  return headers;
}

/**
 * One HTTP exchange; resolves with the whole body, rejects with the socket error or the abort reason.
 * With `onChunk`, a 2xx answer streams instead of being collected.
 */
export async function send(connection: Connection, options: SendOptions): Promise<RawResponse> {
  const { agent, headers } = await connection.prepare(options.signal);
  const transport = options.url.protocol === 'https:' ? https : http;
  // Bytes are counted as they arrive; the decoder keeps a multi-byte character split across chunks whole.
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    const request = transport.request(
      options.url,
      {
        method: options.method,
        agent,
        headers: { Accept: 'application/json', 'User-Agent': 'inc', ...headers, ...options.headers },
        signal: options.signal,
      },
      (response) => {
        const chunks: string[] = [];
        let bytes = 0;
        const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
        const status = response.statusCode ?? 0;
        // Only JSON streams unless told: anything else (a proxy's HTML page) is read whole, to say what it was.
        const streams = options.streamAnyType || /json/i.test(String(response.headers['content-type'] ?? 'json'));
        const stream = status >= 200 && status <= 299 && streams ? options.onChunk : undefined;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            request.destroy(new ResponseTooLargeError(maxBytes));
            return;
          }
          if (!stream) {
            chunks.push(decoder.write(chunk));
            return;
          }
          try {
            stream(chunk);
          } catch (error) {
            request.destroy(error as Error);
          }
        });
        const end = () => {
          chunks.push(decoder.end());
          resolve({ status, headers: response.headers, body: chunks.join('') });
        };
        response.on('end', end);
        if (options.endWhenCutOff) {
          response.on('aborted', end);
          response.on('error', end);
          return;
        }
        response.on('error', reject);
        response.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Hands on each complete line of a stream of chunks; `end` hands on the last one, unterminated. */
export function splitLines(onLine: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    write(chunk) {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    end() {
      pending += decoder.end();
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

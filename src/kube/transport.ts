import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import { proxyFromEnvironment, remoteResolvingSocks } from '../env-proxy.js';
import { KubeconfigError } from '../kubeconfig/kubeconfig-error.js';
import type { RawCluster, RawUser } from '../kubeconfig/read-kubeconfig.js';
import { type ResolvedKubeconfig, toKubeconfigDocument } from '../kubeconfig/resolve-kubeconfig.js';
import { credentialPluginSpawn, type InteractiveLogin } from './credential-plugin.js';
import { KubeCredentialsError } from './errors.js';
import { impersonationHeaders } from './impersonation.js';
import { noteStalledPlugin } from './stalled-plugins.js';

/** What a request is sent with: the agent and the headers that authenticate it. */
interface Prepared {
  agent: http.Agent;
  headers: Record<string, string | string[]>;
}

/** How requests reach one API server: an agent plus the headers that authenticate them. */
export interface Connection {
  /**
   * Headers and agent for the next request (exec credentials may refresh between requests); the
   * request's signal bounds the wait for a credential plugin.
   */
  prepare(signal?: AbortSignal): Promise<Prepared>;
  close(): void;
  /** The proxy the requests go through (the kubeconfig's proxy-url, else HTTPS_PROXY), when one does. */
  proxy?: string;
}

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

function fileOrData(file: string | undefined, data: string | undefined, field: string, context: string) {
  if (file) return readKubeconfigFile(file, field, context);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

/** A file the kubeconfig names (a certificate, a key, a token); one it cannot read is its error, as kubectl says. */
function readKubeconfigFile(file: string, field: string, context: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadableFile(file, field, context, error);
  }
}

/** `field`: the kubeconfig key naming the file (certificate-authority), when known. */
function unreadableFile(file: string, field: string | undefined, context: string, error: unknown): KubeconfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  const inline = field === 'tokenFile' ? 'the token' : field ? `${field}-data` : 'its content (the *-data key)';
  return new KubeconfigError(`unable to read ${field ? `${field} ` : ''}${file} of context ${context}: ${why}`, {
    hint: `fix the path in the kubeconfig (a relative one is from the kubeconfig's folder), or give ${inline} inline; kubectl --context ${context} fails the same way`,
    cause: error,
  });
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
 * How long one run of the credential plugin serves the requests that follow. A triage sends dozens
 * at once: each asking for credentials ran the plugin (an `aws eks get-token` each) until the first
 * answered, and again for every request when the plugin gives no expiry. Tokens last minutes.
 */
const CREDENTIALS_REUSE_MS = 60_000;

function clientNodeConnection(
  resolved: ResolvedKubeconfig,
  proxy: string | undefined,
  clock: Clock,
  login: InteractiveLogin | undefined,
): Connection {
  const agents: http.Agent[] = [];
  let loading: Promise<KubeConfig> | undefined;
  let current: { since: number; prepared: Promise<Prepared> } | undefined;
  const prepareOnce = async (): Promise<Prepared> => {
    loading ??= loadKubeConfig(resolved, proxy, login);
    const kc = await loading;
    const options: https.RequestOptions & { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(options);
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    // client-node sends only Impersonate-User; the groups, uid and extras are the kubeconfig's too.
    Object.assign(headers, impersonationHeaders(resolved.user));
    const agent = (options.agent as http.Agent | undefined) ?? new https.Agent();
    agents.push(agent);
    return { agent, headers };
  };
  return {
    prepare: async (signal) => {
      const now = clock.now().getTime();
      if (!current || now - current.since > CREDENTIALS_REUSE_MS) {
        const prepared = prepareOnce();
        current = { since: now, prepared };
        // A failure is not kept: the next request asks the plugin again.
        prepared.catch(() => {
          if (current?.prepared === prepared) current = undefined;
        });
      }
      try {
        return await untilAborted(current.prepared, signal);
      } catch (error) {
        // A file the kubeconfig names (a certificate) is its own error; the rest is the plugin's.
        const { syscall, path } = error as NodeJS.ErrnoException;
        if (syscall === 'open' && path) throw unreadableFile(path, undefined, resolved.contextName, error);
        throw new KubeCredentialsError(resolved.contextName, execOf(resolved.user), error);
      }
    },
    close: () => {
      for (const agent of agents) agent.destroy();
    },
  };
}

/**
 * The cluster as a credential plugin with `provideClusterInfo` is told it (ExecCredential's
 * spec.cluster): the CA as data, whether the kubeconfig named a file or gave it inline, and the
 * cluster's `client.authentication.k8s.io/exec` extension as `config`.
 */
function execClusterInfo(resolved: ResolvedKubeconfig): Record<string, unknown> {
  const { cluster } = resolved;
  const ca = fileOrData(
    cluster['certificate-authority'],
    cluster['certificate-authority-data'],
    'certificate-authority',
    resolved.contextName,
  );
  const extensions = Array.isArray(cluster.extensions)
    ? (cluster.extensions as { name?: unknown; extension?: unknown }[])
    : [];
  const config = extensions.find((entry) => entry?.name === 'client.authentication.k8s.io/exec')?.extension;
  return {
    server: resolved.server,
    ...(cluster['tls-server-name'] && { 'tls-server-name': cluster['tls-server-name'] }),
    ...(cluster['insecure-skip-tls-verify'] && { 'insecure-skip-tls-verify': true }),
    ...(ca && { 'certificate-authority-data': ca.toString('base64') }),
    ...(cluster['proxy-url'] && { 'proxy-url': cluster['proxy-url'] }),
    ...(config !== undefined && { config }),
  };
}

/** client-node's KubeConfig for the chosen context; loads the library on first use only. */
async function loadKubeConfig(
  resolved: ResolvedKubeconfig,
  proxy: string | undefined,
  login: InteractiveLogin | undefined,
): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  // client-node's exec authenticator runs the plugin through its `execFn`: run it as kubectl does.
  const exec = resolved.user.exec;
  const authenticators = (kc as unknown as { authenticators?: object[] }).authenticators ?? [];
  const execAuth = authenticators.find((entry): entry is { execFn: unknown } => 'execFn' in entry);
  if (execAuth && exec && typeof exec === 'object')
    execAuth.execFn = credentialPluginSpawn(exec, login, () => execClusterInfo(resolved));
  const document = toKubeconfigDocument(resolved) as {
    users: { user: Record<string, unknown> }[];
    clusters: { name: string; cluster: Record<string, unknown> }[];
  };
  // The environment's proxy, given to client-node as the kubeconfig's own would be; a socks5://
  // one resolves names on the proxy's side, as kubectl's does (client-node would resolve them here).
  for (const entry of document.clusters) {
    if (entry.name !== resolved.clusterName) continue;
    if (proxy) entry.cluster = { ...entry.cluster, 'proxy-url': remoteResolvingSocks(proxy) };
    // client-node refuses a plain http:// server unless told to skip a TLS check it does not have;
    // kubectl does not, and the refusal read as a failed credential plugin.
    if (resolved.server.startsWith('http:')) entry.cluster = { ...entry.cluster, 'insecure-skip-tls-verify': true };
  }
  // client-node spells the token file key differently from kubectl.
  for (const entry of document.users) {
    if (entry.user.tokenFile) entry.user = { ...entry.user, 'token-file': entry.user.tokenFile };
  }
  kc.loadFromString(JSON.stringify(document));
  kc.setCurrentContext(resolved.contextName);
  return kc;
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

/** The user's exec credential plugin, when the kubeconfig gives one. */
function execOf(user: RawUser): { command: string; args: string[]; installHint?: string } | undefined {
  const exec = user.exec as { command?: unknown; args?: unknown; installHint?: unknown } | undefined;
  if (typeof exec?.command !== 'string') return undefined;
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  return {
    command: exec.command,
    args,
    ...(typeof exec.installHint === 'string' && { installHint: exec.installHint }),
  };
}

/**
 * `work`, or a rejection once `signal` aborts: a credential plugin waiting for a login in a browser
 * (kubelogin, an SSO prompt) would otherwise hold the command without a word. The plugin is noted as
 * stalled, so that inc leaves without waiting for it once the command is done.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      noteStalledPlugin();
      reject(new Error('it gave no answer within the request timeout (is it waiting for a login in a browser?)'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

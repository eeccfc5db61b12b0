import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import { InterruptedError } from '../errors.js';
import { KubeconfigError } from '../kubeconfig/kubeconfig-error.js';
import type { ResolvedKubeconfig } from '../kubeconfig/resolve-kubeconfig.js';
import type { Connection } from './connection.js';
import type { InteractiveLogin } from './credential-plugin.js';
import { type KubeCall, KubeCredentialsError, KubeResponseTooLargeError, KubeTimeoutError } from './errors.js';
import { type Impersonation, impersonationOf } from './impersonation.js';
import { ListDecodeError, type ListEnvelope, ListStreamDecoder } from './list-stream.js';
import { describeNotJson, mapHttpError, mapNetworkError, notAList, type Where } from './map-error.js';
import { callFromPath } from './paths.js';
import { createConnection, type RawResponse, ResponseTooLargeError, send, splitLines } from './transport.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: string;
  path: string;
  query?: Query;
  body?: unknown;
  /** Defaults to application/json; patches name theirs (merge-patch, json-patch, strategic-merge-patch). */
  contentType?: string;
  /** Overrides the call derived from method and path, for messages and RBAC hints. */
  call?: KubeCall;
  timeoutMs?: number;
  /** Return the body as text (pod logs) instead of parsing JSON. */
  text?: boolean;
  /** The Accept header, for another form of the answer (the metadata-only list); default application/json. */
  accept?: string;
  /**
   * Decodes a list answer item by item as it streams (`ListStreamDecoder`): each attempt asks for a
   * fresh receiver of the items (a retry starts again from nothing), and the request resolves with
   * the list's envelope (kind, metadata) alone.
   */
  itemReceiver?: () => (item: unknown) => void;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; default DEFAULT_PAGE_SIZE. */
  limit?: number;
  timeoutMs?: number;
  /** Applied to each item as it arrives, to keep only what is needed of large lists. */
  transform?: (item: unknown) => unknown;
  /** The Accept header (e.g. METADATA_LIST_ACCEPT: names, labels and managedFields, never data). */
  accept?: string;
  /**
   * Takes each page's items (transformed) once the page is whole, instead of the result keeping them:
   * a large list then never exists at once. `items` of the result stays empty.
   */
  onPage?: (items: unknown[]) => void;
  /** Called when an expired continue token restarts the list: the pages given so far are void. */
  onRestart?: () => void;
}

/** Asks a list for its items' metadata alone (`PartialObjectMetadataList`). */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export interface ListResult<T> {
  items: T[];
  resourceVersion: string | undefined;
  kind: string | undefined;
}

/** Retry behaviour of idempotent reads; tests shorten the delays. The pause defaults to the client's clock. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'sleep'> = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  random: Math.random,
};

/**
 * Items per page. kubectl asks for 500, but each page is a sequential round trip and on a busy API
 * server the round trip, not the size, is what costs: 5,000 lists most clusters' pods in one
 * request while a page stays a few MB (measured: a 5,000-pod triage went from 4.5 s to 2.5 s).
 */
export const DEFAULT_PAGE_SIZE = 5000;
/**
 * Bytes inc reads of one answer. A page of 5,000 pods is tens of MB; an answer past this is a runaway
 * (or a stream without end, which --request-timeout 0 would otherwise read until memory runs out).
 */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_LIST_RESTARTS = 3;
const RETRIABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRIABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export interface KubeClientOptions {
  resolved: ResolvedKubeconfig;
  clock: Clock;
  signal: AbortSignal;
  /** Per-request timeout in ms; 0 means none. */
  requestTimeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /** Default MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /**
   * On a terminal: a credential plugin may ask for a login there (its prompts shown through this),
   * and the wait for it is the person's, not bounded by the request timeout.
   */
  login?: InteractiveLogin;
}

/**
 * Talks to one cluster through one context. Reads return the raw JSON the API server sent (no
 * typed models: they are slow on large lists and drop unknown fields); errors are KubeApiError,
 * KubeForbiddenError or ClusterUnreachableError.
 */
export class KubeClient {
  readonly contextName: string;
  readonly clusterName: string;
  readonly server: string;
  /** From -n, else the context's, else "default". */
  readonly namespace: string;
  /** The kubeconfig files read, in kubectl's order (none in a pod's service account). */
  readonly kubeconfigFiles: readonly string[];
  /** Whom requests act as (the kubeconfig's `as`, or --as), when not the kubeconfig's own identity. */
  readonly impersonation: Impersonation | undefined;
  readonly requestTimeoutMs: number;
  private readonly clock: Clock;
  private readonly signal: AbortSignal;
  private readonly retry: RetryPolicy;
  private readonly maxResponseBytes: number;
  private readonly connection: Connection;
  private readonly waitsForLogin: boolean;
  private serverDate: { server: number; local: number } | undefined;

  constructor(options: KubeClientOptions) {
    this.contextName = options.resolved.contextName;
    this.clusterName = options.resolved.clusterName;
    this.server = options.resolved.server;
    this.namespace = options.resolved.namespace;
    this.kubeconfigFiles = [...options.resolved.merged.files];
    this.impersonation = impersonationOf(options.resolved.user);
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.clock = options.clock;
    // Requests listen on the client's own signal (no listener cap), which follows the caller's without
    // adding a listener to it: many clients (a fleet) share one caller signal.
    this.signal = AbortSignal.any([options.signal]);
    setMaxListeners(0, this.signal);
    this.retry = { ...DEFAULT_RETRY, sleep: (ms, signal) => options.clock.sleep(ms, signal), ...options.retry };
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.connection = createConnection(options.resolved, options.clock, options.login);
    this.waitsForLogin = options.login !== undefined && options.resolved.user.exec !== undefined;
  }

  /**
   * On a terminal, with a credential plugin: runs it now, waiting as long as its login takes (Ctrl-C
   * stops it), so that its prompts come before any progress display and no request times out on it.
   * Otherwise nothing: the first request runs the plugin, bounded by its timeout.
   */
  async logIn(): Promise<void> {
    if (!this.waitsForLogin) return;
    try {
      await this.connection.prepare(this.signal);
    } catch (error) {
      if (this.signal.aborted) throw new InterruptedError('interrupted', { cause: error });
      throw error;
    }
  }

  /** "Now" on the API server (its Date header, advanced by the local clock), else the local clock. */
  serverNow(): Date {
    if (!this.serverDate) return this.clock.now();
    return new Date(this.serverDate.server + (this.clock.now().getTime() - this.serverDate.local));
  }

  async get<T = unknown>(path: string, call?: KubeCall, query?: Query): Promise<T> {
    return this.request<T>({ method: 'GET', path, call, query });
  }

  /** Lists every item, page by page (limit/continue); an expired continue token restarts the list. */
  async list<T = unknown>(path: string, options: ListOptions = {}, call?: KubeCall): Promise<ListResult<T>> {
    const listCall = call ?? callFromPath('GET', path, true);
    for (let restart = 0; ; restart += 1) {
      const items: T[] = [];
      let token: string | undefined;
      let page: ListEnvelope;
      try {
        do {
          // A retried page starts again from nothing: its items are kept only once it is whole.
          let pageItems: unknown[] = [];
          page = await this.request({
            method: 'GET',
            path,
            call: listCall,
            timeoutMs: options.timeoutMs,
            accept: options.accept,
            query: {
              labelSelector: options.labelSelector,
              fieldSelector: options.fieldSelector,
              limit: options.limit ?? DEFAULT_PAGE_SIZE,
              continue: token,
            },
            itemReceiver: () => {
              pageItems = [];
              return (item) => pageItems.push(options.transform ? options.transform(item) : item);
            },
          });
          if (options.onPage) options.onPage(pageItems);
          else for (const item of pageItems) items.push(item as T);
          token = page.metadata?.continue || undefined;
        } while (token);
      } catch (error) {
        const expired = (error as { status?: number }).status === 410 && token !== undefined;
        if (expired && restart < MAX_LIST_RESTARTS) {
          options.onRestart?.();
          continue;
        }
        throw error;
      }
      return { items, resourceVersion: page.metadata?.resourceVersion, kind: page.kind };
    }
  }

  /** Any request. Only GETs are retried (429, 5xx, connection reset); mutations never are. */
  async request<T = unknown>(options: RequestOptions): Promise<T> {
    const method = (options.method ?? 'GET').toUpperCase();
    const call = options.call ?? callFromPath(method, options.path, false);
    const attempts = method === 'GET' ? Math.max(1, this.retry.attempts) : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.attempt<T>(method, options, call);
      } catch (error) {
        const delay = attempt < attempts ? this.retryDelay(error, attempt) : undefined;
        if (delay === undefined) throw error;
        await this.retry.sleep(delay, this.signal);
      }
    }
  }

  /**
   * A GET read line by line as it arrives, until the server ends it or `signal` (or Ctrl-C) aborts:
   * `pods/NAME/log?follow=true`. Not retried; an error status throws as `request` does.
   */
  async streamLines(
    options: { path: string; query?: Query; signal?: AbortSignal },
    onLine: (line: string) => void,
  ): Promise<void> {
    if (this.signal.aborted) return;
    const where = this.where(callFromPath('GET', options.path, false));
    const signal = AbortSignal.any(options.signal ? [this.signal, options.signal] : [this.signal]);
    const lines = splitLines(onLine);
    let response: RawResponse;
    try {
      response = await send(this.connection, {
        method: 'GET',
        url: this.url(options.path, options.query),
        headers: { Accept: '*/*' },
        signal,
        onChunk: (chunk) => lines.write(chunk),
        streamAnyType: true,
        endWhenCutOff: true,
      });
    } catch (error) {
      if (signal.aborted) return;
      throw mapNetworkError(error, where);
    }
    if (response.status < 200 || response.status > 299) throw mapHttpError(response, where);
    lines.end();
  }

  close(): void {
    this.connection.close();
  }

  private retryDelay(error: unknown, attempt: number): number | undefined {
    const status = (error as { status?: number }).status;
    const code = (error as { networkCode?: string }).networkCode;
    if (!(status !== undefined && RETRIABLE_STATUS.has(status)) && !(code && RETRIABLE_NETWORK.has(code)))
      return undefined;
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    // The server knows its load best: honour Retry-After, but never wait more than half a minute.
    if (retryAfter !== undefined) return Math.min(retryAfter * 1000, 30_000);
    const exponential = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    // Full jitter between half and the whole delay, so many clients do not retry in step.
    return Math.round(exponential * (0.5 + this.retry.random() / 2));
  }

  private async attempt<T>(method: string, options: RequestOptions, call: KubeCall): Promise<T> {
    if (this.signal.aborted) throw new InterruptedError();
    // A login at the terminal takes as long as the person takes: the request's own timeout starts after it.
    if (this.waitsForLogin) await this.logIn();
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    // A signal per request (AbortSignal.any holds its sources weakly): many parallel requests must
    // not pile listeners onto the one Ctrl-C signal.
    const signal = AbortSignal.any(timeout ? [this.signal, timeout] : [this.signal]);
    const url = this.url(options.path, options.query);
    const where = this.where(call);
    let response: RawResponse;
    let receiver: ((item: unknown) => void) | undefined;
    let decoder: ListStreamDecoder | undefined;
    try {
      const body =
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body);
      const headers: Record<string, string> = {};
      if (body !== undefined) {
        headers['Content-Type'] = options.contentType ?? 'application/json';
        // Node sends no body framing of its own for a DELETE: without a length, DeleteOptions would be lost.
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      if (options.accept) headers.Accept = options.accept;
      receiver = options.itemReceiver?.();
      decoder = receiver ? new ListStreamDecoder(receiver) : undefined;
      response = await send(this.connection, {
        method,
        url,
        headers,
        body,
        signal,
        maxBytes: this.maxResponseBytes,
        onChunk: decoder ? (chunk) => decoder?.write(chunk) : undefined,
      });
    } catch (error) {
      if (this.signal.aborted) throw new InterruptedError('interrupted', { cause: error });
      if (error instanceof ResponseTooLargeError) throw new KubeResponseTooLargeError(error.maxBytes, call);
      if (error instanceof ListDecodeError) throw notAList(error, call, where);
      // Credentials never obtained: the cluster was not asked, so no timeout of its own.
      if (error instanceof KubeCredentialsError || error instanceof KubeconfigError) throw error;
      if (timeout?.aborted) throw new KubeTimeoutError(timeoutMs, where);
      throw mapNetworkError(error, where);
    }
    this.noteServerDate(response.headers.date);
    if (response.status < 200 || response.status > 299) throw mapHttpError(response, where);
    if (decoder && response.body === '') {
      try {
        return decoder.end() as T;
      } catch (error) {
        throw notAList(error as ListDecodeError, call, where);
      }
    }
    const text = response.body;
    if (options.text) return text as T;
    if (text === '') return undefined as T;
    try {
      const parsed = JSON.parse(text) as T & { items?: unknown[] };
      // A list that came whole (a server that did not call it JSON): its items go the same way.
      if (receiver && Array.isArray(parsed?.items)) for (const item of parsed.items.splice(0)) receiver(item);
      return parsed;
    } catch (error) {
      throw mapHttpError({ ...response, status: 502 }, where, describeNotJson(call, response), error);
    }
  }

  private url(path: string, query: Query = {}): URL {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** Where a call went: the server, the context and the call, for error messages. */
  private where(call: KubeCall): Where {
    return { server: this.server, context: this.contextName, call, proxy: this.connection.proxy };
  }

  private noteServerDate(header: string | undefined): void {
    if (!header) return;
    const server = Date.parse(header);
    if (!Number.isNaN(server)) this.serverDate = { server, local: this.clock.now().getTime() };
  }
}

import { IncError } from '../errors.js';
import { describeProxiedFailure, proxyRefusalStatus } from '../proxy-failure.js';
import {
  ClusterUnreachableError,
  describeCall,
  KubeApiError,
  type KubeCall,
  KubeForbiddenError,
  type KubeStatus,
  TLS_FAILED,
  tlsHint,
} from './errors.js';
import type { ListDecodeError } from './list-stream.js';

/** Where a request went: named in every error it ends with. */
export interface Where {
  server: string;
  context: string;
  call: KubeCall;
  /** The proxy it went through, when one did (a failure may be the proxy's). */
  proxy?: string;
}

interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Turns a non-2xx answer into KubeApiError (or KubeForbiddenError), keeping the Status reason. */
export function mapHttpError(response: ResponseLike, where: Where, override?: string, cause?: unknown): KubeApiError {
  const status = parseStatus(response.body);
  const reason = status?.reason || undefined;
  const retryAfterSeconds = parseRetryAfter(response.headers['retry-after'], status);
  const base = { status: response.status, reason, call: where.call, body: status, retryAfterSeconds, cause };
  if (response.status === 403) return new KubeForbiddenError({ ...base, serverMessage: status?.message });
  const what = describeCall(where.call);
  const serverMessage = status?.message || response.body.slice(0, 200).trim() || `HTTP ${response.status}`;
  switch (response.status) {
    case 401:
      return new KubeApiError({
        ...base,
        message: `unauthorized: the API server rejected the credentials of context ${where.context} (${what})`,
        hint: 'log in again or refresh the token (e.g. your cloud CLI\'s "get-credentials"), then retry',
      });
    case 404:
      return new KubeApiError({ ...base, message: `${what}: not found (${serverMessage})` });
    case 429:
      return new KubeApiError({
        ...base,
        message: `${what}: the API server is throttling requests (429 ${reason ?? 'TooManyRequests'})`,
      });
    default: {
      const label = reason ? `${response.status} ${reason}` : `HTTP ${response.status}`;
      return new KubeApiError({ ...base, message: override ?? `${what} failed (${label}): ${serverMessage}` });
    }
  }
}

/** A list answer that could not be decoded as it streamed: cut off, or not the API server's JSON. */
export function notAList(error: ListDecodeError, call: KubeCall, where: Where): Error {
  const response: ResponseLike = { status: 502, headers: {}, body: '' };
  return mapHttpError(response, where, `${describeCall(call)}: ${error.message}`, error);
}

/** Why a 2xx answer could not be read, naming the call: a page from something in between, or JSON cut short. */
export function describeNotJson(call: KubeCall, response: ResponseLike): string {
  const type =
    String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  const what = describeCall(call);
  if (type === 'text/html' || /^\s*<(!doctype|html)/i.test(response.body))
    return `${what}: the answer was an HTML page, not the API server's JSON (a proxy, VPN or login page in the way?)`;
  return `${what}: the answer was not valid JSON (${response.body.length} bytes, ${type || 'no content type'}; cut off?)`;
}

function parseStatus(body: string): KubeStatus | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as KubeStatus) : undefined;
  } catch {
    return undefined;
  }
}

function parseRetryAfter(header: string | string[] | undefined, status: KubeStatus | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim());
  return status?.details?.retryAfterSeconds;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const ROUTE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT']);

/** Turns a socket, DNS or TLS failure into ClusterUnreachableError; keeps the code for retry decisions. */
export function mapNetworkError(error: unknown, where: Where): IncError {
  if (error instanceof IncError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  const host = safeHost(where.server);
  let detail: string;
  if (code === 'ECONNREFUSED')
    detail = `connection to ${host} refused (is the API server up, and is this the right host and port?)`;
  else if (DNS_CODES.has(code)) detail = `cannot resolve host ${host} (DNS: ${code})`;
  else if (ROUTE_CODES.has(code)) detail = `no route to ${host} (${code})`;
  else if (code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up')
    detail = `connection to ${host} reset during ${describeCall(where.call)}`;
  else if (isTlsError(code, message)) detail = `${TLS_FAILED}${host} failed: ${message}`;
  else detail = `${describeCall(where.call)} failed: ${message}${code ? ` (${code})` : ''}`;
  if (where.proxy) detail = describeProxiedFailure(proxyRefusalStatus(message) ? message : detail, where.proxy, host);
  const hint = isTlsError(code, message) ? tlsHint(code, where.context) : undefined;
  const mapped = new ClusterUnreachableError(detail, where, error, hint);
  Object.defineProperty(mapped, 'networkCode', {
    value: code === '' && message === 'socket hang up' ? 'ECONNRESET' : code,
  });
  return mapped;
}

function isTlsError(code: string, message: string): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_OSSL/i.test(code) || /certificate|ssl|tls/i.test(message);
}

function safeHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { environmentProxyRoute } from '../../environment-proxy-agent.js';
import { describeProxiedFailure, proxyRefused } from '../../proxy-failure.js';
import type { HealthProbe } from '../types.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;
const BODY_LIMIT = 160;

/**
 * Probes an HTTP health endpoint once, timing each phase from the socket's events as curl -w does:
 * DNS lookup, TCP connect, TLS handshake, first byte, total. Never throws: failures are in the result.
 * Through the environment's proxy, as curl goes (the tunnel's lookup and connect are the proxy's,
 * not timed); a failure then names the proxy.
 */
export async function probeUrl(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<HealthProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, timings: { totalMs: 0 }, ok: false, error: 'invalid URL' };
  }
  const route = await environmentProxyRoute(parsed);
  // Timed from here: loading a proxy's agent is not the endpoint's time.
  const start = performance.now();
  const since = () => Math.round(performance.now() - start);
  const timings: HealthProbe['timings'] = { totalMs: 0 };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<HealthProbe, 'url' | 'timings'>) => {
      if (settled) return;
      settled = true;
      timings.totalMs = since();
      route?.close();
      resolve({ url, timings, ...result });
    };
    /** A failure of the exchange, with the proxy it went through. */
    const failure = (message: string) => (route ? describeProxiedFailure(message, route.proxy, parsed.host) : message);
    const transport = parsed.protocol === 'https:' ? https : http;
    const request = transport.get(
      parsed,
      {
        agent: false,
        timeout: timeoutMs,
        signal: options.signal,
        headers: { 'User-Agent': 'inc-health-probe', ...route?.headers },
        ...route?.options,
      },
      (response) => {
        timings.firstByteMs = since();
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < BODY_LIMIT * 4) body += chunk;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (route?.forwards && status === 407)
            finish({ ok: false, status, error: proxyRefused(route.proxy, parsed.host, status) });
          else finish({ ok: status >= 200 && status < 400, status, body: summarize(body) });
        });
        response.on('error', (error) =>
          finish({ ok: false, status: response.statusCode, error: failure(error.message) }),
        );
      },
    );
    request.on('socket', (socket: Socket) => {
      socket.on('lookup', () => (timings.dnsMs = since()));
      socket.on('connect', () => (timings.connectMs = since()));
      socket.on('secureConnect', () => (timings.tlsMs = since()));
    });
    request.on('timeout', () => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        error: failure(
          error.code && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message,
        ),
      }),
    );
  });
}

function summarize(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_LIMIT ? `${flat.slice(0, BODY_LIMIT)}…` : flat;
}

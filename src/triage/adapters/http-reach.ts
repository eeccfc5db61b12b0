/** The API server's service proxy path of a Service port: no port-forward, the kubeconfig's credentials. */
export function serviceProxyPrefix(service: { namespace: string; name: string; port: string }): string {
  return `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(
    `${service.name}:${service.port}`,
  )}/proxy`;
}

/** Why a fetch got no answer, in a few words: the timeout, else the socket's error code. */
export function fetchFailureReason(error: unknown, timeoutMs: number): string {
  if ((error as { name?: string }).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** An HTTP answer read whole: its status and its body as text. */
export interface TextAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  text: string;
}

/**
 * One request to a monitoring server's HTTP API (JSON in and out), with a bearer token when one is
 * given, bounded by `timeoutMs` and the caller's signal. A request that gets no answer throws
 * `unreachable(reason)`; any answer is returned for the caller to judge.
 */
export async function fetchText(
  url: string,
  options: { method?: string; body?: unknown; token?: string; timeoutMs: number; signal: AbortSignal },
  unreachable: (reason: string) => Error,
): Promise<TextAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
  } catch (error) {
    throw unreachable(fetchFailureReason(error, options.timeoutMs));
  }
  return { ok: response.ok, status: response.status, statusText: response.statusText, text: await response.text() };
}

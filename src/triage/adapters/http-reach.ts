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

import type http from 'node:http';

/** What a request is sent with: the agent and the headers that authenticate it. */
export interface Prepared {
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

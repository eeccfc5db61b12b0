import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

/**
 * Sends every `fetch` of inc through the environment's proxy, as curl does: HTTPS_PROXY or
 * HTTP_PROXY by the URL's scheme, unless NO_PROXY names the host. Node 20's fetch ignores them, so
 * behind a corporate proxy a status update never reached Slack. This machine is never proxied (a
 * port-forwarded Prometheus on localhost stays direct), as for the API server, which has its own path.
 */
export function useEnvironmentProxy(env: NodeJS.ProcessEnv): void {
  const noProxy = [env.no_proxy ?? env.NO_PROXY, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',');
  setGlobalDispatcher(new EnvHttpProxyAgent({ noProxy }));
}

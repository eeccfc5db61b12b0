/**
 * The public entry of the Kubernetes access layer: `openKube` resolves kubeconfig, context and
 * namespace exactly as kubectl does and returns a client for raw-JSON reads and requests.
 */
import type { Clock } from '../clock.js';
import { parseDuration } from '../duration.js';
import { credentialValues } from '../kubeconfig/credential-values.js';
import { resolveKubeconfig } from '../kubeconfig/resolve-kubeconfig.js';
import { KubeClient, type RetryPolicy } from './client.js';
import type { InteractiveLogin } from './credential-plugin.js';
import { type ImpersonationFlags, withImpersonationFlags } from './impersonation.js';

export { KubeClient, type ListOptions, METADATA_LIST_ACCEPT } from './client.js';
export {
  ClusterUnreachableError,
  KubeApiError,
  KubeForbiddenError,
  KubeTimeoutError,
} from './errors.js';
export type { Impersonation } from './impersonation.js';
export { resourcePath } from './paths.js';

/** The global options the access layer reads (a subset of the CLI's GlobalOptions). */
export interface KubeGlobals extends ImpersonationFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout?: string;
}

export interface OpenKubeOptions {
  globals: KubeGlobals;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  retry?: Partial<RetryPolicy>;
  /** Where a pod's service-account files are; for tests. */
  serviceAccountDir?: string;
  /** On a terminal: a credential plugin may ask for a login there (see KubeClientOptions.login). */
  login?: InteractiveLogin;
  /** Given the kubeconfig user's secret values before any request, to redact them wherever echoed. */
  onCredentials?: (values: readonly string[]) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Opens the cluster of the chosen context. Throws KubeconfigError (exit 2) before any request. */
export async function openKube(options: OpenKubeOptions): Promise<KubeClient> {
  const { globals } = options;
  const resolved = resolveKubeconfig({
    kubeconfig: globals.kubeconfig,
    context: globals.context,
    namespace: globals.namespace,
    env: options.env,
    serviceAccountDir: options.serviceAccountDir,
  });
  resolved.user = withImpersonationFlags(resolved.user, globals);
  options.onCredentials?.(credentialValues(resolved.user));
  const requestTimeoutMs =
    globals.requestTimeout === undefined
      ? DEFAULT_REQUEST_TIMEOUT_MS
      : parseDuration(globals.requestTimeout, '--request-timeout');
  const client = new KubeClient({
    resolved,
    clock: options.clock,
    signal: options.signal,
    requestTimeoutMs,
    retry: options.retry,
    login: options.login,
  });
  try {
    await client.logIn();
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

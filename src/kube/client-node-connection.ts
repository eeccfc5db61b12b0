import type http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../clock.js';
import { remoteResolvingSocks } from '../env-proxy.js';
import type { RawUser } from '../kubeconfig/read-kubeconfig.js';
import { type ResolvedKubeconfig, toKubeconfigDocument } from '../kubeconfig/resolve-kubeconfig.js';
import type { Connection, Prepared } from './connection.js';
import { credentialPluginSpawn, type InteractiveLogin } from './credential-plugin.js';
import { KubeCredentialsError } from './errors.js';
import { impersonationHeaders } from './impersonation.js';
import { fileOrData, unreadableFile } from './kubeconfig-files.js';
import { noteStalledPlugin } from './stalled-plugins.js';

/**
 * How long one run of the credential plugin serves the requests that follow. A triage sends dozens
 * at once: each asking for credentials ran the plugin (an `aws eks get-token` each) until the first
 * answered, and again for every request when the plugin gives no expiry. Tokens last minutes.
 */
const CREDENTIALS_REUSE_MS = 60_000;

/**
 * The connection through client-node's own KubeConfig, for what it knows and inc does not do itself:
 * exec credential plugins, auth providers and proxies. The library loads on the first request only.
 */
export function clientNodeConnection(
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

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { didYouMean } from '../closest-match.js';
import { KubeconfigError } from './kubeconfig-error.js';
import {
  type KubeconfigFilesOptions,
  type MergedKubeconfig,
  type RawCluster,
  type RawUser,
  readKubeconfigFiles,
} from './read-kubeconfig.js';

/** The kubeconfig resolved to one context: what a client needs to connect. */
export interface ResolvedKubeconfig {
  /** The files read, in precedence order (or "in-cluster"). */
  source: string;
  contextName: string;
  clusterName: string;
  userName: string;
  cluster: RawCluster;
  user: RawUser;
  server: string;
  namespace: string;
  /** The namespace the context itself sets (before -n). */
  contextNamespace: string | undefined;
  merged: MergedKubeconfig;
}

export interface ResolveKubeconfigOptions extends KubeconfigFilesOptions {
  context?: string;
  namespace?: string;
  /** Where the service-account files of a pod live; tests point it at a temp folder. */
  serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Resolves kubeconfig, context and namespace exactly as kubectl would, or throws a KubeconfigError. */
export function resolveKubeconfig(options: ResolveKubeconfigOptions): ResolvedKubeconfig {
  let merged = readKubeconfigFiles(options);
  let source: string;
  if (merged) source = merged.files.join(delimiter);
  else {
    const inCluster = inClusterKubeconfig(options.env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
    if (!inCluster) {
      const home = options.env.HOME || homedir();
      throw new KubeconfigError(
        `no kubeconfig: ${join(home, '.kube', 'config')} does not exist and KUBECONFIG is not set`,
        { code: 'NO_KUBECONFIG', hint: 'pass --kubeconfig FILE or set KUBECONFIG' },
      );
    }
    merged = inCluster;
    source = 'in-cluster service account';
  }
  return selectContext(merged, source, options);
}

function selectContext(
  merged: MergedKubeconfig,
  source: string,
  options: ResolveKubeconfigOptions,
): ResolvedKubeconfig {
  const names = merged.contexts.map((entry) => entry.name);
  const listing = names.length > 0 ? `contexts in ${source}: ${names.join(', ')}` : `${source} defines no contexts`;
  const contextName = options.context ?? merged.currentContext;
  if (!contextName) {
    throw new KubeconfigError(`no current context in ${source}`, {
      hint: `pass --context NAME; ${listing}`,
      contexts: names,
    });
  }
  const context = merged.contexts.find((entry) => entry.name === contextName)?.value;
  if (!context) {
    const suggestion = didYouMean(contextName, names);
    throw new KubeconfigError(`context "${contextName}" does not exist${suggestion ? `; ${suggestion}` : ''}`, {
      hint: listing,
      contexts: names,
    });
  }
  const clusterName = context.cluster ?? '';
  const cluster = merged.clusters.find((entry) => entry.name === clusterName)?.value;
  if (!cluster?.server) {
    throw new KubeconfigError(
      `context "${contextName}" refers to cluster "${clusterName}", which ${cluster ? 'has no server' : 'is not defined'} in ${source}`,
      {
        contexts: names,
      },
    );
  }
  const userName = context.user ?? '';
  const user = merged.users.find((entry) => entry.name === userName)?.value ?? {};
  const contextNamespace = context.namespace || undefined;
  return {
    source,
    contextName,
    clusterName,
    userName,
    cluster,
    user,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: options.namespace || contextNamespace || 'default',
    contextNamespace,
    merged,
  };
}

/** The kubeconfig a pod gets from its service account, or undefined outside a pod. */
function inClusterKubeconfig(env: NodeJS.ProcessEnv, dir: string): MergedKubeconfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    files: [],
    currentContext: 'in-cluster',
    clusters: [{ name: 'in-cluster', value: { server, 'certificate-authority': join(dir, 'ca.crt') } }],
    users: [{ name: 'in-cluster', value: { tokenFile } }],
    contexts: [{ name: 'in-cluster', value: { cluster: 'in-cluster', user: 'in-cluster', namespace } }],
  };
}

/** The merged config as a kubeconfig document with only the chosen context current; for client-node. */
export function toKubeconfigDocument(resolved: ResolvedKubeconfig): Record<string, unknown> {
  const { merged } = resolved;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': resolved.contextName,
    clusters: merged.clusters.map((entry) => ({ name: entry.name, cluster: entry.value })),
    users: merged.users.map((entry) => ({ name: entry.name, user: entry.value })),
    contexts: merged.contexts.map((entry) => ({ name: entry.name, context: entry.value })),
  };
}

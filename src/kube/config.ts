import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { KubeconfigError } from './errors.js';

/** A kubeconfig cluster entry, in the file's own (kebab-case) keys. */
export interface RawCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  [key: string]: unknown;
}

/** A kubeconfig user entry, in the file's own keys. */
export interface RawUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
  [key: string]: unknown;
}

export interface RawContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface Named<T> {
  name: string;
  value: T;
}

/** The merged kubeconfig, as kubectl sees it after merging every file (first one wins). */
export interface MergedKubeconfig {
  files: string[];
  currentContext: string | undefined;
  clusters: Named<RawCluster>[];
  users: Named<RawUser>[];
  contexts: Named<RawContext>[];
}

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

export interface ResolveKubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env: NodeJS.ProcessEnv;
  /** Where the service-account files of a pod live; tests point it at a temp folder. */
  serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Finds the kubeconfig files as kubectl does: --kubeconfig, else every file of $KUBECONFIG
 * (missing ones skipped), else ~/.kube/config, else the pod's service account.
 */
function findKubeconfigFiles(options: Pick<ResolveKubeconfigOptions, 'kubeconfig' | 'env'>): string[] {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) {
      throw new KubeconfigError(`kubeconfig ${options.kubeconfig} does not exist`, {
        hint: 'check the --kubeconfig path',
      });
    }
    return [options.kubeconfig];
  }
  const fromEnv = options.env.KUBECONFIG;
  if (fromEnv) {
    const listed = fromEnv.split(delimiter).filter((path) => path !== '');
    const unique = listed.filter((path, index) => listed.indexOf(path) === index);
    const existing = unique.filter((path) => existsSync(path));
    if (existing.length === 0 && unique.length > 0) {
      throw new KubeconfigError(`no kubeconfig found: KUBECONFIG names ${unique.join(', ')}, and none exists`, {
        hint: 'fix KUBECONFIG or pass --kubeconfig FILE',
      });
    }
    return existing;
  }
  const home = options.env.HOME || homedir();
  const fallback = join(home, '.kube', 'config');
  return existsSync(fallback) ? [fallback] : [];
}

/** The kubeconfig files kubectl would read, merged; undefined when there is none. */
export function readKubeconfigFiles(options: Pick<ResolveKubeconfigOptions, 'kubeconfig' | 'env'>) {
  const files = findKubeconfigFiles(options);
  if (files.length === 0) return undefined;
  return mergeKubeconfigs(files.map((file) => ({ file, parsed: readKubeconfigFile(file) })));
}

/** The context names of the merged kubeconfig files, in file order (`kubectl config get-contexts -o name`). */
export function listContextNames(options: Pick<ResolveKubeconfigOptions, 'kubeconfig' | 'env'>): string[] {
  const merged = readKubeconfigFiles(options);
  if (!merged) {
    throw new KubeconfigError('no kubeconfig: there are no contexts to choose from', {
      code: 'NO_KUBECONFIG',
      hint: 'pass --kubeconfig FILE or set KUBECONFIG (several files: KUBECONFIG=a:b:c)',
    });
  }
  return merged.contexts.map((context) => context.name);
}

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
    throw new KubeconfigError(`context "${contextName}" does not exist`, {
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

interface ParsedKubeconfig {
  'current-context'?: string;
  clusters?: { name?: string; cluster?: RawCluster }[];
  users?: { name?: string; user?: RawUser }[];
  contexts?: { name?: string; context?: RawContext }[];
}

/**
 * Each file's last text and what it parsed to: a fleet triage resolves every context from the same
 * files, and parsing them all again per context cost more than a context's own setup.
 */
const parsedFiles = new Map<string, { text: string; parsed: ParsedKubeconfig }>();

/** Reads one kubeconfig file; a syntax error names the file, line and column. */
function readKubeconfigFile(file: string): ParsedKubeconfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(error as Error).message}`, { cause: error });
  }
  const cached = parsedFiles.get(file);
  // A copy each time: callers own what they get.
  if (cached?.text === text) return structuredClone(cached.parsed);
  const parsed = parseKubeconfig(file, text);
  parsedFiles.set(file, { text, parsed: structuredClone(parsed) });
  return parsed;
}

function parseKubeconfig(file: string, text: string): ParsedKubeconfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const position = lineCounter.linePos(first.pos[0]);
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    throw new KubeconfigError(`kubeconfig ${where}: invalid YAML: ${first.message.split('\n')[0]}`, {
      hint: 'fix the file, or point --kubeconfig / KUBECONFIG at another one',
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeconfigError(`kubeconfig ${file}: expected a mapping with clusters, users and contexts`);
  }
  return absolutePaths(value as ParsedKubeconfig, dirname(file));
}

/** kubectl resolves relative file references against the folder of the kubeconfig that names them. */
function absolutePaths(config: ParsedKubeconfig, folder: string): ParsedKubeconfig {
  const fix = (path: unknown) =>
    typeof path === 'string' && path !== '' && !isAbsolute(path) ? join(folder, path) : path;
  for (const entry of config.clusters ?? []) {
    if (entry?.cluster)
      entry.cluster['certificate-authority'] = fix(entry.cluster['certificate-authority']) as string | undefined;
  }
  for (const entry of config.users ?? []) {
    if (!entry?.user) continue;
    for (const key of ['client-certificate', 'client-key', 'tokenFile'] as const) {
      if (entry.user[key] !== undefined) entry.user[key] = fix(entry.user[key]) as string;
    }
  }
  return config;
}

/** Merges kubeconfigs as kubectl does: the first file to define a name or the current context wins. */
function mergeKubeconfigs(parts: readonly { file: string; parsed: ParsedKubeconfig }[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { files: [], currentContext: undefined, clusters: [], users: [], contexts: [] };
  const add = <T>(into: Named<T>[], name: string | undefined, value: T | undefined) => {
    if (!name || into.some((entry) => entry.name === name)) return;
    into.push({ name, value: value ?? ({} as T) });
  };
  for (const { file, parsed } of parts) {
    merged.files.push(file);
    merged.currentContext ??= parsed['current-context'] || undefined;
    for (const entry of parsed.clusters ?? []) add(merged.clusters, entry?.name, entry?.cluster);
    for (const entry of parsed.users ?? []) add(merged.users, entry?.name, entry?.user);
    for (const entry of parsed.contexts ?? []) add(merged.contexts, entry?.name, entry?.context);
  }
  return merged;
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

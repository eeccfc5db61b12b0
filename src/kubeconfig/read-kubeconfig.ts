import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { findWrongType } from './find-wrong-type.js';
import { KubeconfigError } from './kubeconfig-error.js';

/**
 * kubectl's kubeconfig files, found, read and merged as kubectl does. Reading them asks no cluster:
 * completion offers their contexts and namespaces, a fleet triage lists their contexts, and the
 * access layer (kube/) resolves one context from them (resolve-kubeconfig.ts) before it connects.
 */

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

/** Which kubeconfig files to read: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export interface KubeconfigFilesOptions {
  kubeconfig?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Finds the kubeconfig files as kubectl does: --kubeconfig, else every file of $KUBECONFIG
 * (missing ones skipped), else ~/.kube/config, else the pod's service account.
 */
function findKubeconfigFiles(options: KubeconfigFilesOptions): string[] {
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
export function readKubeconfigFiles(options: KubeconfigFilesOptions) {
  const files = findKubeconfigFiles(options);
  if (files.length === 0) return undefined;
  return mergeKubeconfigs(files.map((file) => ({ file, parsed: readKubeconfigFile(file) })));
}

/** The context names of the merged kubeconfig files, in file order (`kubectl config get-contexts -o name`). */
export function listContextNames(options: KubeconfigFilesOptions): string[] {
  const merged = readKubeconfigFiles(options);
  if (!merged) {
    throw new KubeconfigError('no kubeconfig: there are no contexts to choose from', {
      code: 'NO_KUBECONFIG',
      hint: 'pass --kubeconfig FILE or set KUBECONFIG (several files: KUBECONFIG=a:b:c)',
    });
  }
  return merged.contexts.map((context) => context.name);
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
      hint: KUBECONFIG_FIX_HINT,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeconfigError(`kubeconfig ${file}: expected a mapping with clusters, users and contexts`);
  }
  const wrong = findWrongType(value as Record<string, unknown>);
  if (wrong) {
    const node = doc.getIn(wrong.path, true);
    const position = isNode(node) && node.range ? lineCounter.linePos(node.range[0]) : undefined;
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    throw new KubeconfigError(`kubeconfig ${where}: ${wrong.field} must be ${wrong.expected}, not ${wrong.found}`, {
      hint: KUBECONFIG_FIX_HINT,
    });
  }
  return absolutePaths(value as ParsedKubeconfig, dirname(file));
}

const KUBECONFIG_FIX_HINT = 'fix the file, or point --kubeconfig / KUBECONFIG at another one';

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

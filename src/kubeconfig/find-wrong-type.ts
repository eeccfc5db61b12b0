/** Where the value is (for its line and column), the field as people read it, what was wanted and found. */
export interface WrongType {
  path: (string | number)[];
  field: string;
  expected: string;
  found: string;
}

/** The entry lists of a kubeconfig, the key of each entry's own mapping, and its fields that are text. */
const ENTRY_LISTS = [
  [
    'clusters',
    'cluster',
    ['server', 'certificate-authority', 'certificate-authority-data', 'tls-server-name', 'proxy-url'],
  ],
  [
    'users',
    'user',
    [
      'token',
      'tokenFile',
      'client-certificate',
      'client-certificate-data',
      'client-key',
      'client-key-data',
      'username',
      'as',
      'as-uid',
    ],
  ],
  ['contexts', 'context', ['cluster', 'user', 'namespace']],
] as const;

/**
 * The first value whose type kubectl would refuse to load ("cannot unmarshal number into … clusters"):
 * read further, it would end in a TypeError far from the file.
 */
export function findWrongType(config: Record<string, unknown>): WrongType | undefined {
  const wrong = findWrongValue(config);
  return wrong && { ...wrong, field: describePath(wrong.path) };
}

function findWrongValue(config: Record<string, unknown>): Omit<WrongType, 'field'> | undefined {
  const current = config['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string') {
    return { path: ['current-context'], expected: 'a context name', found: kindOf(current) };
  }
  for (const [list, key, texts] of ENTRY_LISTS) {
    const entries = config[list];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) return { path: [list], expected: `a list of ${list}`, found: kindOf(entries) };
    for (const [index, entry] of entries.entries()) {
      if (entry === null) continue;
      if (!isMapping(entry)) return { path: [list, index], expected: 'a mapping', found: kindOf(entry) };
      if (entry.name !== undefined && typeof entry.name !== 'string') {
        return { path: [list, index, 'name'], expected: 'a name', found: kindOf(entry.name) };
      }
      const own = entry[key];
      if (own === undefined || own === null) continue;
      if (!isMapping(own)) return { path: [list, index, key], expected: 'a mapping', found: kindOf(own) };
      const field = texts.find(
        (name) => own[name] !== undefined && own[name] !== null && typeof own[name] !== 'string',
      );
      if (field) return { path: [list, index, key, field], expected: 'text', found: kindOf(own[field]) };
      if (list === 'users') {
        const wrong = findWrongImpersonation(own);
        if (wrong) return { ...wrong, path: [list, index, key, ...wrong.path] };
      }
    }
  }
  return undefined;
}

/** `as-groups` is a list of names, `as-user-extra` a mapping of lists, as kubectl reads them. */
function findWrongImpersonation(user: Record<string, unknown>): Omit<WrongType, 'field'> | undefined {
  const groups = user['as-groups'];
  if (groups !== undefined && groups !== null) {
    const wrong = findWrongTextList(groups);
    if (wrong) return { ...wrong, path: ['as-groups', ...wrong.path] };
  }
  const extra = user['as-user-extra'];
  if (extra === undefined || extra === null) return undefined;
  if (!isMapping(extra)) return { path: ['as-user-extra'], expected: 'a mapping', found: kindOf(extra) };
  for (const [name, values] of Object.entries(extra)) {
    if (values === null) continue;
    const wrong = findWrongTextList(values);
    if (wrong) return { ...wrong, path: ['as-user-extra', name, ...wrong.path] };
  }
  return undefined;
}

function findWrongTextList(value: unknown): Omit<WrongType, 'field'> | undefined {
  if (!Array.isArray(value)) return { path: [], expected: 'a list of text', found: kindOf(value) };
  const index = value.findIndex((item) => typeof item !== 'string');
  return index === -1 ? undefined : { path: [index], expected: 'text', found: kindOf(value[index]) };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What was found, never the value itself: a kubeconfig holds credentials. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return typeof value === 'number' ? 'a number' : `${typeof value}`;
}

/** `clusters[0].cluster`, as the kubeconfig reads. */
function describePath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

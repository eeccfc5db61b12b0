/**
 * Redaction applied at every exit: the log (events and evidence), stdout and stderr, files, posts, the
 * clipboard and incident ids. Secrets must never leave, since logs and updates are shared, pasted and merged.
 * Three layers: known secret values (by value), token shapes from a maintained rule set
 * (`secret-shapes.ts`), and the hand-kept forms below that no token shape covers (key=value, flags, URLs).
 */
import { findSecretShapes, type SecretRange, secretShapesLoaded } from './secret-shapes.js';

export const REDACTED = '[REDACTED]';
const ESCAPED_REDACTED = '\\[REDACTED\\]';

const SECRET_KEY =
  /^(password|passwd|pwd|token|secret|client[-_]?secret|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|private[-_]?key|client-key-data|client-certificate-data|authorization)$/i;
const SECRET_ENV_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|pwd|dsn|conn(ection)?[-_]?string|[-_]keys?$|^keys?$|salt)/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** A command-line flag whose next argument is a secret: `--password x`, `--db-token x`, `--api-key x`. */
const SECRET_FLAG =
  /^--?(?:[\w.-]*(?:password|passwd|pwd|token|secret|api[-_]?key|apikey|credentials?)|(?:[\w.-]*[-_.])?(?:pass|key))$/i;
const SECRET_ENV_WORD =
  /(?:^|_)(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|DSN|WEBHOOK|AUTH|ROUTING_?KEY|INTEGRATION_?KEY)(?:_|$)/i;
const NOT_A_SECRET_ENV = /_(?:FILE|PATH|DIR|SOCK|HOST|PORT|USER|NAME|TYPE)$/i;
/** Values shorter than this are not redacted by value: "1" or "true" would blank out half the output. */
const MIN_KNOWN_SECRET_LENGTH = 6;

interface TextRule {
  pattern: RegExp;
  replace: string | ((...groups: string[]) => string);
}

const TEXT_RULES: readonly TextRule[] = [
  // PEM private keys, whole block.
  {
    pattern: /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    replace: `-----BEGIN PRIVATE KEY----- ${REDACTED} -----END PRIVATE KEY-----`,
  },
  // Authorization headers and bearer tokens.
  // A token has a digit or is long: "missing bearer authentication header" is not one.
  {
    pattern: /\b(bearer)\s+(?:(?=[A-Za-z\-._~+/]*\d)[A-Za-z0-9\-._~+/]{8,}|[A-Za-z0-9\-._~+/]{20,})=*/gi,
    replace: (_m, scheme) => `${scheme} ${REDACTED}`,
  },
  // Cookies are sessions: every `name=value` pair of the header (`a=1; b=2`), up to a quote or an
  // escape (JSON text stays valid) or a spaced separator.
  {
    pattern: /\b((?:set-)?cookie:[ \t]*)(?!\[REDACTED\])[^\s"\\;]+(?:;[ \t]*[^\s"\\;=]+=[^\s"\\;]*)*/gi,
    replace: (_m, header) => `${header}${REDACTED}`,
  },
  { pattern: /\b(authorization:\s*\w+)\s+[A-Za-z0-9\-._~+/]+=*/gi, replace: (_m, header) => `${header} ${REDACTED}` },
  // JSON Web Tokens anywhere (three base64url parts, the first a JSON header).
  { pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, replace: REDACTED },
  // Kubeconfig and YAML credentials: `token: …`, `client-key-data: …`, `password: …`.
  {
    pattern:
      /^(\s*-?\s*["']?(?:token|client-key-data|client-certificate-data|password|id-token|refresh-token|client-secret)["']?\s*:[ \t]*)(?!\s*$)(?!\s*\[REDACTED\])[^\n]+/gim,
    replace: (_m, key) => `${key}${REDACTED}`,
  },
  // JSON credentials: "token": "…".
  {
    pattern:
      /("(?:token|client-key-data|client-certificate-data|password|id-token|refresh-token|client-secret|apikey|api_key|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    replace: (_m, key) => `${key}"${REDACTED}"`,
  },
  // `password: x` anywhere in a line (logs, messages), prefixed names too (DB_PASSWORD: x).
  {
    pattern:
      /\b(\w*?(?:password|passwd|passphrase|pwd|token|api[-_]?key|apikey|secret[-_]?key|private[-_]?key|client[-_]?secret)["']?[ \t]*:[ \t]*)(?!\[REDACTED\])(["']?)[^\s"',;&\\]+/gi,
    replace: (_m, key, quote) => `${key}${quote}${REDACTED}`,
  },
  // Secret flags on command lines: `--password x`, `--db-token=x`.
  {
    pattern:
      /(^|\s)(--?(?:[\w.-]*(?:password|passwd|pwd|token|secret|api[-_]?key|apikey|credentials?)|(?:[\w.-]*[-_.])?(?:pass|key))(?:=|[ \t]+))(?!-)(?!\[REDACTED\])(["']?)[^\s"'\\]+/gim,
    replace: (_m, lead, flag, quote) => `${lead}${flag}${quote}${REDACTED}`,
  },
  // Stripe secret and restricted keys, GitLab tokens, Google API keys and OpenAI project keys: the rule
  // set this version uses has no rule for them.
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, replace: REDACTED },
  { pattern: /\bgl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  // GitHub tokens of any length (the rule set's match wants exactly 36 characters after the prefix).
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, replace: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: REDACTED },
  { pattern: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  // `curl -u user:password`.
  {
    pattern: /(^|\s)(-u|--user)([ \t]+[^\s:]+:)(?!\[REDACTED\])[^\s"'\\]+/gm,
    replace: (_m, lead, flag, user) => `${lead}${flag}${user}${REDACTED}`,
  },
  // key=value credentials in URLs, command lines and logs, prefixed names too (DB_PASSWORD=, refresh_token=),
  // quoted (`password="x"`, or `\"x\"` inside JSON text, kept valid) or spaced (`password = x`).
  {
    pattern:
      /\b(\w*?(?:password|passwd|passphrase|pwd|token|secret|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key|signature|sig|credential)[ \t]*=[ \t]*)(\\?["']?)(?!\[REDACTED\])[^\s&;,"'<>\\]+/gi,
    replace: (_m, key, quote) => `${key}${quote}${REDACTED}`,
  },
  // A token as a URL's user (`https://TOKEN@host/repo.git`, as git remotes take one): user names are short.
  {
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)(?!\[REDACTED\])[A-Za-z0-9_.~-]{20,}@/gi,
    replace: (_m, scheme) => `${scheme}${REDACTED}@`,
  },
  // Passwords in URLs: scheme://user:password@host, and scheme://:password@host (Redis has no user).
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/\\]+@/gi, replace: (_m, prefix) => `${prefix}${REDACTED}@` },
];

let knownSecrets: string[] = [];

/**
 * Redacted forms of short texts seen before. Evidence repeats its strings (labels, images, reasons:
 * 330,000 strings, 46,000 distinct at 20,000 pods) and the rule set costs microseconds per text.
 * Bounded, and emptied whenever what counts as a secret changes.
 */
const redactedTexts = new Map<string, string>();
const MEMO_MAX_LENGTH = 256;
const MEMO_MAX_ENTRIES = 100_000;

/**
 * Adds values that are secrets whatever their shape (a feature-flag token, a webhook URL): from now on
 * they are redacted wherever they appear. Short values are ignored.
 */
export function registerSecretValues(values: Iterable<string>): void {
  const all = new Set(knownSecrets);
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length >= MIN_KNOWN_SECRET_LENGTH) all.add(trimmed);
    // "Bearer abc…" as a header value: the credential alone may be printed too.
    const credential = /^(?:bearer|basic|token)\s+(\S+)$/i.exec(trimmed)?.[1];
    if (credential && credential.length >= MIN_KNOWN_SECRET_LENGTH) all.add(credential);
    // A webhook URL's secret is its path: a receiver's error page echoes the path alone.
    const path = secretPathOf(trimmed);
    if (path) all.add(path);
  }
  // Longest first, so a value containing another is replaced whole.
  knownSecrets = [...all].sort((a, b) => b.length - a.length);
  redactedTexts.clear();
}

/** Paths this long carry a key (`/services/T0/B0/xyz…`); a shorter one (`/hooks`) names no secret. */
const MIN_SECRET_PATH_LENGTH = 16;

function secretPathOf(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    const path = url.pathname + url.search;
    return path.length >= MIN_SECRET_PATH_LENGTH ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The values of environment variables whose names say they hold a secret (FLAG_TOKEN, DB_PASSWORD,
 * INC_SLACK_WEBHOOK, AWS_SECRET_ACCESS_KEY): whole words of the name, so GIT_AUTHOR_NAME or PWD are not taken,
 * and not the names of files, sockets or folders that hold one.
 */
export function secretValuesFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  /** Names the config lists as secrets (`redactEnv`), whatever they say. */
  extraNames: readonly string[] = [],
): string[] {
  const extra = new Set(extraNames);
  return Object.entries(env)
    .filter(
      ([name, value]) => value && (extra.has(name) || (SECRET_ENV_WORD.test(name) && !NOT_A_SECRET_ENV.test(name))),
    )
    .map(([, value]) => value as string);
}

/** Redacts secrets in free text. */
export function redactText(text: string): string {
  // Only once the rule set is loaded: a form found without it must not be served afterwards.
  if (text.length > MEMO_MAX_LENGTH || !secretShapesLoaded()) return redactUncached(text);
  const known = redactedTexts.get(text);
  if (known !== undefined) return known;
  const redacted = redactUncached(text);
  if (redactedTexts.size >= MEMO_MAX_ENTRIES) redactedTexts.clear();
  redactedTexts.set(text, redacted);
  return redacted;
}

function redactUncached(text: string): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
  }
  for (const rule of TEXT_RULES) {
    result = result.replace(rule.pattern, rule.replace as (...args: string[]) => string);
  }
  return replaceRanges(result, findSecretShapes(result));
}

/** Replaces each range (merged where they overlap) unless it is already redacted. */
function replaceRanges(text: string, ranges: readonly SecretRange[]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, reported] of sorted) {
    // A rule's range can stop inside the token (the AWS rule's is 40 characters from the key's name):
    // the rest of the token is the rest of the secret.
    const end = tokenEnd(text, reported);
    if (end <= at) continue;
    const from = Math.max(start, at);
    const secret = text.slice(from, end);
    // Already redacted, maybe escaped since (Markdown's `\[REDACTED\]`): the rest of the range is not secret.
    const redacted = secret.includes(REDACTED) || secret.includes(ESCAPED_REDACTED);
    out += text.slice(at, from) + (redacted ? secret : REDACTED);
    at = end;
  }
  return out + text.slice(at);
}

const TOKEN_CHARACTER = /[A-Za-z0-9+/=_-]/;

/** Where the token that `end` falls in ends: `end` itself unless a token character follows it. */
function tokenEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && at < text.length && TOKEN_CHARACTER.test(text[at - 1]!) && TOKEN_CHARACTER.test(text[at]!)) at++;
  return at;
}

/**
 * Redacts secrets in a JSON-like value: Secret `data`/`stringData`, credential keys, env values
 * with secret-looking names, and every string through `redactText`. Returns a new value.
 */
export function redactValue<T>(value: T): T {
  return redactAny(value) as T;
}

function redactAny(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return redactArguments(value.map(redactAny));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const isSecret = record.kind === 'Secret';
  const isEnvVar = typeof record.name === 'string' && 'value' in record && Object.keys(record).length <= 3;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) {
    if (isSecret && (key === 'data' || key === 'stringData')) out[key] = maskValues(child);
    else if (isEnvVar && key === 'value' && SECRET_ENV_NAME.test(record.name as string)) out[key] = REDACTED;
    else if (SECRET_KEY.test(key) && (typeof child === 'string' || typeof child === 'number')) out[key] = REDACTED;
    else if (isSecret && key === 'metadata') out[key] = redactSecretMetadata(child);
    else out[key] = redactAny(child);
  }
  return out;
}

/** In an argument list (a container's `args`/`command`), the value after a secret flag is a secret. */
function redactArguments(values: unknown[]): unknown[] {
  return values.map((value, i) => {
    const previous = values[i - 1];
    return typeof value === 'string' && typeof previous === 'string' && SECRET_FLAG.test(previous) ? REDACTED : value;
  });
}

function maskValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return REDACTED;
  return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]));
}

/** A Secret's last-applied annotation holds its data in clear JSON. */
function redactSecretMetadata(metadata: unknown): unknown {
  const redacted = redactAny(metadata) as Record<string, unknown> | null;
  const annotations = redacted?.annotations as Record<string, unknown> | undefined;
  if (annotations && typeof annotations[LAST_APPLIED] === 'string') {
    annotations[LAST_APPLIED] = REDACTED;
  }
  return redacted;
}

/**
 * Redacts evidence content: JSON is parsed and redacted structurally (keeping its layout style),
 * anything else as text.
 */
export function redactDocument(content: string): string {
  const trimmed = content.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const pretty = /\n\s/.test(trimmed);
      return `${JSON.stringify(redactValue(parsed), null, pretty ? 2 : undefined)}${content.endsWith('\n') ? '\n' : ''}`;
    } catch {
      // Not JSON after all (or JSON lines): fall through to text redaction.
    }
  }
  return redactYamlSecretData(redactText(content));
}

/** In YAML text (kubectl get secret -o yaml), masks the values under `data:` / `stringData:` of a Secret. */
function redactYamlSecretData(text: string): string {
  if (!/^kind:\s*Secret\s*$/m.test(text)) return text;
  const lines = text.split('\n');
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '') continue;
      if (indent > blockIndent) {
        lines[i] = line.replace(/^(\s*[^:\s][^:]*:)\s*\S.*$/, `$1 ${REDACTED}`);
        continue;
      }
      blockIndent = -1;
    }
    if (/^\s*(data|stringData):\s*$/.test(line)) blockIndent = indent;
  }
  return lines.join('\n');
}

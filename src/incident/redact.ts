/**
 * Redaction applied to everything before it is written to an incident folder: events and evidence.
 * Secrets must never enter the log, since logs are shared, attached to tickets and merged.
 */

export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /^(password|passwd|pwd|token|secret|client[-_]?secret|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|private[-_]?key|client-key-data|client-certificate-data|authorization)$/i;
const SECRET_ENV_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|pwd|dsn|conn(ection)?[-_]?string)/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

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
  { pattern: /\b(bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, scheme) => `${scheme} ${REDACTED}` },
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
  // key=value credentials in URLs, command lines and logs, prefixed names too (DB_PASSWORD=, refresh_token=).
  {
    pattern: /\b(\w*?(?:password|passwd|pwd|token|secret|api[-_]?key|apikey)=)(?!\[REDACTED\])[^\s&;,"'<>]+/gi,
    replace: (_m, key) => `${key}${REDACTED}`,
  },
  // Passwords in URLs: scheme://user:password@host.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, replace: (_m, prefix) => `${prefix}${REDACTED}@` },
];

/** Redacts secrets in free text. */
export function redactText(text: string): string {
  let result = text;
  for (const rule of TEXT_RULES) {
    result = result.replace(rule.pattern, rule.replace as (...args: string[]) => string);
  }
  return result;
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
  if (Array.isArray(value)) return value.map(redactAny);
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

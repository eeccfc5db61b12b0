import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FileFormatError, UsageError } from './errors.js';
import { DEFAULT_SEVERITIES, type Severity, severitySchema } from './severity-table.js';
import { type AlertmanagerConfig, alertmanagerConfigSchema } from './triage/alerts/alerts-config.js';
import {
  type PrometheusConfig,
  prometheusConfigSchema,
  resolveSignalsConfig,
  type SignalsConfig,
  signalsConfigSchema,
} from './triage/signals/signals-config.js';

export { DEFAULT_SEVERITIES, type Severity } from './severity-table.js';

export interface IncConfig {
  severities: Severity[];
  /** Regular expressions; a matching kubeconfig context asks for typed confirmation before changes. */
  protectedContexts: string[];
  /** Extra playbook folders, absolute: `<configDir>/playbooks` first, then the configured ones. */
  playbookDirs: string[];
  /** Extra template folders, absolute: `<configDir>/templates` first, then the configured ones. */
  templateDirs: string[];
  /** Health-check URLs per service, for playbooks' `http` steps and status. */
  healthUrls: Record<string, string[]>;
  /** SHA-256 of the repo-local and file playbooks the user trusted (`inc run` records them). */
  trustedPlaybooks: string[];
  /** The git repository that deploys each namespace, absolute; triage shows its last commits. */
  repos: Record<string, string>;
  /** Where triage asks for the golden signals; absent: discovery in the cluster, then a direct scrape. */
  prometheus: PrometheusConfig;
  /** Signal profiles (PromQL templates), thresholds and windows of the signals check. */
  signals: SignalsConfig;
  /** Who to engage, by the keys the severities' escalation lists use: `on-call: "alice, +1 555 0100"`. */
  contacts: Record<string, string>;
  /** Minutes of investigation without a mitigation before inc says to roll back if unsure. */
  timeBoxMinutes: number;
  /** The roles `inc role` accepts. */
  roles: string[];
  /** Parameter values per playbook that replace the playbook's defaults (`--set` still wins). */
  playbookDefaults: Record<string, Record<string, string | number | boolean>>;
  /** Where alerts are read and silences created; absent: discovery in the cluster. */
  alertmanager: AlertmanagerConfig;
  /** Environment variables whose values are secrets whatever their names say (redacted at every exit). */
  redactEnv: string[];
  /** The shared timeline: the git remote, background push, and the largest file that travels. */
  sync: SyncConfig;
  /** The folder of the config file (whether or not the file exists). */
  configDir: string;
  /** The config file read, or undefined when there is none (defaults apply). */
  configFile: string | undefined;
}

export interface SyncConfig {
  /** Any git remote URL (`inc sync --remote URL` stores it); undefined: sync is off. */
  remote?: string;
  /** Push every recorded event in the background, right after it is written locally. */
  auto: boolean;
  /** Evidence files and postmortems larger than this stay on this machine. */
  maxFileBytes: number;
  /** Each git run of the background push gives up after this long, so a silent remote never holds it. */
  backgroundTimeoutSeconds: number;
}

/** Evidence is already text or small images; a heap dump does not belong in the shared repository. */
export const DEFAULT_SYNC_MAX_FILE_BYTES = 1024 * 1024;

/** Long enough for a push over a slow link, short enough that a silent remote is given up quickly. */
export const DEFAULT_SYNC_BACKGROUND_TIMEOUT_SECONDS = 10;

/** Matched case-insensitively: `prod` also covers `production` and `PROD-eu`; `prd` covers `gke_…_PRD`. */
export const DEFAULT_PROTECTED_CONTEXTS: readonly string[] = ['prod', 'prd'];

/** Investigating this long without a mitigation: roll back if unsure. */
export const DEFAULT_TIME_BOX_MINUTES = 30;

/** The roles of the runbooks' incident command: small and large teams. */
export const DEFAULT_ROLES: readonly string[] = [
  'commander',
  'tech-lead',
  'operations-lead',
  'investigator',
  'comms',
  'scribe',
  'deputy',
  'sme',
];

/** What `inc start` uses when no severity is given and nobody can be asked. */
export const DEFAULT_SEVERITY_WHEN_UNASKED = 'SEV3';

const configSchema = z.strictObject({
  severities: z.array(severitySchema).min(1).optional(),
  protectedContexts: z.array(z.string()).optional(),
  playbookDirs: z.array(z.string()).optional(),
  templateDirs: z.array(z.string()).optional(),
  healthUrls: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  repos: z.record(z.string(), z.string().min(1)).optional(),
  trustedPlaybooks: z
    .array(
      z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'), file: z.string().optional() }),
    )
    .optional(),
  prometheus: prometheusConfigSchema.optional(),
  signals: signalsConfigSchema.optional(),
  contacts: z.record(z.string(), z.string()).optional(),
  timeBoxMinutes: z.number().positive().optional(),
  roles: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a role is lower-case words joined by -'))
    .min(1)
    .optional(),
  alertmanager: alertmanagerConfigSchema.optional(),
  playbookDefaults: z
    .record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
    .optional(),
  redactEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')).optional(),
  sync: z
    .strictObject({
      remote: z.string().min(1).optional(),
      auto: z.boolean().optional(),
      maxFileBytes: z.number().int().nonnegative().optional(),
      backgroundTimeoutSeconds: z.number().positive().max(3600).optional(),
    })
    .optional(),
});

type Env = Readonly<Record<string, string | undefined>>;

/** `$INC_CONFIG`, else `$XDG_CONFIG_HOME/inc/config.yaml`, else `~/.config/inc/config.yaml`. */
export function configPath(env: Env): string {
  if (env.INC_CONFIG) return env.INC_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'inc', 'config.yaml');
}

/**
 * Loads the config file, or the defaults when there is none. A malformed file is a
 * `FileFormatError` naming the line (exit 2): a wrong severity table must not go unnoticed.
 */
export function loadConfig(env: Env): IncConfig {
  const file = configPath(env);
  const configDir = dirname(file);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || env.INC_CONFIG) {
      throw new UsageError(`cannot read config file ${file}: ${(error as Error).message}`, {
        hint: 'fix the path in INC_CONFIG, or unset it to use the defaults',
      });
    }
  }
  const raw = text === undefined ? {} : parseConfigText(file, text);
  return buildConfig(raw, configDir, text === undefined ? undefined : file, env);
}

function parseConfigText(file: string, text: string): z.infer<typeof configSchema> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    // yaml's pretty message repeats the position ("… at line 3, column 1:") before a snippet; the prefix says it.
    const detail = (yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new FileFormatError(file, pos?.line, pos?.col, `invalid YAML: ${detail}`, CONFIG_SYNTAX_HINT);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch {
    // yaml refuses an alias bomb (aliases of aliases expanding exponentially) with a ReferenceError.
    throw new FileFormatError(file, undefined, undefined, 'YAML aliases expand too much: write the values out');
  }
  const parsed = configSchema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []) as (string | number)[];
  const node = path.length > 0 ? doc.getIn(path, true) : undefined;
  const offset = isNode(node) && node.range ? node.range[0] : undefined;
  const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  throw new FileFormatError(file, pos?.line, pos?.col, `${where}${issue?.message ?? 'invalid config'}`, configHint());
}

/** A broken config stops the commands that read it: say how to go on during an incident. */
const CONFIG_SYNTAX_HINT = 'fix the file; meanwhile INC_CONFIG=/dev/null runs inc on its defaults';

function configHint(): string {
  return 'keys: severities, protectedContexts, playbookDirs, templateDirs, healthUrls, repos, trustedPlaybooks, prometheus, signals, contacts, timeBoxMinutes, roles, alertmanager, playbookDefaults, redactEnv, sync (see the README, "Configuration")';
}

function buildConfig(
  raw: z.infer<typeof configSchema>,
  configDir: string,
  file: string | undefined,
  env: Env,
): IncConfig {
  const severities =
    raw.severities ?? DEFAULT_SEVERITIES.map((s) => ({ ...s, aliases: [...s.aliases], escalation: [...s.escalation] }));
  assertUniqueSeverityNames(severities, file);
  const dir = (path: string) => expandPath(path, configDir, env);
  return {
    severities,
    protectedContexts: raw.protectedContexts ?? [...DEFAULT_PROTECTED_CONTEXTS],
    playbookDirs: unique([join(configDir, 'playbooks'), ...(raw.playbookDirs ?? []).map(dir)]),
    templateDirs: unique([join(configDir, 'templates'), ...(raw.templateDirs ?? []).map(dir)]),
    healthUrls: Object.fromEntries(
      Object.entries(raw.healthUrls ?? {}).map(([service, urls]) => [service, Array.isArray(urls) ? urls : [urls]]),
    ),
    trustedPlaybooks: (raw.trustedPlaybooks ?? []).map((entry) => entry.sha256),
    repos: Object.fromEntries(Object.entries(raw.repos ?? {}).map(([namespace, path]) => [namespace, dir(path)])),
    prometheus: { ...raw.prometheus },
    signals: resolveSignalsConfig(raw.signals),
    contacts: { ...raw.contacts },
    timeBoxMinutes: raw.timeBoxMinutes ?? DEFAULT_TIME_BOX_MINUTES,
    roles: raw.roles ?? [...DEFAULT_ROLES],
    playbookDefaults: structuredClone(raw.playbookDefaults ?? {}),
    alertmanager: { ...raw.alertmanager },
    redactEnv: [...(raw.redactEnv ?? [])],
    sync: {
      remote: raw.sync?.remote,
      auto: raw.sync?.auto ?? false,
      maxFileBytes: raw.sync?.maxFileBytes ?? DEFAULT_SYNC_MAX_FILE_BYTES,
      backgroundTimeoutSeconds: raw.sync?.backgroundTimeoutSeconds ?? DEFAULT_SYNC_BACKGROUND_TIMEOUT_SECONDS,
    },
    configDir,
    configFile: file,
  };
}

function assertUniqueSeverityNames(severities: readonly Severity[], file: string | undefined): void {
  const seen = new Set<string>();
  for (const severity of severities) {
    for (const name of [severity.name, ...severity.aliases]) {
      const key = name.toUpperCase();
      if (seen.has(key)) {
        throw new FileFormatError(file ?? 'config', undefined, undefined, `severity name "${name}" is used twice`);
      }
      seen.add(key);
    }
  }
}

function expandPath(path: string, base: string, env: Env): string {
  if (path === '~' || path.startsWith('~/')) return join(env.HOME || homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(base, path);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Finds a severity by name or alias, case-insensitively ("sev2", "P2").
 * Unknown names are a usage error listing the valid ones.
 */
export function resolveSeverity(config: Pick<IncConfig, 'severities'>, text: string): Severity {
  const wanted = text.trim().toUpperCase();
  const match = config.severities.find(
    (s) => s.name.toUpperCase() === wanted || s.aliases.some((alias) => alias.toUpperCase() === wanted),
  );
  if (match) return match;
  const valid = config.severities.map((s) => (s.aliases.length ? `${s.name} (${s.aliases.join(', ')})` : s.name));
  throw new UsageError(`unknown severity "${text}"`, {
    code: 'UNKNOWN_SEVERITY',
    hint: `valid severities: ${valid.join(', ')}`,
  });
}

/** The rank of a severity (0 = most severe), or the table's length when unknown. */
export function severityRank(config: Pick<IncConfig, 'severities'>, name: string): number {
  const index = config.severities.findIndex((s) => s.name === name);
  return index < 0 ? config.severities.length : index;
}

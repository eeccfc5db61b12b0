import { didYouMean } from '../closest-match.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import type { Playbook, PlaybookParam } from './schema.js';

export type ParamValue = string | number | boolean;
export type ParamValues = Record<string, ParamValue>;

const FORMAT_RULES: Record<string, { re: RegExp; max: number; what: string }> = {
  dns1123: {
    re: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    max: 253,
    what: 'a Kubernetes name (DNS-1123: lower-case letters, digits, "-" and ".")',
  },
  'dns1123-label': {
    re: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    max: 63,
    what: 'a DNS-1123 label (lower-case letters, digits and "-", at most 63)',
  },
  release: { re: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, max: 53, what: 'a Helm release name' },
  image: { re: /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, max: 512, what: 'an image reference such as api:1.2.3' },
  url: { re: /^https?:\/\/[^\s]+$/, max: 2048, what: 'an http(s) URL' },
  'label-selector': { re: /^[A-Za-z0-9._\-/=!,() ]+$/, max: 1024, what: 'a label selector such as app=api' },
};

/**
 * Parses and validates one parameter value given as text (from --set or a prompt).
 * Throws a UsageError that names the parameter and what it expects.
 */
export function parseParamValue(param: PlaybookParam, text: string): ParamValue {
  const fail = (expected: string) =>
    new UsageError(`invalid value for parameter "${param.name}": ${JSON.stringify(text)} is not ${expected}`, {
      hint: param.description ? `${param.name}: ${param.description}` : undefined,
    });
  // Control characters never belong in a parameter: they hide text in logs and terminals.
  if ([...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    throw fail('a single line of printable text');
  }
  switch (param.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(text.trim())) throw fail('an integer');
      const value = Number(text.trim());
      // Past 2^53 the number is no longer the one typed: 99999999999999999 would become …00000.
      if (!Number.isSafeInteger(value))
        throw fail(`an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
      if (param.min !== undefined && value < param.min) throw fail(`an integer ≥ ${param.min}`);
      if (param.max !== undefined && value > param.max) throw fail(`an integer ≤ ${param.max}`);
      return value;
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['true', 'yes', 'y', '1', 'on'].includes(lower)) return true;
      if (['false', 'no', 'n', '0', 'off'].includes(lower)) return false;
      throw fail('a boolean (true or false)');
    }
    case 'duration':
      try {
        parseDuration(text, param.name);
      } catch {
        throw fail('a duration such as 30s, 5m or 1h30m');
      }
      return text.trim();
    case 'enum':
      if (!param.values?.includes(text)) throw fail(`one of: ${(param.values ?? []).join(', ')}`);
      return text;
    default: {
      const rule = param.format ? FORMAT_RULES[param.format] : undefined;
      if (rule && (!rule.re.test(text) || text.length > rule.max)) throw fail(rule.what);
      if (param.pattern !== undefined && !new RegExp(`^(?:${param.pattern})$`).test(text)) {
        throw fail(`matching /${param.pattern}/`);
      }
      return text;
    }
  }
}

/** Splits repeated `--set key=value` flags; an unknown key lists the playbook's parameters. */
export function parseSetFlags(playbook: Playbook, sets: readonly string[]): ParamValues {
  const values: ParamValues = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--set expects key=value, got "${set}"`, { hint: 'for example --set deployment=api' });
    const key = set.slice(0, eq);
    const param = playbook.params.find((p) => p.name === key);
    if (!param) {
      const names = playbook.params.map((p) => p.name);
      const suggestion = didYouMean(key, names);
      throw new UsageError(
        `playbook ${playbook.metadata.name} has no parameter "${key}"${suggestion ? `; ${suggestion}` : ''}`,
        { hint: `parameters: ${names.join(', ') || '(none)'}` },
      );
    }
    values[key] = parseParamValue(param, set.slice(eq + 1));
  }
  return values;
}

type ParamHook<T> = (param: PlaybookParam, values: Readonly<ParamValues>) => Promise<T>;

export interface ResolveParamsOptions {
  playbook: Playbook;
  sets: readonly string[];
  /** The namespace from -n, else (without a terminal) the context's; a `namespace` parameter defaults to it. */
  defaultNamespace?: string;
  /** The config's values for this playbook (`playbookDefaults`): they win over the playbook's own defaults. */
  configured?: Readonly<Record<string, ParamValue>>;
  /** Asks for a missing required parameter, given the values resolved so far; undefined without a terminal. */
  ask?: ParamHook<string>;
  /** Fills a missing required parameter when only one value is possible (a deployment's only container). */
  infer?: ParamHook<string | undefined>;
  /** Checks each resolved value against the cluster (the deployment exists in the namespace), in order. */
  check?: ParamHook<void>;
}

/**
 * Resolves every parameter before anything runs, the namespace first: --set values, defaults (the
 * namespace from -n or the context), a value the cluster leaves no choice about, then prompts for
 * missing required ones; each value is checked as soon as it is known, so a wrong target is
 * reported before anything else is asked. Without a terminal a missing one is a UsageError.
 */
export async function resolveParams(options: ResolveParamsOptions): Promise<ParamValues> {
  const { playbook } = options;
  const values = applyAliases(playbook, parseSetFlags(playbook, options.sets));
  const configured = parseConfiguredDefaults(playbook, options.configured ?? {});
  const missing: PlaybookParam[] = [];
  for (const param of settledFirst(playbook.params)) {
    if (values[param.name] === undefined && configured[param.name] !== undefined) {
      values[param.name] = configured[param.name] as ParamValue;
    }
    if (values[param.name] === undefined) {
      const text = await fillParam(param, values, options);
      if (text === undefined) {
        if (param.required) missing.push(param);
        continue;
      }
      values[param.name] = parseParamValue(param, text);
    }
    await options.check?.(param, values);
  }
  if (missing.length > 0) {
    throw new UsageError(`playbook ${playbook.metadata.name} needs ${missing.map((p) => `"${p.name}"`).join(', ')}`, {
      hint: `pass ${missing.map((p) => setFlagsOf(playbook, p)).join(' ')} (or run it in a terminal to be asked)`,
    });
  }
  return values;
}

/**
 * The config's default values for a playbook, checked as `--set` values are: a key the playbook does
 * not have, or a value of the wrong shape, names the config key.
 */
export function parseConfiguredDefaults(
  playbook: Playbook,
  configured: Readonly<Record<string, ParamValue>>,
): ParamValues {
  const out: ParamValues = {};
  const where = (key: string) => `playbookDefaults.${playbook.metadata.name}.${key} in the config`;
  for (const [key, value] of Object.entries(configured)) {
    const param = playbook.params.find((p) => p.name === key);
    if (!param) {
      throw new UsageError(`${where(key)}: playbook ${playbook.metadata.name} has no parameter "${key}"`, {
        hint: `parameters: ${playbook.params.map((p) => p.name).join(', ') || '(none)'}`,
      });
    }
    try {
      out[key] = parseParamValue(param, String(value));
    } catch (error) {
      throw new UsageError(`${where(key)}: ${(error as Error).message}`, { hint: (error as UsageError).hint });
    }
  }
  return out;
}

/** `--set deployment=…`, with its aliases: `(or --set statefulset=…, --set daemonset=…)`. */
function setFlagsOf(playbook: Playbook, param: PlaybookParam): string {
  const aliases = playbook.params.filter((p) => p.aliasOf === param.name).map((p) => `--set ${p.name}=…`);
  return `--set ${param.name}=…${aliases.length ? ` (or ${aliases.join(', ')})` : ''}`;
}

async function fillParam(
  param: PlaybookParam,
  values: Readonly<ParamValues>,
  options: ResolveParamsOptions,
): Promise<string | undefined> {
  if (param.default !== undefined) return String(param.default);
  if (param.name === 'namespace' && options.defaultNamespace) return options.defaultNamespace;
  if (!param.required) return undefined;
  return (await options.infer?.(param, values)) ?? options.ask?.(param, values);
}

/** Everything else is looked up in the namespace, and a workload by its kind: those are settled first. */
function settledFirst(params: readonly PlaybookParam[]): PlaybookParam[] {
  const first = ['namespace', 'kind'];
  return [
    ...first.flatMap((name) => params.filter((p) => p.name === name)),
    ...params.filter((p) => !first.includes(p.name)),
  ];
}

/**
 * A parameter given under another name (`--set statefulset=db`) stands for the one it is an alias
 * of (`deployment=db`) and sets what it implies (`kind=statefulset`). Given together with a
 * different value of either, it is a usage error: nothing guesses which one was meant.
 */
export function applyAliases(playbook: Playbook, given: ParamValues): ParamValues {
  const values = { ...given };
  for (const alias of playbook.params) {
    const value = given[alias.name];
    if (!alias.aliasOf || value === undefined) continue;
    const implied: [string, string][] = [[alias.aliasOf, String(value)], ...Object.entries(alias.implies ?? {})];
    for (const [name, text] of implied) {
      const param = playbook.params.find((p) => p.name === name);
      if (!param) continue;
      if (values[name] !== undefined && String(values[name]) !== text)
        throw new UsageError(
          `--set ${alias.name}=${String(value)} means ${name}=${text}, but ${name}=${String(values[name])} was given too`,
          { hint: 'give one of them; nothing was changed' },
        );
      values[name] = parseParamValue(param, text);
    }
  }
  return values;
}

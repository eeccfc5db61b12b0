import { UsageError } from '../../errors.js';
import type { Matcher } from '../../triage/adapters/alertmanager-types.js';

/** `name=value`, `name!=value`, `name=~regex`, `name!~regex`, as amtool reads them; the value may be quoted. */
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;
/** A comma starts a new matcher only where a label name and an operator follow (a regex may hold commas). */
const NEXT_MATCHER = /,(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=))/;

/**
 * Parses matchers given as text: each item of the list, and within an item the comma-separated
 * `label=value` pairs. A bad matcher, or a regex Alertmanager could not compile, is a usage error.
 */
export function parseMatchers(items: readonly string[]): Matcher[] {
  const matchers: Matcher[] = [];
  for (const item of items) {
    for (const part of item.split(NEXT_MATCHER)) {
      if (part.trim() === '') continue;
      const match = MATCHER.exec(part);
      if (!match)
        throw new UsageError(`invalid matcher "${part.trim()}"`, {
          hint: 'give label=value pairs such as namespace=payments (also !=, =~ and !~)',
        });
      const [, name, op, raw] = match as unknown as [string, string, string, string];
      const value = unquote(raw);
      const isRegex = op === '=~' || op === '!~';
      if (isRegex) anchored(value, part.trim());
      matchers.push({ name, value, isRegex, isEqual: op === '=' || op === '=~' });
    }
  }
  return matchers;
}

/** Whether an alert's labels satisfy every matcher (a missing label reads as ""), as Alertmanager decides. */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    const hit = m.isRegex ? anchored(m.value, m.name).test(value) : value === m.value;
    return hit === (m.isEqual !== false);
  });
}

/** `alertname="HighErrorRate"`, as amtool prints a matcher. */
export function formatMatcher(m: Matcher): string {
  const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** Whether the matchers pin the alert's name: an `alertname` equality matcher. */
export function namesAlert(matchers: readonly Matcher[]): boolean {
  return matchers.some((m) => m.name === 'alertname' && !m.isRegex && m.isEqual !== false);
}

function anchored(source: string, what: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    throw new UsageError(`invalid regular expression in matcher ${what}`);
  }
}

/** A quoted value is read as a JSON string (escapes included), else taken as written. */
function unquote(raw: string): string {
  if (!/^".*"$/.test(raw)) return raw;
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw.slice(1, -1);
  }
}

import type { z } from 'zod';

const EXPECTED: Record<string, string> = {
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** What a YAML value is, in the words of the file: "a list", "nothing (null)", "the text \"x\"", 42. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return String(value);
}

/**
 * One validation problem in plain words ("must be a list, got a mapping"): zod's own text
 * ("Invalid input: expected array, received object") never reaches the person. A message the
 * schema wrote itself (a regex's explanation) is kept.
 */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `got ${describeValue(value)}`;
  // The schema's own words (a regex's or a bound's explanation) are kept; zod's defaults are replaced.
  if (!/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, ${got}`;
    case 'invalid_union': {
      const inner = issue.errors.map((errors) => errors[0]).filter((i) => i !== undefined);
      const types = inner
        .filter((i): i is z.core.$ZodIssueInvalidType => i.code === 'invalid_type')
        .map((i) => EXPECTED[i.expected] ?? i.expected);
      if (types.length === inner.length && types.length > 0) return `must be ${orList([...new Set(types)])}, ${got}`;
      // A value of the right type that one branch rejected: that branch's reason is the one to give.
      const reason = inner.find((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value') ?? inner[0];
      return reason ? describeIssue(reason, value) : `has the wrong shape, ${got}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}, ${got}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, ${got}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? `must not be empty`
          : `must be at least ${issue.minimum}, ${got}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `takes at most ${issue.maximum} items`
        : issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters`
          : `must be at most ${issue.maximum}, ${got}`;
    case 'invalid_format':
      return issue.format === 'url' ? `must be an http(s) URL, ${got}` : `has the wrong format, ${got}`;
    default:
      return `is not valid, ${got}`;
  }
}

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

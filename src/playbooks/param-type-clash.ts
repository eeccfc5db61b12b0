import type { z } from 'zod';
import type { ParamType } from './schema.js';

const WHOLE_REF = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** A value of each parameter type, to ask a field whether it takes that type at all. */
const SAMPLES: Record<ParamType, unknown> = { string: 'x', enum: 'x', duration: '5m', integer: 1, boolean: true };

/** The parameter type that gives a field what it takes. */
const TYPE_FOR: Record<string, ParamType> = { number: 'integer', int: 'integer', boolean: 'boolean', string: 'string' };

/**
 * Why a field that is exactly one `{{param}}` can never take that parameter's value, else undefined:
 * a string parameter in `replicas` passed validation and then failed every run with `must be a number,
 * got the text "3"`. Only the type is compared; the value itself is checked once it is known.
 */
export function paramTypeClash(
  key: string,
  field: z.ZodType,
  value: unknown,
  types: ReadonlyMap<string, ParamType>,
): string | undefined {
  const name = typeof value === 'string' ? WHOLE_REF.exec(value)?.[1] : undefined;
  const type = name === undefined ? undefined : types.get(name);
  if (name === undefined || type === undefined) return undefined;
  const issue = field.safeParse(SAMPLES[type]).error?.issues[0];
  if (issue?.code !== 'invalid_type' || issue.path.length > 0) return undefined;
  const expected = String(issue.expected);
  const fix = TYPE_FOR[expected];
  return `${key} takes a ${expected}, but parameter "${name}" is of type ${type}${fix ? ` (declare it type: ${fix})` : ''}`;
}

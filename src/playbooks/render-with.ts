import type { z } from 'zod';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { ACTION_WITH, type ActionName, type ActionWith } from './action-with.js';
import { describeIssue } from './describe-issue.js';
import type { ParamValues } from './params.js';
import type { PlaybookStep } from './schema.js';

const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const ANY = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Substitutes `{{param}}` in a structured value. A field that is exactly one reference takes the
 * parameter's typed value (an integer stays an integer) or disappears when the parameter is unset;
 * a reference inside longer text is replaced by the value's text. Nothing is ever evaluated or
 * passed to a shell: a value always stays one field.
 */
export function renderTemplate(value: unknown, params: ParamValues): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return params[whole[1] as string];
    return value.replace(ANY, (_, name: string) => (params[name] === undefined ? '' : String(params[name])));
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, params)).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const rendered = renderTemplate(item, params);
      if (rendered !== undefined) out[key] = rendered;
    }
    return out;
  }
  return value;
}

/** ACTION_WITH as a mapped type, so that a schema looked up by a generic name parses to that name's values. */
const WITH_SCHEMAS: { [N in ActionName]: z.ZodType<ActionWith<N>> } = ACTION_WITH;

/** Renders a step's `with` and validates it against its action; a bad value names the step and field. */
export function renderStepWith<N extends ActionName>(
  step: PlaybookStep & { action: N },
  params: ParamValues,
): ActionWith<N> {
  const rendered = renderTemplate(step.with, params);
  const schema = WITH_SCHEMAS[step.action];
  const result = schema.safeParse(rendered);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
    const field = path.join('.');
    const value = path.reduce<unknown>(
      (at, key) => (at as Record<string | number, unknown> | undefined)?.[key],
      rendered,
    );
    throw new UsageError(
      `step "${step.id}" (${step.action}): ${field ? `${field}: ` : ''}${issue ? describeIssue(issue, value) : 'invalid'}`,
      {
        hint: 'check the --set values and the playbook (inc playbooks show NAME)',
      },
    );
  }
  return result.data;
}

/** Whether a step's `when` lets it run: empty, "false", "0" and "no" skip it. */
export function shouldRun(step: PlaybookStep, params: ParamValues): boolean {
  if (step.when === undefined) return true;
  const value = String(renderTemplate(step.when, params) ?? '')
    .trim()
    .toLowerCase();
  return !['', 'false', '0', 'no', 'undefined'].includes(value);
}

/**
 * A step's `timeout` rendered and parsed, in milliseconds (undefined when the step sets none or its
 * parameter is unset). Checked for every step before the first one runs: read only at verification,
 * a bad value stopped a run after its change was applied.
 */
export function renderStepTimeout(step: PlaybookStep, params: ParamValues): number | undefined {
  if (step.timeout === undefined) return undefined;
  const text = String(renderTemplate(step.timeout, params) ?? '');
  if (text === '') return undefined;
  try {
    return parseDuration(text, 'timeout');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`step "${step.id}" (${step.action}): ${error.message}`, {
      hint: `${error.hint ?? 'use a duration such as 5m'}; check the --set values and the playbook (inc playbooks show NAME)`,
    });
  }
}

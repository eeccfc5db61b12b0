import { z } from 'zod';
import { ACTION_NAMES, ACTION_WITH } from './action-with.js';

export const PARAM_TYPES = ['string', 'integer', 'boolean', 'duration', 'enum'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** Formats a string parameter can be checked against. */
export const PARAM_FORMATS = ['dns1123', 'dns1123-label', 'image', 'url', 'release', 'label-selector'] as const;
export type ParamFormat = (typeof PARAM_FORMATS)[number];

/** Where an interactive prompt can fetch choices from. */
export const PARAM_CHOICE_SOURCES = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'workloads',
  'namespaces',
  'nodes',
  'pods',
  'configmaps',
  'containers',
  'applications',
  'releases',
] as const;

/** A `{{name}}` reference to a parameter inside a string field. */
export const TEMPLATE_REF = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STEP_ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const paramSchema = z
  .object({
    name: z.string().regex(PARAM_NAME, 'must be an identifier such as deployment or toRevision'),
    type: z.enum(PARAM_TYPES).default('string'),
    description: z.string().optional(),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    format: z.enum(PARAM_FORMATS).optional(),
    pattern: z.string().optional().describe('a regular expression the whole value must match'),
    values: z.array(z.string()).min(1).optional().describe('allowed values of an enum parameter'),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    choicesFrom: z
      .enum(PARAM_CHOICE_SOURCES)
      .optional()
      .describe('what to offer when asking on a terminal (workloads: those of the kind parameter)'),
    aliasOf: z
      .string()
      .optional()
      .describe('another name for that parameter: --set statefulset=db stands for --set deployment=db'),
    implies: z
      .record(z.string(), z.string())
      .optional()
      .describe('values this parameter sets when given, e.g. {kind: statefulset}'),
  })
  .strict();

export const stepSchema = z
  .object({
    id: z.string().regex(STEP_ID, 'must be a short lower-case id such as undo or wait'),
    action: z.enum(ACTION_NAMES),
    description: z.string().optional(),
    with: z.record(z.string(), z.unknown()).default({}),
    when: z
      .string()
      .optional()
      .describe('run the step only when this templated value is non-empty and not "false" or "0"'),
    confirm: z
      .union([z.boolean(), z.string()])
      .optional()
      .describe('false skips the confirmation of this step; a string replaces the question'),
    timeout: z.string().optional().describe('bound on the step (verification included), e.g. 5m'),
    onStuck: z
      .enum(['stop', 'continue'])
      .optional()
      .describe(
        'continue: when the verification finds the rollout stuck for good (a StatefulSet waiting on a pod of an earlier revision), say so and go on to the next step, which can fix it (default stop)',
      ),
  })
  .strict();

export const playbookSchema = z
  .object({
    apiVersion: z.literal('inc/v1'),
    kind: z.literal('Playbook'),
    metadata: z
      .object({
        name: z.string().regex(STEP_ID, 'must be a DNS-1123 label such as rollback'),
        title: z.string(),
        description: z.string().optional(),
        tags: z.array(z.string()).optional(),
      })
      .strict(),
    params: z.array(paramSchema).default([]),
    suggestWhen: z
      .object({
        reasons: z.array(z.string()).optional(),
        findings: z.array(z.string()).optional().describe('finding id prefixes'),
        recentRollout: z.boolean().optional(),
        kinds: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type PlaybookParam = z.infer<typeof paramSchema>;
export type PlaybookStep = z.infer<typeof stepSchema>;
export type Playbook = z.infer<typeof playbookSchema>;

/**
 * The JSON Schema of a playbook for editors: the same document, with each step's `with`
 * narrowed to its action's fields (a field may also hold a `{{param}}` template).
 */
export function playbookJsonSchema(): Record<string, unknown> {
  const template = z.string().regex(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/);
  const steps = ACTION_NAMES.map((name) => {
    const shape = ACTION_WITH[name].shape as Record<string, z.ZodType>;
    const loose = Object.fromEntries(
      Object.entries(shape).map(([key, field]) => {
        const optional = field instanceof z.ZodOptional;
        const inner = optional ? (field.unwrap() as z.ZodType) : field;
        const either = z.union([inner, template]);
        return [key, optional ? either.optional() : either];
      }),
    );
    return stepSchema.extend({ action: z.literal(name), with: z.object(loose).strict() });
  });
  const doc = playbookSchema.extend({ steps: z.array(z.union(steps)).min(1) });
  const json = z.toJSONSchema(doc, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, title: 'inc playbook (apiVersion inc/v1, kind Playbook)' };
}

import { z } from 'zod';
import {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_TYPES,
  ACTION_PHASES,
  EVENT_TYPES,
  NOTE_KINDS,
  STATUS_STATES,
} from './event.js';

/**
 * The schema of an event as the log stores it, for events that come from outside this machine
 * (`inc log --merge`): fields inc reads must have the type it expects. Unknown extra fields are
 * kept, as a newer inc may add some.
 */
const iso = z.iso.datetime({ offset: true });
const text = z.string();
const optionalText = z.string().optional();
const target = z.looseObject({ kind: text, namespace: optionalText, name: text });
const count = z.number().int().nonnegative();
const figure = z.looseObject({ now: z.number().optional(), baseline: z.number().optional() });
const measuredSignals = z.looseObject({
  at: iso,
  windowSeconds: z.number(),
  source: text,
  workloads: z.array(
    z.looseObject({
      workload: target,
      requestRate: figure,
      errorRatio: figure,
      p99Seconds: figure,
      reasons: z.array(text),
    }),
  ),
});

const delivery = z.looseObject({ to: text, ok: z.boolean(), error: optionalText, text: optionalText });

const DATA_SCHEMAS = {
  declared: z.looseObject({
    title: text,
    severity: text,
    commander: optionalText,
    services: z.array(text),
    impactStartedAt: iso.optional(),
    practice: z.boolean().optional(),
    fromAlert: z.looseObject({ name: text, fingerprint: text }).optional(),
  }),
  alert: z.looseObject({
    name: text,
    fingerprint: text,
    labels: z.record(z.string(), text),
    annotations: z.record(z.string(), text),
    startsAt: iso,
    generatorURL: optionalText,
    source: optionalText,
  }),
  impact: z.looseObject({ startedAt: iso, reason: optionalText }),
  severity: z.looseObject({ from: optionalText, to: text, reason: optionalText }),
  status: z.looseObject({ state: z.enum(STATUS_STATES), at: iso.optional(), reason: optionalText }),
  role: z.looseObject({ role: text, name: text, previous: optionalText }),
  note: z.looseObject({
    text,
    kind: z.enum(NOTE_KINDS),
    owner: optionalText,
    due: optionalText,
    itemType: z.enum(ACTION_ITEM_TYPES).optional(),
    priority: z.enum(ACTION_ITEM_PRIORITIES).optional(),
    evidence: z
      .string()
      .regex(/^evidence\/[A-Za-z0-9._-]+$/, 'an evidence path is evidence/NAME')
      .optional(),
  }),
  triage: z.looseObject({
    context: text,
    namespaces: z.union([text, z.array(text)]),
    summary: z.looseObject({ critical: count, warning: count, info: count }),
    headline: text,
    findings: z.array(z.looseObject({ id: text, severity: z.enum(['critical', 'warning', 'info']), title: text })),
    suspects: z.array(z.looseObject({ workload: target, change: text, at: text, why: text })),
    evidence: optionalText,
    signals: measuredSignals.optional(),
  }),
  action: z.looseObject({
    actionId: text,
    phase: z.enum(ACTION_PHASES),
    action: text,
    context: text,
    server: optionalText,
    target,
    summary: text,
    undoes: optionalText,
    error: optionalText,
    irreversible: optionalText,
    dryRun: z.boolean().optional(),
  }),
  update: z.looseObject({
    status: text,
    format: text,
    text,
    message: optionalText,
    impact: optionalText,
    eta: optionalText,
    nextUpdateAt: iso.optional(),
    post: delivery.optional(),
    resends: optionalText,
  }),
  escalation: z.looseObject({
    severity: optionalText,
    to: z.array(text),
    reason: optionalText,
    paged: z.boolean().optional(),
    page: delivery.optional(),
  }),
  resolved: z.looseObject({ summary: optionalText, at: iso.optional(), falsePositive: z.boolean().optional() }),
  postmortem: z.looseObject({ path: text }),
} satisfies Record<(typeof EVENT_TYPES)[number], z.ZodType>;

const envelope = z.looseObject({
  v: z.literal(1),
  id: z.string().min(1),
  at: iso,
  type: z.enum(EVENT_TYPES),
  actor: text,
  data: z.unknown(),
});

/** Checks one event against the schema; returns what is wrong ("data.summary: expected string"), or undefined. */
export function describeInvalidEvent(event: unknown): string | undefined {
  const outer = envelope.safeParse(event);
  if (!outer.success) return describeIssue(outer.error, '');
  const data = DATA_SCHEMAS[outer.data.type].safeParse(outer.data.data);
  return data.success ? undefined : describeIssue(data.error, 'data.');
}

function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${prefix}${path || '(event)'}: ${issue.message}`;
}

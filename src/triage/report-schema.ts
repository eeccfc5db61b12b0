import { z } from 'zod';
import { CHECK_NAMES, SEVERITIES } from './types.js';

const ref = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }).strict();
const iso = z.string().datetime({ offset: true });
const figure = z
  .object({
    now: z.number().optional(),
    baseline: z.number().optional(),
    points: z.array(z.object({ at: iso, value: z.number() }).strict()).describe('the last 30 minutes, oldest first'),
  })
  .strict();

const context = z.string().optional().describe('the kubeconfig context, in a triage of several (a fleet)');

/** One context's report. */
const contextReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    context: z.string(),
    namespaces: z.string().describe('"all" or the namespace looked at'),
    startedAt: iso,
    durationMs: z.number().int().nonnegative(),
    complete: z
      .boolean()
      .describe('false when a check failed: "no problems found" then covers only the checks that ran (see checks)'),
    summary: z
      .object({
        critical: z.number().int().nonnegative(),
        warning: z.number().int().nonnegative(),
        info: z.number().int().nonnegative(),
      })
      .strict(),
    headline: z.string(),
    findings: z.array(
      z
        .object({
          id: z.string().describe('<check>/<reason>/<namespace>/<kind>/<name>; stable across runs'),
          severity: z.enum(SEVERITIES),
          check: z.enum(CHECK_NAMES),
          reason: z.string(),
          title: z.string(),
          workload: ref.optional(),
          objects: z.array(ref),
          count: z.number().int().nonnegative(),
          since: iso.optional(),
          evidence: z.array(z.string()),
          suggestion: z
            .object({ playbook: z.string(), params: z.record(z.string(), z.string()), command: z.string() })
            .strict()
            .optional(),
          runbook: z.string().optional().describe("the alert's runbook_url annotation (alerts check)"),
          context,
        })
        .strict(),
    ),
    suspects: z.array(z.object({ workload: ref, change: z.string(), at: iso, why: z.string(), context }).strict()),
    checks: z.array(
      z
        .object({
          check: z.enum(CHECK_NAMES),
          status: z.enum(['ok', 'error', 'skipped']),
          durationMs: z.number().int().nonnegative(),
          error: z.string().optional(),
          context,
        })
        .strict(),
    ),
    probes: z
      .array(
        z
          .object({
            url: z.string(),
            ok: z.boolean(),
            status: z.number().int().optional(),
            error: z.string().optional(),
            body: z.string().optional(),
            timings: z
              .object({
                dnsMs: z.number().optional(),
                connectMs: z.number().optional(),
                tlsMs: z.number().optional(),
                firstByteMs: z.number().optional(),
                totalMs: z.number(),
              })
              .strict(),
          })
          .strict(),
      )
      .optional(),
    commits: z
      .array(z.object({ sha: z.string(), author: z.string(), at: iso, subject: z.string() }).strict())
      .optional(),
    signals: z
      .object({
        source: z
          .object({
            kind: z.enum(['prometheus', 'discovered', 'scrape']),
            name: z.string().describe('the Prometheus URL, the Service found in the cluster, or the pods scraped'),
            profiles: z.array(z.string()),
          })
          .strict(),
        at: iso,
        windowSeconds: z.number().int().nonnegative(),
        workloads: z.array(
          z
            .object({
              workload: ref,
              via: z.string(),
              requestRate: figure.describe('requests per second'),
              errorRatio: figure.describe('5xx / all requests, 0..1'),
              p99Seconds: figure.describe('99th percentile latency, seconds'),
            })
            .strict(),
        ),
      })
      .strict()
      .optional()
      .describe('the golden signals per workload, when the signals check ran'),
    alertSource: z
      .object({ kind: z.enum(['url', 'discovered']), name: z.string() })
      .strict()
      .optional()
      .describe('the Alertmanager the alerts check read, when it answered'),
  })
  .strict();

const fleetEntry = z
  .object({
    context: z.string(),
    status: z.enum(['ok', 'unreachable', 'failed']),
    critical: z.number().int().nonnegative(),
    warning: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
    headline: z.string(),
    topSuspect: z.string().optional(),
    error: z.string().optional(),
    hint: z.string().optional(),
    complete: z.boolean(),
    durationMs: z.number().int().nonnegative(),
  })
  .strict();

/**
 * The `inc triage -o json` contract, schemaVersion 1 (see DESIGN). Fields are only ever added: a
 * triage of several contexts adds `fleet` (one line per context, worst first), `reports` (each
 * context's own report) and `context` on every finding, suspect and check.
 */
export const triageReportSchema = contextReportSchema.extend({
  fleet: z.array(fleetEntry).optional().describe('a fleet triage: how each context went, worst first'),
  reports: z.array(contextReportSchema).optional().describe("a fleet triage: each reachable context's report"),
});

/** The JSON Schema of `inc triage -o json`, for consumers and editors. */
export function triageReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(triageReportSchema) as Record<string, unknown>;
}

/**
 * The scenario file's schema (zod): what `parseScenario` validates, with the messages and paths
 * it reports as file:line:col. The format itself is described in scenario.ts.
 */
import { z } from 'zod';

export const objectSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
  })
  .loose();

const refSchema = z.object({
  kind: z.string().default('Deployment'),
  namespace: z.string().optional(),
  name: z.string(),
});

const patchSchema = refSchema.extend({
  image: z.string().optional(),
  container: z.string().optional(),
  behavior: z.string().nullable().optional(),
  changeCause: z.string().optional(),
  replicas: z.number().int().min(0).optional(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  logError: z.string().optional(),
  templateAnnotations: z.record(z.string(), z.string().nullable()).optional(),
  annotations: z.record(z.string(), z.string().nullable()).optional(),
  merge: z.record(z.string(), z.unknown()).optional(),
  restart: z.boolean().optional(),
});

const changeSchema = z
  .object({
    at: z.union([z.string(), z.number()]),
    patch: patchSchema.optional(),
    scale: refSchema.extend({ replicas: z.number().int().min(0) }).optional(),
    nodeBehavior: z
      .object({ name: z.string(), behavior: z.enum(['not-ready', 'memory-pressure']).nullable() })
      .optional(),
    cordon: z.object({ name: z.string() }).optional(),
    create: objectSchema.optional(),
    delete: refSchema.optional(),
    helm: z
      .object({
        release: z.string(),
        namespace: z.string(),
        chart: z.object({ name: z.string(), version: z.string(), appVersion: z.string().optional() }),
        manifests: z.array(objectSchema),
        values: z.record(z.string(), z.unknown()).optional(),
        description: z.string().optional(),
        status: z.enum(['deployed', 'failed']).optional(),
      })
      .optional(),
    gitCommit: z
      .object({
        application: z.string(),
        namespace: z.string().default('argocd'),
        revision: z.string().regex(/^[0-9a-f]{7,40}$/, 'a commit sha (7–40 hex digits)'),
        manifests: z.array(objectSchema),
        refs: z.array(z.string()).default(['HEAD', 'main']),
      })
      .optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).filter((key) => key !== 'at').length === 1, {
    message:
      'each timeline entry has `at` and exactly one change (patch, scale, nodeBehavior, cordon, create, delete, helm, gitCommit)',
  });

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    description: z.string(),
    culprit: z
      .object({
        kind: z.string(),
        namespace: z.string().optional(),
        name: z.string(),
        reason: z.string(),
        change: z.string(),
        playbook: z.string(),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
        /** Playbooks to run after the first one (e.g. argo-rollback after argo-pause-sync). */
        followUp: z
          .array(
            z.object({
              playbook: z.string(),
              params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
            }),
          )
          .optional(),
      })
      .optional(),
    faults: z
      .object({
        latencyMs: z.number().min(0).optional(),
        errorRate: z.number().min(0).max(1).optional(),
        errorStatus: z.union([z.literal(500), z.literal(429), z.literal(503)]).optional(),
        errorResources: z.array(z.string()).optional(),
        forbidden: z.array(z.string()).optional(),
        noMetrics: z.boolean().optional(),
        dropConnectionRate: z.number().min(0).max(1).optional(),
        dropWriteRate: z.number().min(0).max(1).optional(),
        htmlRate: z.number().min(0).max(1).optional(),
        truncateRate: z.number().min(0).max(1).optional(),
        seed: z.number().optional(),
      })
      .strict()
      .default({}),
    /** Requests per second: `defaultRate` for every Service, `services` by `namespace/name`. */
    traffic: z
      .object({
        defaultRate: z.number().min(0).optional(),
        services: z
          .record(z.string().regex(/^[^/]+\/[^/]+$/, 'a Service as namespace/name'), z.number().min(0))
          .optional(),
      })
      .strict()
      .optional(),
    /** The alerts the README's alerting rules fire on its metrics (checked against a real Prometheus). */
    alerts: z.array(z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, 'an alert name')).default([]),
    manifests: z.array(objectSchema).default([]),
    timeline: z.array(changeSchema).default([]),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema> & { file?: string };
export type ScenarioChange = Scenario['timeline'][number];

import { z } from 'zod';
import { BUILT_IN_PROFILES, type SignalProfile, templateProblem } from './signal-profiles.js';
import { DEFAULT_THRESHOLDS, type SignalThresholds } from './signal-thresholds.js';

const duration = z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'a duration such as 30s, 5m or 1h');
const template = z.string().superRefine((text, ctx) => {
  const problem = templateProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const customProfile = z.strictObject({
  name: z.string().min(1),
  metric: z.string().min(1),
  labels: z.strictObject({
    namespace: z.string().min(1),
    service: z.string().optional(),
    pod: z.string().optional(),
    workload: z.string().optional(),
  }),
  latencyUnit: z.enum(['s', 'ms']).default('s'),
  queries: z.strictObject({ requests: template, errors: template, latency: template }),
});

/** `prometheus:` in the config file. The token is read from the named variable, never stored. */
export const prometheusConfigSchema = z.strictObject({
  url: z.url().optional(),
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
    .optional(),
  timeout: duration.optional(),
});

/** A server inc talks to over HTTP: its URL, the variable holding its token, the timeout per request. */
export const serverConfigShape = prometheusConfigSchema.shape;

/** `signals:` in the config file. */
export const signalsConfigSchema = z.strictObject({
  window: duration.optional(),
  sample: duration.optional(),
  /** Minimum data after a mitigation before verification judges it. */
  settle: duration.optional(),
  profiles: z
    .array(z.union([z.enum(BUILT_IN_PROFILES.map((p) => p.name) as [string, ...string[]]), customProfile]))
    .min(1)
    .optional(),
  thresholds: z
    .strictObject({
      errorRatio: z.number().min(0).max(1).optional(),
      errorRatioWarning: z.number().min(0).max(1).optional(),
      errorRatioFactor: z.number().positive().optional(),
      latencyFactor: z.number().positive().optional(),
      latencyFloorMs: z.number().nonnegative().optional(),
      trafficDrop: z.number().min(0).max(1).optional(),
      minRequestRate: z.number().nonnegative().optional(),
      minFailedRequests: z.number().nonnegative().optional(),
    })
    .optional(),
});

export interface PrometheusConfig {
  url?: string;
  tokenEnv?: string;
  timeout?: string;
}

export interface SignalsConfig {
  window?: string;
  sample?: string;
  settle?: string;
  profiles: SignalProfile[];
  thresholds: SignalThresholds;
}

/** The signals settings with defaults filled in: every built-in profile, the default thresholds. */
export function resolveSignalsConfig(raw: z.infer<typeof signalsConfigSchema> | undefined): SignalsConfig {
  const profiles = (raw?.profiles ?? BUILT_IN_PROFILES.map((p) => p.name)).map((entry) =>
    typeof entry === 'string' ? (BUILT_IN_PROFILES.find((p) => p.name === entry) as SignalProfile) : entry,
  );
  const thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(raw?.thresholds ?? {}))
    if (value !== undefined) thresholds[key as keyof SignalThresholds] = value;
  return { window: raw?.window, sample: raw?.sample, settle: raw?.settle, profiles, thresholds };
}

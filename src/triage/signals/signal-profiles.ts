import type { SeriesTarget, SignalQuery } from './signal-types.js';

/**
 * A signal profile: PromQL templates for the three signals, and which labels of their results name
 * the namespace and the Service (or pod, or workload). Each template is one query for every
 * workload at once (`sum by ({{by}})`), never one per workload. Placeholders:
 * `{{window}}` the range ("5m"), `{{offset}}` empty or " offset 3600s" (the baseline),
 * `{{by}}` the target labels, `{{match}}` a matcher on the namespace label.
 */
export interface SignalProfile {
  name: string;
  /** The request metric: when Prometheus has no series of it, the profile is not queried. */
  metric: string;
  /** The label of each part of the target; `namespace` is required, then Service, pod or workload. */
  labels: { [K in keyof SeriesTarget]: string };
  /** The unit the latency query answers in. */
  latencyUnit: 's' | 'ms';
  queries: Record<SignalQuery, string>;
}

/**
 * A profile of the usual shape: a request counter with a status label, a latency histogram.
 * `scope` is a matcher every query carries (Istio counts each request twice, once per side).
 */
function standardProfile(options: {
  name: string;
  requests: string;
  errors: string;
  buckets: string;
  scope?: string;
  labels: SignalProfile['labels'];
  latencyUnit: SignalProfile['latencyUnit'];
}): SignalProfile {
  const rate = (metric: string, matchers?: string) => {
    const fixed = [options.scope, matchers].filter(Boolean).join(', ');
    return `rate(${metric}{${fixed ? `${fixed}, ` : ' '}{{match}} }[{{window}}]{{offset}})`;
  };
  return {
    name: options.name,
    metric: options.requests,
    labels: options.labels,
    latencyUnit: options.latencyUnit,
    queries: {
      requests: `sum by ({{by}}) (${rate(options.requests)})`,
      errors: `sum by ({{by}}) (${rate(options.requests, options.errors)})`,
      latency: `histogram_quantile(0.99, sum by ({{by}}, le) (${rate(options.buckets)}))`,
    },
  };
}

/** The built-in profiles, in the order they are tried. */
export const BUILT_IN_PROFILES: readonly SignalProfile[] = [
  // Client libraries (prom-client, client_golang, …) with the usual HTTP metric names.
  standardProfile({
    name: 'client-library',
    requests: 'http_requests_total',
    errors: 'code=~"5.."',
    buckets: 'http_request_duration_seconds_bucket',
    labels: { namespace: 'namespace', service: 'service' },
    latencyUnit: 's',
  }),
  // ingress-nginx: the backend's namespace is `exported_namespace` once Prometheus relabels the target's.
  standardProfile({
    name: 'ingress-nginx',
    requests: 'nginx_ingress_controller_requests',
    errors: 'status=~"5.."',
    buckets: 'nginx_ingress_controller_request_duration_seconds_bucket',
    labels: { namespace: 'exported_namespace', service: 'service' },
    latencyUnit: 's',
  }),
  // Istio: what the destination's sidecar reports, per destination workload.
  standardProfile({
    name: 'istio',
    requests: 'istio_requests_total',
    errors: 'response_code=~"5.."',
    buckets: 'istio_request_duration_milliseconds_bucket',
    scope: 'reporter="destination"',
    labels: { namespace: 'destination_workload_namespace', workload: 'destination_workload' },
    latencyUnit: 'ms',
  }),
];

export interface RenderOptions {
  /** The range of each rate, seconds. */
  windowSeconds: number;
  /** How far back the range ends, seconds (0: now). */
  offsetSeconds?: number;
  /** Only this namespace; undefined: all. */
  namespace?: string;
  /** Only these targets (their labels' values, each label matched by a regex of them). */
  targets?: readonly SeriesTarget[];
}

/** The labels a profile's queries group by: namespace first, then service, pod, workload. */
export function groupLabels(profile: SignalProfile): string[] {
  const { namespace, service, pod, workload } = profile.labels;
  return [namespace, service, pod, workload].filter((label): label is string => label !== undefined);
}

/** Fills a template in: a PromQL expression ready to send. */
export function renderQuery(template: string, profile: SignalProfile, options: RenderOptions): string {
  const offset = options.offsetSeconds ? ` offset ${Math.round(options.offsetSeconds)}s` : '';
  const match = options.targets
    ? targetMatchers(profile, options.targets)
    : options.namespace === undefined
      ? `${profile.labels.namespace}!=""`
      : `${profile.labels.namespace}="${escapeLabelValue(options.namespace)}"`;
  const values: Record<string, string> = {
    window: `${Math.max(1, Math.round(options.windowSeconds))}s`,
    offset,
    by: groupLabels(profile).join(', '),
    match,
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The placeholders every template must use, so the baseline and the window can be chosen. */
export const REQUIRED_PLACEHOLDERS = ['{{window}}', '{{offset}}', '{{by}}'] as const;

/** What is wrong with a template, or undefined. */
export function templateProblem(template: string): string | undefined {
  const missing = REQUIRED_PLACEHOLDERS.filter((placeholder) => !template.includes(placeholder));
  const unknown = [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)]
    .map((m) => m[1])
    .filter((name) => !['window', 'offset', 'by', 'match'].includes(name ?? ''));
  if (missing.length) return `missing ${missing.join(', ')}`;
  if (unknown.length) return `unknown placeholder {{${unknown[0]}}} (known: window, offset, by, match)`;
  return undefined;
}

/** The target a result series names, through the profile's labels; undefined without a namespace. */
export function targetOf(profile: SignalProfile, labels: Record<string, string>): SeriesTarget | undefined {
  const namespace = labels[profile.labels.namespace];
  if (!namespace) return undefined;
  const pick = (label: string | undefined) => (label ? labels[label] || undefined : undefined);
  return {
    namespace,
    service: pick(profile.labels.service),
    pod: pick(profile.labels.pod),
    workload: pick(profile.labels.workload),
  };
}

/** `namespace=~"a|b", service=~"x|y"`: every target matches (and a few of their combinations, left out later). */
function targetMatchers(profile: SignalProfile, targets: readonly SeriesTarget[]): string {
  const parts = (Object.keys(profile.labels) as (keyof SeriesTarget)[]).flatMap((part) => {
    const label = profile.labels[part];
    const values = [...new Set(targets.map((t) => t[part]).filter((v): v is string => Boolean(v)))];
    if (!label || values.length === 0) return [];
    return [`${label}=~"${escapeLabelValue(values.map(escapeRegex).join('|'))}"`];
  });
  return parts.join(', ');
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The vocabulary of triage: checks, findings, suspects and the report (schemaVersion 1). */

/** Every check, in the order they are shown; `--check` accepts these names. */
export const CHECK_NAMES = [
  'pods',
  'events',
  'top',
  'rollouts',
  'nodes',
  'services',
  'logs',
  'network',
  'signals',
  'alerts',
  'health',
  'changes',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Suggestion {
  playbook: string;
  params: Record<string, string>;
  command: string;
}

export interface Finding {
  /** Stable: `<check>/<reason>/<namespace>/<kind>/<name>`. */
  id: string;
  severity: Severity;
  check: CheckName;
  reason: string;
  title: string;
  workload?: ObjectRef;
  objects: ObjectRef[];
  count: number;
  /** When the problem started (ISO), as far as the cluster tells. */
  since?: string;
  evidence: string[];
  suggestion?: Suggestion;
  /** The runbook an alert links to (its `runbook_url` annotation), shown beside the suggestion. */
  runbook?: string;
}

export interface Suspect {
  workload: ObjectRef;
  change: string;
  at: string;
  why: string;
}

export type CheckStatus = 'ok' | 'error' | 'skipped';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  durationMs: number;
  error?: string;
}

export interface HealthProbe {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
  body?: string;
  timings: { dnsMs?: number; connectMs?: number; tlsMs?: number; firstByteMs?: number; totalMs: number };
}

export interface Commit {
  sha: string;
  author: string;
  at: string;
  subject: string;
}

/** What every triage report opens with, a single context's or a fleet's (`-o json` keeps one contract). */
export interface ReportHead {
  schemaVersion: 1;
  /** The context read; a fleet's: the contexts read, comma-separated, worst first. */
  context: string;
  namespaces: string;
  startedAt: string;
  durationMs: number;
  /**
   * False when a check failed (in a fleet, or a context could not be read whole): the findings do not
   * cover everything that was asked for.
   */
  complete: boolean;
  summary: { critical: number; warning: number; info: number };
  headline: string;
}

export interface TriageReport extends ReportHead {
  findings: Finding[];
  suspects: Suspect[];
  checks: CheckResult[];
  probes?: HealthProbe[];
  commits?: Commit[];
  /** The golden signals per workload, when the signals check ran. */
  signals?: SignalsReport;
  /** Where the alerts check read the alerts, when it ran. */
  alertSource?: { kind: 'url' | 'discovered'; name: string };
}

export interface SignalsFigure {
  now?: number;
  baseline?: number;
  /** The last 30 minutes (Prometheus only). */
  points: { at: string; value: number }[];
}

export interface SignalsReport {
  source: { kind: 'prometheus' | 'discovered' | 'scrape'; name: string; profiles: string[] };
  /** "Now" (ISO) and the window measured before it. */
  at: string;
  windowSeconds: number;
  workloads: {
    workload: ObjectRef;
    via: string;
    /** Requests per second. */
    requestRate: SignalsFigure;
    /** 5xx / all, 0..1. */
    errorRatio: SignalsFigure;
    /** Seconds. */
    p99Seconds: SignalsFigure;
  }[];
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

import type { AlertData } from '../../incident/event.js';
import type { ObjectRef, Severity } from '../types.js';

/** A firing alert as inc uses it (from Alertmanager's `gettableAlert`); an incident records its fields. */
export interface Alert extends Omit<AlertData, 'source'> {
  /** `active`: firing and notifying; `suppressed`: silenced or inhibited. */
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
}

/** Where an alert was read: a URL given, or a Service found in the cluster. */
export interface AlertSource {
  kind: 'url' | 'discovered';
  name: string;
}

/** What came of asking Alertmanager: alerts, nothing to ask, or a failure. */
export type AlertsOutcome =
  | { kind: 'data'; alerts: Alert[]; source: AlertSource }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; error: string };

/** The labels that name what an alert is about, most specific workload first. */
const TARGET_LABELS: readonly [label: string, kind: string][] = [
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['job_name', 'Job'],
  ['pod', 'Pod'],
  ['service', 'Service'],
  ['container', 'Container'],
];

/**
 * What an alert points at, from its labels alone: `namespace` with `deployment`, `statefulset`,
 * `daemonset`, `job_name`, `pod`, `service` or `container` (in that order of preference). An
 * alert without a namespace, or without one of those, points at nothing.
 */
export function alertTarget(labels: Readonly<Record<string, string>>): ObjectRef | undefined {
  const namespace = labels.namespace;
  if (!namespace) return undefined;
  for (const [label, kind] of TARGET_LABELS) {
    const name = labels[label];
    if (name) return { kind, namespace, name };
  }
  return undefined;
}

/** "deployment payments/api", "container payments/api", or "-" for an alert linked to nothing. */
export function describeTarget(ref: ObjectRef | undefined): string {
  if (!ref) return '-';
  return `${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The alert's `severity` label as a triage severity: critical and page are critical, warning a warning. */
export function findingSeverity(labels: Readonly<Record<string, string>>): Severity {
  const label = (labels.severity ?? '').toLowerCase();
  if (['critical', 'page', 'error', 'high', 'emergency'].includes(label)) return 'critical';
  if (['warning', 'warn', 'medium'].includes(label)) return 'warning';
  return 'info';
}

/** The default mapping of an alert's `severity` label to an incident severity (config: alertmanager.severities). */
export const DEFAULT_ALERT_SEVERITIES: Readonly<Record<string, string>> = {
  page: 'SEV1',
  critical: 'SEV2',
  warning: 'SEV3',
};

/**
 * The incident severity for an alert: its `severity` label through the mapping (case-insensitive
 * keys), else `fallback`. Returns the label too, so callers can say where the severity came from.
 */
export function incidentSeverityFor(
  labels: Readonly<Record<string, string>>,
  mapping: Readonly<Record<string, string>>,
  fallback: string,
): { severity: string; label?: string; mapped: boolean } {
  const label = labels.severity;
  if (!label) return { severity: fallback, mapped: false };
  const entry = Object.entries(mapping).find(([key]) => key.toLowerCase() === label.toLowerCase());
  return entry ? { severity: entry[1], label, mapped: true } : { severity: fallback, label, mapped: false };
}

/** Firing alerts first, silenced and inhibited ones only when asked. */
export function isFiring(alert: Alert): boolean {
  return alert.state !== 'suppressed' && alert.silencedBy.length === 0 && alert.inhibitedBy.length === 0;
}

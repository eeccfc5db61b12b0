import { type Alert, alertTarget, describeTarget } from './alert.js';

/** Which alert an argument names: one, none, or several (the candidates to choose from). */
export type AlertPick = { kind: 'one'; alert: Alert } | { kind: 'none' } | { kind: 'ambiguous'; candidates: Alert[] };

/**
 * Finds the alert `wanted` names among `alerts`: its fingerprint (or a prefix of at least 6
 * characters), else its alert name (exactly, then ignoring case). A name several alerts share
 * (one per pod, say) is ambiguous.
 */
export function pickAlert(alerts: readonly Alert[], wanted: string): AlertPick {
  const text = wanted.trim();
  const byFingerprint = alerts.filter(
    (a) => a.fingerprint === text || (text.length >= 6 && a.fingerprint.startsWith(text.toLowerCase())),
  );
  const exact = alerts.filter((a) => a.name === text);
  const loose = exact.length > 0 ? exact : alerts.filter((a) => a.name.toLowerCase() === text.toLowerCase());
  const matches = byFingerprint.length > 0 ? byFingerprint : loose;
  if (matches.length === 0) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'one', alert: matches[0] as Alert };
  return { kind: 'ambiguous', candidates: matches };
}

/** One line per alert, to choose from or to list as candidates: fingerprint, name, target, summary. */
export function describeAlert(alert: Alert): string {
  const summary = alert.annotations.summary ? `: ${alert.annotations.summary}` : '';
  const severity = alert.labels.severity ? ` [${alert.labels.severity}]` : '';
  return `${alert.fingerprint}  ${alert.name}${severity} on ${describeTarget(alertTarget(alert.labels))}${summary}`;
}

/** The title of an incident declared from an alert: its summary, else its name and target. */
export function incidentTitleFor(alert: Pick<Alert, 'name' | 'labels' | 'annotations'>): string {
  const summary = alert.annotations.summary?.trim();
  if (summary) return `${alert.name}: ${summary}`;
  const target = alertTarget(alert.labels);
  return target ? `${alert.name} on ${describeTarget(target)}` : alert.name;
}

/** The service an alert is about, for the incident's services: the workload or service its labels name. */
export function serviceOf(alert: Pick<Alert, 'labels'>): string | undefined {
  const target = alertTarget(alert.labels);
  if (!target || target.kind === 'Pod') return alert.labels.service ?? undefined;
  return target.name;
}

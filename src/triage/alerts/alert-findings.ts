import { type CheckContext, type DraftFinding, draft, worse } from '../checks/check.js';
import { describeRef, refKey } from '../owners.js';
import type { ObjectRef, Severity } from '../types.js';
import { type Alert, describeTarget, findingSeverity } from './alert.js';
import { linkWorkload } from './link-workload.js';

const MAX_LABEL_LINES = 3;

/**
 * One finding per alert name and namespace: severity from the `severity` label, dated by the
 * earliest `startsAt` (so a rollout just before it is a suspect), linked to the workload the labels
 * point at, with the summary, description and runbook in the evidence.
 */
export function alertFindings(
  alerts: readonly Alert[],
  context: Pick<CheckContext, 'snapshot' | 'owners'>,
): DraftFinding[] {
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const key = `${alert.name}\u0000${alert.labels.namespace ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), alert]);
  }
  return [...groups.values()].map((group) => groupFinding(group, context));
}

function groupFinding(group: readonly Alert[], context: Pick<CheckContext, 'snapshot' | 'owners'>): DraftFinding {
  const first = group[0] as Alert;
  const namespace = first.labels.namespace;
  const linked = new Map<string, ObjectRef>();
  for (const alert of group) {
    const ref = linkWorkload(alert.labels, context);
    if (ref) linked.set(refKey(ref), ref);
  }
  const workloads = [...linked.values()];
  const workload = workloads.length === 1 ? workloads[0] : undefined;
  const own = group.map((a) => findingSeverity(a.labels)).reduce<Severity>(worse, 'info');
  // Alertmanager answers for the whole cluster: an alert of another namespace than the one read is
  // shown, but it is not this namespace's problem and does not count in its headline or --fail-on.
  const read = context.snapshot.namespace;
  const elsewhere = read !== undefined && namespace !== undefined && namespace !== read;
  const severity = elsewhere ? 'info' : own;
  const startMs = Math.min(...group.map((a) => Date.parse(a.startsAt)).filter(Number.isFinite));
  const summary = annotation(group, 'summary');
  const where = workload
    ? describeRef(workload)
    : workloads.length > 1
      ? `${workloads.length} workloads in ${namespace}`
      : namespace
        ? `namespace ${namespace} (no workload in its labels)`
        : 'no namespace or workload in its labels';
  const count = group.length > 1 ? ` (${group.length} alerts)` : '';
  const runbook = annotation(group, 'runbook_url');
  const finding = draft({
    check: 'alerts',
    reason: first.name,
    severity,
    title: `alert ${first.name} firing on ${where}${elsewhere ? `, outside namespace ${read}` : ''}${count}${summary ? `: ${summary}` : ''}`,
    ...(workload ? { workload } : {}),
    objects: workloads.length > 0 ? workloads : [{ kind: 'Alert', namespace, name: first.name }],
    count: group.length,
    ...(Number.isFinite(startMs) ? { since: new Date(startMs).toISOString(), firstFailureMs: startMs } : {}),
    evidence: [
      elsewhere
        ? `a ${own} alert of namespace ${namespace}, not counted here: inc triage -n ${namespace} reads that namespace`
        : '',
      summary ? `summary: ${summary}` : '',
      description(group),
      runbook ? `runbook: ${runbook}` : '',
      ...group
        .slice(0, MAX_LABEL_LINES)
        .map((a) => `${describeTarget(linkWorkload(a.labels, context))}: ${labelText(a)}`),
    ].filter(Boolean),
    ...(runbook ? { runbook } : {}),
  });
  return finding;
}

function annotation(group: readonly Alert[], name: string): string | undefined {
  return group.map((a) => a.annotations[name]).find((value) => value !== undefined && value !== '');
}

function description(group: readonly Alert[]): string {
  const text = annotation(group, 'description');
  return text ? `description: ${text}` : '';
}

/** The labels that tell alerts of a group apart (not the name or namespace they share). */
function labelText(alert: Alert): string {
  return Object.entries(alert.labels)
    .filter(([key]) => key !== 'alertname' && key !== 'namespace')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/**
 * Says beside each other finding on a workload which alerts fire for it, so the page and what
 * triage found about it read together.
 */
export function noteAlertsBeside(findings: readonly DraftFinding[]): void {
  const alerts = findings.filter((f) => f.check === 'alerts' && f.workload);
  for (const finding of findings) {
    if (finding.check === 'alerts' || !finding.workload) continue;
    const key = refKey(finding.workload);
    for (const alert of alerts) {
      if (!alert.workload || refKey(alert.workload) !== key) continue;
      const line = `alert ${alert.reason} firing${alert.since ? ` since ${alert.since.slice(11, 16)} UTC` : ''}`;
      if (!finding.evidence.includes(line)) finding.evidence.unshift(line);
    }
  }
}

import type { Finding, ReportHead, Suspect, TriageReport } from '../types.js';

/** How one context of a fleet triage went. */
export type FleetMember =
  | { context: string; status: 'ok'; report: TriageReport; durationMs: number }
  | { context: string; status: 'unreachable' | 'failed'; error: string; durationMs: number; report?: TriageReport };

export interface FleetContextSummary {
  context: string;
  status: 'ok' | 'unreachable' | 'failed';
  critical: number;
  warning: number;
  info: number;
  headline: string;
  /** The first suspect, in a few words: "Deployment payments/api: rollout to revision 4 …". */
  topSuspect?: string;
  error?: string;
  /** For a context not read: what to try next, naming it. */
  hint?: string;
  /** False when a check failed in this context. */
  complete: boolean;
  durationMs: number;
}

/** `inc triage --all-contexts -o json`: the single report's shape, each finding and suspect naming its context. */
export interface FleetReport extends ReportHead {
  fleet: FleetContextSummary[];
  findings: (Finding & { context: string })[];
  suspects: (Suspect & { context: string })[];
  checks: (TriageReport['checks'][number] & { context: string })[];
  /** Every reachable context's own report, worst context first. */
  reports: TriageReport[];
}

/**
 * Merges the contexts' reports into one: a table of the fleet (worst first: most critical, then
 * contexts that could not be read, then most warnings), then every finding and suspect with its
 * context. Pure: the runs are done before.
 */
export function buildFleetReport(
  members: readonly FleetMember[],
  timing: { startedAt: string; durationMs: number; namespaces: string },
): FleetReport {
  const fleet = members.map(summarize).sort(worstFirst);
  const order = new Map(fleet.map((entry, index) => [entry.context, index]));
  const reports = members
    .flatMap((member) => (member.report ? [member.report] : []))
    .sort((a, b) => (order.get(a.context) ?? 0) - (order.get(b.context) ?? 0));
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const entry of fleet) {
    summary.critical += entry.critical;
    summary.warning += entry.warning;
    summary.info += entry.info;
  }
  return {
    schemaVersion: 1,
    context: fleet.map((entry) => entry.context).join(', '),
    fleet,
    namespaces: timing.namespaces,
    startedAt: timing.startedAt,
    durationMs: timing.durationMs,
    complete: fleet.every((entry) => entry.complete),
    summary,
    headline: fleetHeadline(fleet, summary),
    findings: reports.flatMap((report) => report.findings.map((finding) => ({ ...finding, context: report.context }))),
    suspects: reports.flatMap((report) => report.suspects.map((suspect) => ({ ...suspect, context: report.context }))),
    checks: reports.flatMap((report) => report.checks.map((check) => ({ ...check, context: report.context }))),
    reports,
  };
}

function summarize(member: FleetMember): FleetContextSummary {
  const report = member.report;
  const suspect = report?.suspects[0];
  const ref = suspect?.workload;
  return {
    context: member.context,
    status: member.status,
    critical: report?.summary.critical ?? 0,
    warning: report?.summary.warning ?? 0,
    info: report?.summary.info ?? 0,
    headline: member.status === 'ok' ? member.report.headline : describeNotRead(member.status, member.error),
    ...(ref
      ? { topSuspect: `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}: ${suspect.change}` }
      : {}),
    ...(member.status === 'ok' ? {} : { error: member.error, hint: hintFor(member.context, member.status) }),
    complete: member.status === 'ok' && member.report.complete,
    durationMs: member.durationMs,
  };
}

function rank(entry: FleetContextSummary): number {
  if (entry.critical > 0) return 0;
  if (entry.status !== 'ok') return 1;
  if (entry.warning > 0) return 2;
  return 3;
}

function worstFirst(a: FleetContextSummary, b: FleetContextSummary): number {
  return rank(a) - rank(b) || b.critical - a.critical || b.warning - a.warning || a.context.localeCompare(b.context);
}

/** "unreachable: connection refused"; an error that already says it ("cluster unreachable: …") is not said twice. */
export function describeNotRead(status: 'unreachable' | 'failed', error: string): string {
  return error.toLowerCase().includes(status) ? error : `${status}: ${error}`;
}

/** What to try for a context that was not read, with its name, so the line can be copied. */
function hintFor(context: string, status: 'unreachable' | 'failed'): string {
  return status === 'unreachable'
    ? `check the path to its API server: kubectl --context ${context} get --raw /version`
    : `inc triage --context ${context} names each check that failed and the permission it needed`;
}

/**
 * The fleet in a line. A fleet with a context or check not read is never an all-clear: the line
 * starts with "triage incomplete:", as one context's does, and "no problems found" names the
 * contexts that were read.
 */
function fleetHeadline(fleet: readonly FleetContextSummary[], summary: FleetReport['summary']): string {
  const failed = fleet.filter((entry) => entry.status !== 'ok');
  const read = fleet.filter((entry) => entry.status === 'ok');
  const affected = fleet.filter((entry) => entry.critical + entry.warning > 0);
  const names = (entries: readonly FleetContextSummary[]) => entries.map((e) => e.context).join(', ');
  let found = 'no problems found';
  if (affected.length) found = `${summary.critical} critical, ${summary.warning} warning in ${names(affected)}`;
  else if (read.length === 0) found = 'none read';
  else if (failed.length) found = `no problems found in ${names(read)}`;
  const parts = [`${fleet.length} context${fleet.length === 1 ? '' : 's'}`, found];
  // Not reached (no answer) and not read (it answered, but no check could run) call for different fixes.
  const unreached = failed.filter((entry) => entry.status === 'unreachable');
  const unread = failed.filter((entry) => entry.status === 'failed');
  if (unreached.length) parts.push(`${unreached.length} not reached (${names(unreached)})`);
  if (unread.length) parts.push(`${unread.length} not read (${names(unread)})`);
  const headline = parts.join(' · ');
  return fleet.every((entry) => entry.complete) ? headline : `triage incomplete: ${headline}`;
}

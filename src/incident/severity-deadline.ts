/** The severity an incident was declared with, and each change of it, in order. */
export interface SeverityTimeline {
  initial: string;
  changes: readonly { at: string; to: string }[];
}

/** An incident's severity now and its changes, as the projection keeps them. */
interface SeverityRecord {
  severity: string;
  severityHistory: readonly { at: string; from?: string; to: string }[];
}

export function severityTimeline(state: SeverityRecord): SeverityTimeline {
  return {
    initial: state.severityHistory[0]?.from ?? state.severity,
    changes: state.severityHistory.map((change) => ({ at: change.at, to: change.to })),
  };
}

/** Every severity the incident held, the one it was declared with first. */
export function severitiesHeld(state: SeverityRecord): string[] {
  const { initial, changes } = severityTimeline(state);
  return [initial, ...changes.map((change) => change.to)];
}

/**
 * A deadline set by the severity in force, moved by the changes that came before it was met or had
 * passed: a raise brings it forward to the new severity's time counted from the raise (never a
 * deadline already past when the raise came), a lowering pushes it back to the new severity's time
 * counted from `start`; a target the old severity did not have counts from the change. So a target
 * met or missed under one severity stays so after a later change. `initialDue` overrides the first
 * deadline (an update's promised time). Undefined without minutes.
 */
export function deadlineAcross(
  start: string,
  minutesOf: (severity: string) => number | null | undefined,
  severities: SeverityTimeline,
  metAt?: string,
  initialDue?: string,
  after: (severity: string, fromMs: number, minutes: number) => number = (_, fromMs, minutes) =>
    fromMs + minutes * 60_000,
): string | undefined {
  const first = minutesOf(severities.initial);
  let due = initialDue
    ? Date.parse(initialDue)
    : first
      ? after(severities.initial, Date.parse(start), first)
      : undefined;
  let minutes = first ?? undefined;
  const settledAt = metAt ? Date.parse(metAt) : Number.POSITIVE_INFINITY;
  for (const change of severities.changes) {
    const at = Date.parse(change.at);
    if (at < Date.parse(start) || at >= settledAt || (due !== undefined && at >= due)) continue;
    const next = minutesOf(change.to) ?? undefined;
    if (!next) due = undefined;
    // A target the old severity did not have counts from the change.
    else if (due === undefined) due = after(change.to, at, next);
    else if (minutes !== undefined && next > minutes) due = Math.max(due, after(change.to, Date.parse(start), next));
    else due = Math.min(due, after(change.to, at, next));
    minutes = next;
  }
  return due === undefined ? undefined : new Date(due).toISOString();
}

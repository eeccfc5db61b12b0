import { formatLocalTime } from './describe.js';
import { TimeOrderError } from './errors.js';
import { type IncidentLog, type RecordOutcome, recordToLog, stateOf, type WriteContext } from './log.js';
import type { IncidentTimes } from './metrics.js';
import type { IncidentState } from './state.js';

export interface TimedOptions {
  /** When it really happened (from `--at`); default now. */
  at?: Date;
  reason?: string;
}

/** Records that a responder acknowledged the incident (`inc ack`). */
export async function acknowledgeIncident(
  log: IncidentLog,
  ctx: WriteContext,
  options: TimedOptions = {},
): Promise<RecordOutcome<'status'>> {
  const state = stateOf(log, ctx);
  if (state.times.acknowledgedAt) {
    return { kind: 'unchanged', reason: `already acknowledged at ${when(state.times.acknowledgedAt)}`, state };
  }
  const at = options.at ?? ctx.clock.now();
  assertNotBefore(state, at, 'acknowledged', ['impactStartedAt', 'declaredAt']);
  return recordToLog(log, ctx, 'status', {
    state: 'acknowledged',
    ...(options.at ? { at: at.toISOString() } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  });
}

/** Records that the impact is mitigated (`inc mitigated`); a verified playbook action also implies it. */
export async function markMitigated(
  log: IncidentLog,
  ctx: WriteContext,
  options: TimedOptions = {},
): Promise<RecordOutcome<'status'>> {
  const state = stateOf(log, ctx);
  const at = options.at ?? ctx.clock.now();
  if (state.times.mitigatedAt && Date.parse(state.times.mitigatedAt) <= at.getTime()) {
    return { kind: 'unchanged', reason: `already mitigated at ${when(state.times.mitigatedAt)}`, state };
  }
  assertNotBefore(state, at, 'mitigated', ['impactStartedAt']);
  assertNotAfterResolved(state, at, 'mitigated');
  return recordToLog(log, ctx, 'status', {
    state: 'mitigated',
    ...(options.at ? { at: at.toISOString() } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  });
}

export interface ResolveOptions {
  at?: Date;
  summary?: string;
  /** Paged, and nothing needed doing. */
  falsePositive?: boolean;
}

/** Resolves the incident (`inc resolve`): the impact is over. */
export async function resolveIncident(
  log: IncidentLog,
  ctx: WriteContext,
  options: ResolveOptions = {},
): Promise<RecordOutcome<'resolved'>> {
  const state = stateOf(log, ctx);
  if (!state.open)
    return { kind: 'unchanged', reason: `already resolved at ${when(state.times.resolvedAt ?? '')}`, state };
  const at = options.at ?? ctx.clock.now();
  assertNotBefore(state, at, 'resolved', ['impactStartedAt', 'declaredAt', 'acknowledgedAt', 'mitigatedAt']);
  return recordToLog(log, ctx, 'resolved', {
    ...(options.summary ? { summary: options.summary } : {}),
    ...(options.at ? { at: at.toISOString() } : {}),
    ...(options.falsePositive ? { falsePositive: true } : {}),
  });
}

/** Refuses a time earlier than any of the given milestones (times out of order make metrics lie). */
export function assertNotBefore(
  state: Pick<IncidentState, 'times'>,
  at: Date,
  what: string,
  milestones: readonly (keyof IncidentTimes)[],
): void {
  for (const key of milestones) {
    const milestone = state.times[key];
    if (milestone && at.getTime() < Date.parse(milestone)) {
      throw new TimeOrderError(
        `${what} at ${when(at.toISOString())} would be before ${MILESTONE_PHRASES[key]} (${when(milestone)}); nothing was recorded`,
        `give a time after ${when(milestone)} with --at, or leave --at out to use now`,
      );
    }
  }
}

function assertNotAfterResolved(state: IncidentState, at: Date, what: string): void {
  const resolvedAt = state.times.resolvedAt;
  if (resolvedAt && at.getTime() > Date.parse(resolvedAt)) {
    throw new TimeOrderError(
      `${what} at ${when(at.toISOString())} would be after the incident was resolved (${when(resolvedAt)}); nothing was recorded`,
      `give a time before ${when(resolvedAt)} with --at`,
    );
  }
}

const MILESTONE_PHRASES: Record<keyof IncidentTimes, string> = {
  impactStartedAt: 'the impact started',
  alertedAt: 'the first alert fired',
  declaredAt: 'the incident was declared',
  acknowledgedAt: 'it was acknowledged',
  investigatingAt: 'the investigation started',
  identifiedAt: 'the cause was identified',
  mitigatedAt: 'it was mitigated',
  monitoringAt: 'monitoring started',
  resolvedAt: 'it was resolved',
};

function when(iso: string): string {
  return formatLocalTime(iso, { date: true });
}

import { CLOCK_SKEW_MS } from './clock-skew.js';
import { formatLocalTime } from './describe.js';
import { TimeOrderError } from './errors.js';
import { type IncidentLog, type RecordOutcome, recordChange, type WriteContext } from './log.js';
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
  return recordChange(log, ctx, 'status', (state) => {
    if (state.times.acknowledgedAt) return { unchanged: `already acknowledged at ${when(state.times.acknowledgedAt)}` };
    const now = ctx.clock.now();
    // A page is often acknowledged before the incident is declared: with an alert linked, the
    // acknowledgement only has to come after it fired (without one, the declaration is the page).
    const after = state.times.alertedAt ? 'alertedAt' : 'declaredAt';
    const at = timeOf(state, options.at, now, 'acknowledged', ['impactStartedAt', after]);
    return { record: { state: 'acknowledged', ...timed({ ...options, at: at === now ? undefined : at }, at) } };
  });
}

/** Records that the impact is mitigated (`inc mitigated`); a verified playbook action also implies it. */
export async function markMitigated(
  log: IncidentLog,
  ctx: WriteContext,
  options: TimedOptions = {},
): Promise<RecordOutcome<'status'>> {
  return recordChange(log, ctx, 'status', (state) => {
    const now = ctx.clock.now();
    const at = timeOf(state, options.at, now, 'mitigated', ['impactStartedAt']);
    if (state.times.mitigatedAt && Date.parse(state.times.mitigatedAt) <= at.getTime())
      return { unchanged: `already mitigated at ${when(state.times.mitigatedAt)}` };
    assertNotAfterResolved(state, at, 'mitigated');
    return { record: { state: 'mitigated', ...timed({ ...options, at: at === now ? undefined : at }, at) } };
  });
}

/**
 * Dates the start of the impact after the declaration (`inc impact --started`), once triage or a
 * graph shows it began earlier. Never after the declaration or the first alert: the impact is what
 * they answer. Allowed after the resolution too, as the postmortem is written.
 */
export async function dateImpactStart(
  log: IncidentLog,
  ctx: WriteContext,
  options: { at: Date; reason?: string },
): Promise<RecordOutcome<'impact'>> {
  return recordChange(log, ctx, 'impact', (state) => {
    const at = options.at;
    if (state.impactStartGiven && Date.parse(state.times.impactStartedAt) === at.getTime())
      return { unchanged: `the impact is already dated from ${when(state.times.impactStartedAt)}` };
    // The earliest milestone it would follow is the one to name.
    const bounds = (['alertedAt', 'declaredAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const)
      .filter((key) => state.times[key] !== undefined)
      .sort((a, b) => Date.parse(state.times[a] as string) - Date.parse(state.times[b] as string));
    for (const key of bounds) {
      const bound = state.times[key] as string;
      if (at.getTime() > Date.parse(bound)) {
        throw new TimeOrderError(
          `the impact starting at ${when(at.toISOString())} would be after ${MILESTONE_PHRASES[key]} (${when(bound)}); nothing was recorded`,
          `give a time before ${when(bound)}: the impact starts when users are first affected`,
        );
      }
    }
    return { record: { startedAt: at.toISOString(), ...(options.reason ? { reason: options.reason } : {}) } };
  });
}

/** The time (when given with --at) and reason of a status change, as its event records them. */
function timed(options: TimedOptions, at: Date): { at?: string; reason?: string } {
  return { ...(options.at ? { at: at.toISOString() } : {}), ...(options.reason ? { reason: options.reason } : {}) };
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
  return recordChange(log, ctx, 'resolved', (state) => {
    if (!state.open) return { unchanged: `already resolved at ${when(state.times.resolvedAt ?? '')}` };
    const milestones = ['impactStartedAt', 'declaredAt', 'acknowledgedAt', 'mitigatedAt'] as const;
    const now = ctx.clock.now();
    const at = timeOf(state, options.at, now, 'resolved', milestones);
    return {
      record: {
        ...(options.summary ? { summary: options.summary } : {}),
        ...(at === now ? {} : { at: at.toISOString() }),
        ...(options.falsePositive ? { falsePositive: true } : {}),
      },
    };
  });
}

/**
 * When it happened: the time given with --at, checked against the milestones; else now, or when
 * this machine's clock is a few minutes behind the teammate who recorded a milestone (synced), that
 * milestone: "acknowledged at 18:58, before it was declared at 19:00" is a skewed clock, not an error.
 */
function timeOf(
  state: Pick<IncidentState, 'times'>,
  given: Date | undefined,
  now: Date,
  what: string,
  milestones: readonly (keyof IncidentTimes)[],
): Date {
  if (given) {
    assertNotBefore(state, given, what, milestones);
    return given;
  }
  const latest = Math.max(...milestones.map((key) => Date.parse(state.times[key] ?? '') || Number.NEGATIVE_INFINITY));
  if (latest > now.getTime() && latest - now.getTime() <= CLOCK_SKEW_MS) return new Date(latest);
  assertNotBefore(state, now, what, milestones);
  return now;
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

import { UsageError } from '../errors.js';
import type { SeverityRules } from '../severity-table.js';
import type { DeliveryData } from './event.js';
import { appendToLog, type IncidentLog, type RecordOutcome, recordToLog, type WriteContext } from './log.js';
import type { IncidentState } from './state.js';

export interface EscalationPlan {
  /** The severity whose list is engaged (`inc escalate P1`), canonical. */
  severity?: string;
  /** A raise of the incident's severity that goes with it. */
  raise?: { from: string; to: string };
  /** Whom to engage, in order, without repeats. */
  to: string[];
  reason?: string;
}

export interface EscalationInput {
  /** A canonical severity name (aliases resolved by the caller). */
  level?: string;
  /** Names or contact keys given with `--to`. */
  to: readonly string[];
  reason?: string;
}

/**
 * Works out an escalation: `--to` names whom to engage; a level engages that severity's escalation
 * list and raises the incident to it when it is more severe; with neither, the current severity's list.
 * `severities` is the table in order, most severe first.
 */
export function planEscalation(
  state: Pick<IncidentState, 'severity' | 'open'>,
  severities: readonly SeverityRules[],
  input: EscalationInput,
): EscalationPlan {
  if (!state.open) {
    throw new UsageError('the incident is resolved: there is nobody left to escalate to', {
      hint: 'declare a new incident with inc start, or escalate another with --incident ID',
    });
  }
  const rank = (name: string) => severities.findIndex((s) => s.name === name);
  const level = input.level ?? (input.to.length === 0 ? state.severity : undefined);
  const list = level ? [...(severities.find((s) => s.name === level)?.escalation ?? [])] : [];
  const to = [...new Set([...list, ...input.to.map((name) => name.trim()).filter(Boolean)])];
  if (to.length === 0) {
    throw new UsageError(`severity ${level ?? state.severity} has no escalation list, and no --to was given`, {
      hint: 'name whom to engage: inc escalate --to NAME (or add escalation: [...] to the severity in the config)',
    });
  }
  const current = rank(state.severity);
  const raise =
    input.level && rank(input.level) >= 0 && (current < 0 || rank(input.level) < current)
      ? { from: state.severity, to: input.level }
      : undefined;
  return {
    ...(level ? { severity: level } : {}),
    ...(raise ? { raise } : {}),
    to,
    ...(input.reason ? { reason: input.reason } : {}),
  };
}

/**
 * Records an escalation (and the severity raise that goes with it) in the log, with what became of
 * its page when a page webhook was set: `paged` when it was taken, `page` either way.
 */
export async function recordEscalation(
  log: IncidentLog,
  ctx: WriteContext,
  plan: EscalationPlan,
  page: DeliveryData | undefined,
): Promise<RecordOutcome<'escalation'>> {
  if (plan.raise) {
    await appendToLog(log, ctx, 'severity', {
      from: plan.raise.from,
      to: plan.raise.to,
      reason: plan.reason ?? 'escalated',
    });
  }
  return recordToLog(log, ctx, 'escalation', {
    ...(plan.severity ? { severity: plan.severity } : {}),
    to: plan.to,
    ...(plan.reason ? { reason: plan.reason } : {}),
    ...(page?.ok ? { paged: true } : {}),
    ...(page ? { page } : {}),
  });
}

/**
 * A raise puts the incident under a severity that engages more people (SEV1: the engineering
 * manager and the VP as well, by the runbooks): the keys of its escalation list nobody engaged yet.
 * None after a lowering, or when everyone on the list was engaged already.
 */
export function toEngageAfterRaise(
  change: { from?: string; to: string },
  state: Pick<IncidentState, 'escalations'>,
  severities: readonly SeverityRules[],
): string[] {
  const rank = (name: string | undefined) => severities.findIndex((s) => s.name === name);
  const raised = rank(change.to) >= 0 && (rank(change.from) < 0 || rank(change.to) < rank(change.from));
  if (!raised) return [];
  const engaged = new Set(state.escalations.flatMap((entry) => entry.to));
  return (severities[rank(change.to)]?.escalation ?? []).filter((key) => !engaged.has(key));
}

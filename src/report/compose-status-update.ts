import type { Clock } from '../clock.js';
import { DEFAULT_SEVERITIES } from '../config.js';
import { actionContextToName } from '../incident/action-context.js';
import { sentUpdates } from '../incident/delivery.js';
import { describeEvent } from '../incident/describe.js';
import type { ActionPhase } from '../incident/event.js';
import { postmortemRule } from '../incident/postmortem-advice.js';
import {
  type ActionRecord,
  appliedChanges,
  type DeclaredIncident,
  recordedMitigations,
  unappliedAttempts,
} from '../incident/state.js';
import { STATUSPAGE_STATUS, type StatuspageStatus, type UpdateStatus } from '../incident/update-status.js';
import { type SeverityCadence, updateCadenceMinutes } from './cadence.js';
import { collectInternalNames, filterCustomerText, namesInternal } from './customer-safe-text.js';
import { formatClockUtc, formatDateTimeUtc, formatElapsed } from './format-time.js';
import { describeMeasuredImpact } from './measured-impact.js';
import { describeNeeds, describeNextStep, describeSuspectedCause, describeTriage } from './next-step.js';

import type { UpdateFormat } from './update-choices.js';

export { UPDATE_FORMATS, type UpdateFormat } from './update-choices.js';

/** Which of the seeds' messages this is: the first post, a mid-incident update, or the resolution. */
export type UpdateVariant = 'initial' | 'update' | 'resolution';

export interface StatusUpdateInput {
  format: UpdateFormat;
  status?: UpdateStatus;
  message?: string;
  impact?: string;
  eta?: string;
  /** Carry the last N events of the log as a short timeline (internal formats only). */
  timeline?: number;
}

export interface StatusUpdateOptions {
  clock: Clock;
  severities?: readonly SeverityCadence[];
}

export interface UpdateActionLine {
  at: string;
  summary: string;
  result: string;
  line: string;
}

/** One status update: the data every format renders (collect, then render). */
export interface StatusUpdate {
  incidentId: string;
  title: string;
  severity: string;
  status: UpdateStatus;
  statusLabel: string;
  statusEmoji: string;
  /** The status as Statuspage knows it (mitigating → identified, mitigated → monitoring). */
  statuspageStatus: StatuspageStatus;
  statuspageLabel: string;
  variant: UpdateVariant;
  format: UpdateFormat;
  now: string;
  nowText: string;
  startedAt: string;
  startedAtText: string;
  /** When the incident was resolved, as "14:20 UTC"; null while it lasts. */
  endedAtText: string | null;
  /** When the impact ended: at the mitigation when one was recorded, else at the resolution. */
  impactEndedAtText: string | null;
  duration: string;
  commander: string | null;
  services: string[];
  impact: string | null;
  /** The impact as triage measured it: "deployment payments/api: 5xx ratio 18 % → 0.3 % (baseline 0.2 %)". */
  measured: string[];
  message: string | null;
  eta: string | null;
  headline: string | null;
  suspect: string | null;
  /** The last changes applied (never plans, dry runs, declined or failed attempts). */
  lastActions: UpdateActionLine[];
  /** Attempts since the last applied change that failed without changing anything. */
  failedAttempts: UpdateActionLine[];
  nextStep: string;
  needs: string;
  cadenceMinutes: number | null;
  nextUpdateAt: string | null;
  nextUpdateText: string | null;
  /** The resolution's promise of a postmortem, when the severity requires one. */
  postmortemPromise: string | null;
  /** The last events (`--timeline N`): "14:03 UTC  alice  severity SEV2 → SEV1". */
  timeline: string[];
  /** Customer-facing fields for Statuspage: no internal names. */
  customer: { title: string; impact: string | null; message: string | null; services: string[]; dropped: string[] };
}

const LABEL: Record<UpdateStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  mitigating: 'Mitigating',
  mitigated: 'Mitigated',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const EMOJI: Record<UpdateStatus, string> = {
  investigating: ':rotating_light:',
  identified: ':mag:',
  mitigating: ':hammer_and_wrench:',
  mitigated: ':large_green_circle:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
};

/** The promise a resolution makes when the severity requires a postmortem. */
function postmortemPromise(
  incident: DeclaredIncident,
  severities: readonly SeverityCadence[] | undefined,
): string | null {
  const days = postmortemRule(incident, severities ?? DEFAULT_SEVERITIES)?.withinBusinessDays;
  return days ? `A postmortem will follow within ${days} business day${days === 1 ? '' : 's'}.` : null;
}

/** The last `count` events as one line each, in UTC. */
function timelineLines(incident: DeclaredIncident, count: number | undefined): string[] {
  if (!count || count <= 0) return [];
  return incident.events
    .slice(-count)
    .map((event) => `${formatClockUtc(new Date(event.at))}  ${event.actor}  ${describeEvent(event)}`);
}

const RESULT: Record<ActionPhase, string> = {
  planned: 'planned, not applied',
  applied: 'applied, not yet verified',
  verified: 'verified',
  failed: 'failed',
  undone: 'undone',
  stopped: 'stopped',
};

const LAST_ACTIONS = 3;

function actionLine(action: ActionRecord, where: string | undefined): UpdateActionLine {
  // An applied change whose verification failed is still applied: it changed the cluster.
  const failedWord = action.phases.some((entry) => entry.phase === 'applied') ? 'applied; ' : 'failed: ';
  const word =
    action.latestPhase === 'failed' && action.error ? `${failedWord}${action.error}` : RESULT[action.latestPhase];
  const result = action.undoneBy ? `${word}, later undone` : action.undoes ? `undo, ${word}` : word;
  const at = formatClockUtc(new Date(action.lastAt));
  const summary = where ? `${where}: ${action.summary}` : action.summary;
  return { at, summary, result, line: `${summary} (${result}, ${at})` };
}

/** A mitigation recorded with `inc mitigated`: its reason says what was done, else only that it was. */
function mitigationLine(change: DeclaredIncident['statusHistory'][number]): UpdateActionLine {
  const at = formatClockUtc(new Date(change.effectiveAt));
  const summary = change.reason ?? 'impact mitigated';
  const result = 'marked mitigated';
  return { at, summary, result, line: `${summary} (${result}, ${at})` };
}

/** The last changes inc applied and mitigations recorded by hand, in the order they happened. */
function lastActions(
  incident: DeclaredIncident,
  contextOf: (action: ActionRecord) => string | undefined,
): UpdateActionLine[] {
  const applied = appliedChanges(incident).map((action) => ({
    at: Date.parse(action.lastAt),
    line: actionLine(action, contextOf(action)),
  }));
  const recorded = recordedMitigations(incident).map((change) => ({
    at: Date.parse(change.effectiveAt),
    line: mitigationLine(change),
  }));
  return [...applied, ...recorded]
    .sort((a, b) => a.at - b.at)
    .slice(-LAST_ACTIONS)
    .map((entry) => entry.line);
}

/** Failed attempts after the last applied change: what was tried since, and did not take. */
function failedAttemptsSinceLastChange(incident: DeclaredIncident): ActionRecord[] {
  const lastChange = appliedChanges(incident).at(-1);
  const from = lastChange ? incident.actions.indexOf(lastChange) : -1;
  return unappliedAttempts(incident).filter(
    (action) => action.latestPhase === 'failed' && incident.actions.indexOf(action) > from,
  );
}

function customerFallbackTitle(services: readonly string[]): string {
  return services.length > 0 ? `Service degradation affecting ${services.join(', ')}` : 'Service degradation';
}

/**
 * Composes a status update from the incident's log: the status defaults to the one the log
 * implies, the impact to the last update's, and the next update time follows the severity's cadence.
 */
export function composeStatusUpdate(
  incident: DeclaredIncident,
  input: StatusUpdateInput,
  options: StatusUpdateOptions,
): StatusUpdate {
  const now = options.clock.now();
  const contextOf = actionContextToName(incident);
  const status = input.status ?? incident.updateStatus;
  const previous = incident.updates.at(-1);
  const impact = input.impact ?? [...incident.updates].reverse().find((entry) => entry.impact)?.impact ?? null;
  const eta = input.eta ?? (status === 'resolved' ? null : (previous?.eta ?? null));
  const message = input.message ?? null;
  const startedAt = new Date(incident.times.impactStartedAt);
  const resolvedAt = incident.times.resolvedAt;
  const endedAt = status === 'resolved' && resolvedAt ? new Date(resolvedAt) : now;
  const cadenceMinutes = updateCadenceMinutes(incident.severity, options.severities);
  const postmortem = postmortemPromise(incident, options.severities);
  const nextUpdate =
    status === 'resolved' || cadenceMinutes === null ? null : new Date(now.getTime() + cadenceMinutes * 60_000);
  const internal = collectInternalNames(incident);
  const customerTitle = filterCustomerText(incident.title, internal);
  const customerImpact = filterCustomerText(impact ?? undefined, internal);
  const customerMessage = filterCustomerText(message ?? undefined, internal);
  // Declared services are meant for customers, but a service named like an internal object is not shown.
  const customerServices = incident.services.filter((service) => !namesInternal(service, []));
  return {
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    status,
    statusLabel: LABEL[status],
    statusEmoji: EMOJI[status],
    statuspageStatus: STATUSPAGE_STATUS[status],
    statuspageLabel: LABEL[STATUSPAGE_STATUS[status]],
    // An update Slack refused reached nobody: the next one still introduces the incident.
    variant: status === 'resolved' ? 'resolution' : sentUpdates(incident.updates).length === 0 ? 'initial' : 'update',
    format: input.format,
    now: now.toISOString(),
    nowText: formatDateTimeUtc(now),
    startedAt: startedAt.toISOString(),
    startedAtText: formatDateTimeUtc(startedAt),
    endedAtText: status === 'resolved' ? formatClockUtc(endedAt) : null,
    // The impact ends when it is mitigated; the incident, when it is resolved (later, after watching).
    impactEndedAtText:
      status === 'resolved' ? formatClockUtc(new Date(incident.times.mitigatedAt ?? endedAt.toISOString())) : null,
    duration: formatElapsed(endedAt.getTime() - startedAt.getTime()),
    commander: incident.commander ?? null,
    services: incident.services,
    impact,
    measured: describeMeasuredImpact(incident.triages),
    message,
    eta,
    headline: describeTriage(incident),
    suspect: describeSuspectedCause(incident.suspects),
    lastActions: lastActions(incident, contextOf),
    failedAttempts: failedAttemptsSinceLastChange(incident)
      .slice(-LAST_ACTIONS)
      .map((action) => actionLine(action, contextOf(action))),
    nextStep: describeNextStep(incident, status, postmortem !== null),
    needs: describeNeeds(incident, status),
    cadenceMinutes,
    nextUpdateAt: nextUpdate?.toISOString() ?? null,
    nextUpdateText: nextUpdate ? formatClockUtc(nextUpdate) : null,
    postmortemPromise: status === 'resolved' ? postmortem : null,
    timeline: timelineLines(incident, input.timeline),
    customer: {
      title: customerTitle.text || customerFallbackTitle(customerServices),
      impact: customerImpact.text || null,
      message: customerMessage.text || null,
      services: customerServices,
      dropped: [...customerTitle.dropped, ...customerImpact.dropped, ...customerMessage.dropped],
    },
  };
}

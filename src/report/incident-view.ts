import { IncError } from '../errors.js';
import type { ActionData, ActionPhase, ActionTarget, IncidentEvent, NoteData, TriageData } from '../incident/event.js';
import { sortEvents } from '../incident/incidents.js';

export type TriageSuspect = TriageData['suspects'][number];

import { UPDATE_STATUSES, type UpdateStatus } from './update-choices.js';

export type { UpdateStatus } from './update-choices.js';

/** One mitigation, folded from its planned/applied/verified/… events. */
export interface ActionOutcome {
  actionId: string;
  playbook: string | undefined;
  step: string | undefined;
  action: string;
  summary: string;
  context: string | undefined;
  namespace: string | undefined;
  target: ActionTarget | undefined;
  phase: ActionPhase;
  startedAt: Date;
  endedAt: Date;
  error: string | undefined;
  /** The id of the action that reverted this one, if any. */
  undoneBy: string | undefined;
  /** The id of the action this one reverts (an undo). */
  undoes: string | undefined;
}

export interface UpdateEntry {
  at: Date;
  status: string;
  format: string;
  text: string;
  message: string | undefined;
  impact: string | undefined;
  eta: string | undefined;
  nextUpdateAt: Date | undefined;
}

export interface NoteEntry extends NoteData {
  at: Date;
  actor: string | undefined;
}

export interface TriageEntry extends TriageData {
  at: Date;
}

/**
 * What a report needs of an incident, derived once from its log. Milestone times and metrics
 * come from the incident state (`deriveIncidentState`), so every command agrees on them.
 */
export interface IncidentView {
  id: string;
  title: string;
  severity: string;
  commander: string | undefined;
  roles: Array<{ role: string; name: string }>;
  services: string[];
  declaredAt: Date;
  impactStartedAt: Date | undefined;
  resolvedAt: Date | undefined;
  resolutionSummary: string | undefined;
  status: UpdateStatus;
  triages: TriageEntry[];
  suspects: TriageSuspect[];
  actions: ActionOutcome[];
  updates: UpdateEntry[];
  notes: NoteEntry[];
  postmortemPath: string | undefined;
  /** All events, oldest first. */
  events: IncidentEvent[];
}

const RANK: Record<UpdateStatus, number> = { investigating: 0, identified: 1, monitoring: 2, resolved: 3 };
const COMMANDER_ROLES = new Set(['commander', 'ic', 'incident-commander', 'incident commander']);

function raise(current: UpdateStatus, to: UpdateStatus): UpdateStatus {
  return RANK[to] > RANK[current] ? to : current;
}

function statusOf(state: string): UpdateStatus | undefined {
  if (state === 'acknowledged') return undefined;
  if (state === 'mitigated') return 'monitoring';
  return (UPDATE_STATUSES as readonly string[]).includes(state) ? (state as UpdateStatus) : undefined;
}

/**
 * Derives the report view of one incident from its events. The status follows the
 * lifecycle: investigating until triage names a suspect (identified), monitoring after a
 * verified mitigation, resolved after resolve; explicit status events and updates win.
 * Throws when the log has no `declared` event.
 */
export function buildIncidentView(id: string, events: readonly IncidentEvent[]): IncidentView {
  const sorted = sortEvents(events);
  const declared = sorted.find((event) => event.type === 'declared');
  if (declared?.type !== 'declared') {
    throw new IncError(`incident ${id} has no "declared" event, so its log is incomplete`, {
      code: 'INCOMPLETE_LOG',
      hint: `inspect its events.jsonl (inc log --incident ${id})`,
    });
  }
  const view: IncidentView = {
    id,
    title: declared.data.title,
    severity: declared.data.severity,
    commander: declared.data.commander || undefined,
    roles: declared.data.commander ? [{ role: 'commander', name: declared.data.commander }] : [],
    services: [...(declared.data.services ?? [])],
    declaredAt: new Date(declared.at),
    impactStartedAt: declared.data.impactStartedAt ? new Date(declared.data.impactStartedAt) : undefined,
    resolvedAt: undefined,
    resolutionSummary: undefined,
    status: 'investigating',
    triages: [],
    suspects: [],
    actions: [],
    updates: [],
    notes: [],
    postmortemPath: undefined,
    events: sorted,
  };
  const actions = new Map<string, ActionOutcome>();
  for (const event of sorted) applyEvent(view, actions, event);
  view.actions = [...actions.values()];
  return view;
}

function applyEvent(view: IncidentView, actions: Map<string, ActionOutcome>, event: IncidentEvent): void {
  const at = new Date(event.at);
  switch (event.type) {
    case 'severity':
      view.severity = event.data.to;
      break;
    case 'role':
      applyRole(view, event.data.role, event.data.name);
      break;
    case 'status': {
      const status = statusOf(event.data.state);
      if (status) view.status = status;
      break;
    }
    case 'note':
      view.notes.push({ ...event.data, at, actor: event.actor });
      break;
    case 'triage':
      view.triages.push({ ...event.data, at });
      if ((event.data.suspects ?? []).length > 0) {
        view.suspects = [...(event.data.suspects ?? [])];
        view.status = raise(view.status, 'identified');
      }
      break;
    case 'action':
      applyAction(view, actions, event.data, at);
      break;
    case 'update':
      view.updates.push({
        at,
        status: event.data.status,
        format: event.data.format,
        text: event.data.text,
        message: event.data.message,
        impact: event.data.impact,
        eta: event.data.eta,
        nextUpdateAt: event.data.nextUpdateAt ? new Date(event.data.nextUpdateAt) : undefined,
      });
      if (statusOf(event.data.status)) view.status = statusOf(event.data.status) as UpdateStatus;
      break;
    case 'resolved':
      view.resolvedAt = event.data.at ? new Date(event.data.at) : at;
      view.resolutionSummary = event.data.summary || view.resolutionSummary;
      view.status = 'resolved';
      break;
    case 'postmortem':
      view.postmortemPath = event.data.path;
      break;
    default:
      break;
  }
}

function applyRole(view: IncidentView, role: string, name: string): void {
  const existing = view.roles.find((entry) => entry.role === role);
  if (existing) existing.name = name;
  else view.roles.push({ role, name });
  if (COMMANDER_ROLES.has(role.toLowerCase())) view.commander = name;
}

function applyAction(view: IncidentView, actions: Map<string, ActionOutcome>, data: ActionData, at: Date): void {
  // A dry run changed nothing; it is not part of what was done.
  if (data.dryRun) return;
  const outcome = actions.get(data.actionId) ?? {
    actionId: data.actionId,
    playbook: data.playbook,
    step: data.step,
    action: data.action,
    summary: data.summary,
    context: data.context,
    namespace: data.namespace,
    target: data.target,
    phase: data.phase,
    startedAt: at,
    endedAt: at,
    error: undefined,
    undoneBy: undefined,
    undoes: data.undoes,
  };
  outcome.phase = data.phase;
  outcome.endedAt = at;
  outcome.summary = data.summary || outcome.summary;
  if (data.error) outcome.error = data.error;
  actions.set(data.actionId, outcome);
  if (data.undoes) {
    const reverted = actions.get(data.undoes);
    // The reverted action keeps its own last phase; `undoneBy` says it no longer holds.
    if (reverted && ['applied', 'undone', 'verified'].includes(data.phase)) reverted.undoneBy = data.actionId;
  }
  if (data.phase === 'verified' && !data.undoes) view.status = raise(view.status, 'monitoring');
  if (data.undoes && view.status === 'monitoring' && !firstHeldMitigation([...actions.values()])) {
    view.status = 'identified';
  }
}

/** The time the first mitigation that was verified and not reverted was verified. */
function firstHeldMitigation(actions: readonly ActionOutcome[]): Date | undefined {
  const held = actions.filter((action) => action.phase === 'verified' && !action.undoneBy && !action.undoes);
  return held.length === 0
    ? undefined
    : held.map((action) => action.endedAt).sort((a, b) => a.getTime() - b.getTime())[0];
}

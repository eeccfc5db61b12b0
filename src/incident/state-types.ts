/** The shape of an incident's derived state (see state.ts). */
import type {
  ActionData,
  ActionPhase,
  AlertData,
  EscalationData,
  IncidentEvent,
  NoteData,
  StatusState,
  TriageData,
  UpdateData,
} from './event.js';
import type { IncidentMetric, IncidentTimes } from './metrics.js';
import type { UpdateStatus } from './update-status.js';

/** Where an incident stands: `declared` until acknowledged, `resolved` at the end. */
export type IncidentStateName = 'declared' | StatusState | 'resolved';

export interface EventRef {
  eventId: string;
  at: string;
  actor: string;
}

export interface SeverityChange extends EventRef {
  from?: string;
  to: string;
  reason?: string;
}

export interface RoleChange extends EventRef {
  role: string;
  name: string;
  previous?: string;
}

export interface StatusChange extends EventRef {
  state: StatusState | 'resolved';
  /** When it happened (a back-dated `--at`), else the event time. */
  effectiveAt: string;
  reason?: string;
}

export interface NoteEntry extends EventRef, NoteData {}

export interface ActionPhaseEntry extends EventRef {
  phase: ActionPhase;
  data: ActionData;
}

/** One mitigation action with every phase it went through, in order. */
export interface ActionRecord {
  actionId: string;
  action: string;
  playbook?: string;
  step?: string;
  context: string;
  /** The context's API server when the change was made (recorded since inc kept it). */
  server?: string;
  /** Whom the change acted as, when it impersonated (--as). */
  actingAs?: ActionData['actingAs'];
  namespace?: string;
  target: ActionData['target'];
  /** The summary of the latest phase. */
  summary: string;
  phases: ActionPhaseEntry[];
  latestPhase: ActionPhase;
  firstAt: string;
  lastAt: string;
  dryRun: boolean;
  inverse?: unknown;
  /** Why it cannot be undone, when its plan said so. */
  irreversible?: string;
  undoes?: string;
  /** The actionId of a later action that undid this one. */
  undoneBy?: string;
  error?: string;
}

export interface UpdateEntry extends EventRef, UpdateData {}

export interface AlertEntry extends EventRef, AlertData {}

export interface TriageEntry extends EventRef, TriageData {}

export interface EscalationEntry extends EventRef, EscalationData {}

/** The response targets, in the order a responder meets them. */
export const TARGET_NAMES = ['acknowledge', 'respond', 'first-update', 'resolve', 'postmortem'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** One response target of the severity: its deadline and whether it was met. */
export interface TargetStatus {
  target: TargetName;
  dueAt: string;
  metAt?: string;
  /** `missed`: met after the deadline, or not met and the deadline passed. */
  outcome: 'met' | 'missed' | 'pending';
  /** Set when the deadline counts business hours only (a P3's response). */
  businessHours?: true;
}

/** The investigation's time-box: past `endsAt` without a mitigation, roll back if unsure. */
export interface TimeBox {
  minutes: number;
  endsAt: string;
  exceeded: boolean;
  /** The rollback the last triage suggested. */
  rollback?: { playbook: string; command: string };
}

export type TriageSuspect = TriageData['suspects'][number];

export interface IncidentState {
  id: string | undefined;
  title: string;
  severity: string;
  state: IncidentStateName;
  /**
   * The status a status update reports by default: investigating until triage names a suspect
   * (identified), monitoring after a verified mitigation that holds, resolved after resolve;
   * explicit status events and updates win.
   */
  updateStatus: UpdateStatus;
  open: boolean;
  commander: string | undefined;
  services: string[];
  declaredBy: string | undefined;
  times: IncidentTimes;
  /** A game day on the practice cluster: not counted in stats or the handoff. */
  practice: boolean;
  /** Started from an alert (`inc start --from-alert`): a page. */
  paged: boolean;
  /** The alerts linked to the incident, in the order they were recorded. */
  alerts: AlertEntry[];
  /** Resolved as a false positive: paged, nothing to do. */
  falsePositive: boolean;
  /** False when impact start was not given and defaults to the declaration. */
  impactStartGiven: boolean;
  /** Explicit from→to durations: declare, acknowledge, mitigate, resolve. */
  metrics: IncidentMetric[];
  /** From impact start to resolution, or to now while open. */
  elapsedMs: number;
  roles: Record<string, string>;
  roleHistory: RoleChange[];
  severityHistory: SeverityChange[];
  statusHistory: StatusChange[];
  actions: ActionRecord[];
  /** Every update recorded, those the webhook refused (`post.ok` false) included. */
  updates: UpdateEntry[];
  /** The last update that counts as sent (not refused by the webhook): the update cadence runs from it. */
  lastUpdate: UpdateEntry | undefined;
  /** The last update recorded, when inc posted it and the webhook did not take it: to resend. */
  undeliveredUpdate: UpdateEntry | undefined;
  notes: NoteEntry[];
  decisions: NoteEntry[];
  actionItems: NoteEntry[];
  triages: TriageEntry[];
  /** The suspects of the last triage that named any. */
  suspects: TriageSuspect[];
  postmortems: (EventRef & { path: string })[];
  escalations: EscalationEntry[];
  /** The severity's targets (acknowledge, respond, first update, resolve, postmortem) and how they stand. */
  targets: TargetStatus[];
  /** True when the severity requires a postmortem and none was written. */
  postmortemMissing: boolean;
  timeBox: TimeBox | undefined;
  resolution: { summary?: string; at?: string } | undefined;
  eventCount: number;
  firstEventAt: string | undefined;
  lastEventAt: string | undefined;
  /** The last update's `nextUpdateAt`, else declaration (or last update) + the severity's cadence. */
  nextUpdateDueAt: string | undefined;
  /** True when the next update is due and the incident is still open. */
  updateOverdue: boolean;
  /** The events this was derived from, oldest first. */
  events: IncidentEvent[];
}

/** The projection of an incident whose log holds its declaration. */
export interface DeclaredIncident extends IncidentState {
  id: string;
}

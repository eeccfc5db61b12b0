/**
 * The incident event model: one JSON object per line of `events.jsonl`,
 * `{"v":1,"id":"<ULID>","at":"<ISO UTC ms>","type":…,"actor":…,"data":{…}}`.
 * Events are never rewritten; the incident's state is derived from them (see state.ts).
 */

import type { ActingAs } from './acting-as.js';

export const EVENT_VERSION = 1 as const;

/** Every event type, in the order an incident usually produces them. */
export const EVENT_TYPES = [
  'declared',
  'alert',
  'impact',
  'severity',
  'status',
  'role',
  'note',
  'triage',
  'action',
  'update',
  'escalation',
  'resolved',
  'postmortem',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** States an incident passes through before it is resolved (`status` events). */
export const STATUS_STATES = ['acknowledged', 'investigating', 'identified', 'mitigated', 'monitoring'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export const NOTE_KINDS = ['note', 'action-item', 'decision'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export const ACTION_ITEM_TYPES = ['prevent', 'mitigate', 'process'] as const;
export type ActionItemType = (typeof ACTION_ITEM_TYPES)[number];

/** An action item's priority, as the runbooks' postmortem tables give it. */
export const ACTION_ITEM_PRIORITIES = ['P1', 'P2', 'P3'] as const;
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];

export const ACTION_PHASES = ['planned', 'applied', 'verified', 'failed', 'undone', 'stopped'] as const;
export type ActionPhase = (typeof ACTION_PHASES)[number];

export interface DeclaredData {
  title: string;
  severity: string;
  commander?: string;
  services: string[];
  /** When the impact began (ISO); may be earlier than the declaration. */
  impactStartedAt?: string;
  /** Declared against the practice cluster of `inc demo --practice`: a game day, not a real incident. */
  practice?: boolean;
  /** Started from this alert (`inc start --from-alert`): the incident is a page. */
  fromAlert?: { name: string; fingerprint: string };
}

/** An Alertmanager alert linked to the incident (`inc start --from-alert`, `inc note --from-alert`). */
export interface AlertData {
  name: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the alert started firing (ISO). */
  startsAt: string;
  generatorURL?: string;
  /** The Alertmanager it was read from (URL without credentials, or namespace/service:port). */
  source?: string;
}

/** When the impact began, dated after the declaration (`inc impact --started`): the latest one counts. */
export interface ImpactData {
  /** ISO; never after the declaration or the first alert. */
  startedAt: string;
  reason?: string;
}

export interface SeverityData {
  from?: string;
  to: string;
  reason?: string;
}

export interface StatusData {
  state: StatusState;
  /** When it really happened (ISO), if earlier than the event itself. */
  at?: string;
  reason?: string;
}

export interface RoleData {
  /** One of the configured roles (`roles` in the config). */
  role: string;
  name: string;
  previous?: string;
}

export interface NoteData {
  text: string;
  kind: NoteKind;
  owner?: string;
  /** Due date (ISO date or date-time) of an action item. */
  due?: string;
  itemType?: ActionItemType;
  priority?: ActionItemPriority;
  /** A file attached with the note, relative to the incident folder (`evidence/…`). */
  evidence?: string;
}

export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface TriageFindingSummary {
  id: string;
  /** The kubeconfig context, in a fleet triage. */
  context?: string;
  severity: 'critical' | 'warning' | 'info';
  title: string;
  suggestion?: { playbook: string; command: string };
}

export interface TriageData {
  context: string;
  namespaces: string | string[];
  summary: { critical: number; warning: number; info: number };
  headline: string;
  /** false when a check failed ("triage incomplete: …" heads the headline); absent on complete runs. */
  complete?: boolean;
  /** The top ten findings. */
  findings: TriageFindingSummary[];
  suspects: { workload: WorkloadRef; change: string; at: string; why: string; context?: string }[];
  /** A fleet triage (several contexts): how each context went. */
  contexts?: {
    context: string;
    status: 'ok' | 'unreachable' | 'failed';
    summary: { critical: number; warning: number; info: number };
    headline: string;
  }[];
  /** Path of the raw evidence, relative to the incident folder. */
  evidence?: string;
  /** The golden signals measured by this run, when the signals check ran. */
  signals?: MeasuredSignals;
}

/** A measured figure: over the window ending at `at`, and the baseline before it when known. */
export interface MeasuredFigure {
  now?: number;
  baseline?: number;
}

/** What a signals measurement recorded: the workloads with signal findings first, then the busiest. */
export interface MeasuredSignals {
  /** When "now" ended (ISO). */
  at: string;
  windowSeconds: number;
  /** "by Prometheus http://…", "by scraping 12 pods directly". */
  source: string;
  workloads: {
    workload: WorkloadRef;
    /** Requests per second. */
    requestRate: MeasuredFigure;
    /** 5xx / all, 0..1. */
    errorRatio: MeasuredFigure;
    /** Seconds. */
    p99Seconds: MeasuredFigure;
    /** The signal findings' reasons on it (HighErrorRate, HighLatency, TrafficDrop). */
    reasons: string[];
  }[];
}

export interface ActionTarget {
  kind: string;
  namespace?: string;
  name: string;
}

export interface ActionData {
  actionId: string;
  phase: ActionPhase;
  playbook?: string;
  step?: string;
  action: string;
  context: string;
  /**
   * The context's API server: kubeconfigs reuse context names (`default`, `minikube`), and an undo must
   * reach the cluster the change went to. Absent from actions recorded before it was kept.
   */
  server?: string;
  /** Whom the change acted as, when the kubeconfig or --as impersonated. */
  actingAs?: ActingAs;
  namespace?: string;
  target: ActionTarget;
  /** One line for people: "rolled back deployment payments/api to revision 3". */
  summary: string;
  before?: unknown;
  after?: unknown;
  inverse?: unknown;
  /** Why the change has no inverse (a deleted Node cannot be restored): said in the plan, kept in the log. */
  irreversible?: string;
  /** The actionId this action reverted. */
  undoes?: string;
  error?: string;
  dryRun?: boolean;
}

/**
 * What became of a message inc sent on the responder's behalf (a status update to Slack, a page to
 * the page webhook). Absent when inc sent nothing: the update was only printed (and maybe pasted).
 */
export interface DeliveryData {
  /** Where it went: `slack` (INC_SLACK_WEBHOOK), `page-webhook` or `pagerduty` (INC_PAGE_WEBHOOK). */
  to: string;
  /** True when the webhook accepted it (a 2xx answer). */
  ok: boolean;
  /** Why it was not delivered: "HTTP 500", "HTTP 302 redirect, not followed", "no answer within 10s". */
  error?: string;
  /** The text sent, when it is not the update's own `text` (the Slack rendering of a text update). */
  text?: string;
}

export interface UpdateData {
  status: string;
  format: string;
  message?: string;
  impact?: string;
  eta?: string;
  text: string;
  nextUpdateAt?: string;
  /** Posted by `inc update --post`: whether it reached Slack. */
  post?: DeliveryData;
  /** The id of the undelivered update this one sends again, unchanged (`inc update --resend`). */
  resends?: string;
}

export interface EscalationData {
  /** The severity whose escalation list was engaged (`inc escalate P1`), if any. */
  severity?: string;
  /** Who was engaged: contact keys of the config or names. */
  to: string[];
  reason?: string;
  /** True when the page webhook accepted the page. */
  paged?: boolean;
  /** What became of the page when a page webhook was set (`paged` says the same for older readers). */
  page?: DeliveryData;
}

export interface ResolvedData {
  summary?: string;
  at?: string;
  /** Paged, and nothing needed doing (`inc resolve --false-positive`). */
  falsePositive?: boolean;
}

export interface PostmortemData {
  path: string;
}

/** The data of each event type. */
export interface EventDataMap {
  declared: DeclaredData;
  alert: AlertData;
  impact: ImpactData;
  severity: SeverityData;
  status: StatusData;
  role: RoleData;
  note: NoteData;
  triage: TriageData;
  action: ActionData;
  update: UpdateData;
  escalation: EscalationData;
  resolved: ResolvedData;
  postmortem: PostmortemData;
}

/** One event of a given type. */
export interface TypedEvent<T extends EventType> {
  v: typeof EVENT_VERSION;
  /** ULID: unique and sortable by creation time. */
  id: string;
  /** ISO-8601 UTC with milliseconds: when the event was recorded. */
  at: string;
  type: T;
  actor: string;
  data: EventDataMap[T];
}

/** Any event: a discriminated union on `type`. */
export type IncidentEvent = { [T in EventType]: TypedEvent<T> }[EventType];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** Narrows an event to a type: `events.filter(isEvent('note'))`. */
export function isEvent<T extends EventType>(
  type: T,
): (event: IncidentEvent) => event is TypedEvent<T> & IncidentEvent {
  return (event): event is TypedEvent<T> & IncidentEvent => event.type === type;
}

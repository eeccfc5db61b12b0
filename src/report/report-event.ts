/**
 * The incident events as the report reads them: the shared event contract
 * ({"v":1,"id","at","type","actor","data"}), typed loosely enough that a newer writer's
 * extra fields never break a report. Reports only read events; they never write them,
 * except through the recorder.
 */

export interface WorkloadRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface DeclaredData {
  title: string;
  severity: string;
  commander?: string;
  services?: string[];
  impactStartedAt?: string;
}

export interface SeverityData {
  from?: string;
  to: string;
  reason?: string;
}

export interface StatusData {
  state: string;
  at?: string;
  reason?: string;
}

export interface RoleData {
  role: string;
  name: string;
  previous?: string;
}

export interface NoteData {
  text: string;
  kind?: 'note' | 'action-item' | 'decision';
  owner?: string;
  due?: string;
  itemType?: 'prevent' | 'mitigate' | 'process';
}

export interface TriageFindingData {
  id: string;
  severity: string;
  title: string;
  suggestion?: { playbook: string; command: string };
}

export interface TriageSuspectData {
  workload: WorkloadRef;
  change: string;
  at?: string;
  why?: string;
}

export interface TriageData {
  context?: string;
  namespaces?: string | string[];
  summary?: { critical: number; warning: number; info: number };
  headline?: string;
  findings?: TriageFindingData[];
  suspects?: TriageSuspectData[];
  evidence?: string;
}

export type ActionPhase = 'planned' | 'applied' | 'verified' | 'failed' | 'undone' | 'stopped';

export interface ActionData {
  actionId: string;
  phase: ActionPhase;
  playbook?: string;
  step?: string;
  action: string;
  context?: string;
  namespace?: string;
  target?: WorkloadRef;
  summary: string;
  undoes?: string;
  error?: string;
  dryRun?: boolean;
}

export interface UpdateData {
  status: string;
  format: string;
  message?: string;
  impact?: string;
  eta?: string;
  text: string;
  nextUpdateAt?: string;
}

export interface ResolvedData {
  summary?: string;
  at?: string;
}

export interface PostmortemData {
  path: string;
}

interface EventBase<T extends string, D> {
  v?: number;
  id: string;
  at: string;
  type: T;
  actor?: string;
  data: D;
}

export type ReportEvent =
  | EventBase<'declared', DeclaredData>
  | EventBase<'severity', SeverityData>
  | EventBase<'status', StatusData>
  | EventBase<'role', RoleData>
  | EventBase<'note', NoteData>
  | EventBase<'triage', TriageData>
  | EventBase<'action', ActionData>
  | EventBase<'update', UpdateData>
  | EventBase<'resolved', ResolvedData>
  | EventBase<'postmortem', PostmortemData>;

export type ReportEventType = ReportEvent['type'];

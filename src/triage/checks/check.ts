import type { Alert } from '../alerts/alert.js';
import type { Mitigation } from '../mitigations.js';
import type { OwnerIndex } from '../owners.js';
import type { SignalThresholds } from '../signals/signal-thresholds.js';
import type { SignalsData, WorkloadSignals } from '../signals/signal-types.js';
import type { ResourceKey, Snapshot } from '../snapshot.js';
import type { CheckName, Finding, ObjectRef, Severity } from '../types.js';

/** What every check reads: the snapshot, the cluster's "now" and the window, and the owner index. */
export interface CheckContext {
  snapshot: Snapshot;
  /** The API server's time (ms). */
  now: number;
  /** The look-back window (--since), ms. */
  sinceMs: number;
  owners: OwnerIndex;
  /** The golden signals, when a source answered: per workload, with the thresholds to judge them. */
  signals?: { data: SignalsData; workloads: WorkloadSignals[]; thresholds: SignalThresholds };
  /** inc's own changes in the current incident. */
  mitigations?: readonly Mitigation[];
  /** The alerts firing, when Alertmanager answered. */
  alerts?: readonly Alert[];
}

/** A finding while triage is being assembled: it also knows the uids of its objects, to attach events. */
export interface DraftFinding extends Finding {
  uids: string[];
  /** Times (ms) of the first failure of each object, to date the finding. */
  firstFailureMs?: number;
  /**
   * True when `firstFailureMs` is only when the failure was first seen, not when it began: a
   * measurement with no history (the pods scraped now) cannot tell how long it has been so.
   */
  firstSeenOnly?: boolean;
  /** The workload behind a finding about another object (the deployment behind a service). */
  related?: ObjectRef;
}

/** Evidence a check adds to findings of other checks (events, logs), keyed by object uid. */
export interface Attachment {
  uid: string;
  line: string;
}

export interface CheckOutput {
  findings: DraftFinding[];
  attachments?: Attachment[];
  /** Set when the check could not look at everything it needs: the reason, shown under checks. */
  incomplete?: string;
}

export interface Check {
  readonly name: CheckName;
  /** The resources it reads; a check whose main resource failed is reported as failed. */
  readonly needs: readonly ResourceKey[];
  /** The one resource without which the check cannot run. */
  readonly requires?: readonly ResourceKey[];
  /** Runs after the finding checks, with their findings (events and logs attach to them). */
  readonly late?: boolean;
  run(context: CheckContext, prior: readonly DraftFinding[]): CheckOutput;
}

/** Builds the stable id: `<check>/<reason>/<namespace>/<kind>/<name>`. */
export function findingId(check: CheckName, reason: string, ref: ObjectRef): string {
  return `${check}/${reason}/${ref.namespace ?? '-'}/${ref.kind}/${ref.name}`;
}

export function draft(
  fields: Omit<DraftFinding, 'id' | 'count' | 'evidence' | 'uids'> &
    Partial<Pick<DraftFinding, 'count' | 'evidence' | 'uids'>>,
): DraftFinding {
  const ref = fields.workload ?? fields.objects[0] ?? { kind: 'Cluster', name: '-' };
  return {
    id: findingId(fields.check, fields.reason, ref),
    count: fields.count ?? fields.objects.length,
    evidence: fields.evidence ?? [],
    uids: fields.uids ?? [],
    ...fields,
  };
}

export function worse(a: Severity, b: Severity): Severity {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rank[a] <= rank[b] ? a : b;
}

import type { ClusterFlags } from '../cluster-flags.js';
import type { AlertsOutcome } from './alerts/alert.js';
import { noteAlertsBeside } from './alerts/alert-findings.js';
import { listChanges } from './changes.js';
import type { Attachment, Check, CheckContext, DraftFinding } from './checks/check.js';
import { CLUSTER_CHECKS } from './checks/registry.js';
import type { ConfigManifest } from './config-changes.js';
import type { Mitigation } from './mitigations.js';
import { OwnerIndex } from './owners.js';
import { pausedAutoSyncFindings } from './paused-sync.js';
import { type SignalsOutcome, signalsReport } from './signals/signals-outcome.js';
import { workloadSignals } from './signals/workload-signals.js';
import { allPods, type Snapshot } from './snapshot.js';
import { suggestFor } from './suggest.js';
import { loadSuspects, rankSuspects } from './suspects.js';
import {
  type CheckName,
  type CheckResult,
  type Commit,
  type Finding,
  SEVERITY_RANK,
  type SignalsReport,
  type Suspect,
} from './types.js';

export interface AnalyzeOptions {
  checks: readonly CheckName[];
  sinceMs: number;
  clusterFlags?: ClusterFlags;
  commits?: readonly Commit[];
  /** What the signals source answered (or why it did not). */
  signals?: SignalsOutcome;
  /** inc's own changes in the current incident: mitigations, not suspects. */
  mitigations?: readonly Mitigation[];
  /** What Alertmanager answered (or why it did not). */
  alerts?: AlertsOutcome;
  /** The git manifests of changed ConfigMaps, where a repository holds them. */
  configManifests?: readonly ConfigManifest[];
  /** Milliseconds elapsed, for the per-check durations; tests pass a fixed one. */
  elapsed?: () => number;
}

export interface Analysis {
  findings: Finding[];
  suspects: Suspect[];
  checks: CheckResult[];
  signals?: SignalsReport;
}

/** Evidence lines a finding keeps at most. */
export const MAX_EVIDENCE = 8;

/** Runs the checks over a snapshot: findings (grouped, with evidence and suggestions), suspects, check results. */
export function analyzeSnapshot(snapshot: Snapshot, options: AnalyzeOptions): Analysis {
  const now = Date.parse(snapshot.now);
  const mitigations = options.mitigations ?? [];
  const context: CheckContext = {
    snapshot,
    now,
    sinceMs: options.sinceMs,
    owners: new OwnerIndex(snapshot),
    mitigations,
  };
  const signals = options.signals;
  if (signals?.kind === 'data' && options.checks.includes('signals'))
    context.signals = {
      data: signals.data,
      workloads: workloadSignals(signals.data, snapshot, context.owners),
      thresholds: signals.thresholds,
    };
  if (options.alerts?.kind === 'data') context.alerts = options.alerts.alerts;
  const elapsed = options.elapsed ?? (() => performance.now());
  const selected = CLUSTER_CHECKS.filter((check) => options.checks.includes(check.name));
  const results: CheckResult[] = [];
  let findings: DraftFinding[] = [];
  for (const check of [...selected.filter((c) => !c.late), ...selected.filter((c) => c.late)]) {
    const started = elapsed();
    const blocked = blockedBy(check, snapshot) ?? sourceBlocked(check.name, signals, options.alerts);
    if (blocked) {
      results.push({ check: check.name, status: blocked.status, durationMs: 0, error: blocked.error });
      continue;
    }
    const output = check.run(context, findings);
    findings.push(...output.findings);
    if (output.attachments?.length) attach(findings, output.attachments);
    results.push({ check: check.name, status: 'ok', durationMs: Math.round(elapsed() - started) });
  }
  findings = foldIntoNodes(foldUnavailable(findings), snapshot);
  if (options.checks.includes('rollouts')) findings.push(...pausedAutoSyncFindings(snapshot, mitigations));
  // A failure that began before the window still has its cause looked for, as far back before its
  // start as the window reaches before now: `--since 2m` on a crash loop of 6 minutes keeps its rollout.
  const earliest = findings.reduce((min, f) => Math.min(min, f.firstFailureMs ?? now), now);
  const changes = listChanges(snapshot, now, now - earliest + options.sinceMs, mitigations);
  for (const finding of findings) {
    const { suggestion, note } = suggestFor(finding, {
      snapshot,
      changes,
      clusterFlags: options.clusterFlags,
      mitigations,
      configManifests: options.configManifests,
    });
    if (suggestion) finding.suggestion = suggestion;
    if (note) finding.evidence.push(note);
  }
  noteAlertsBeside(findings);
  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.firstFailureMs ?? Number.POSITIVE_INFINITY) - (b.firstFailureMs ?? Number.POSITIVE_INFINITY) ||
      b.count - a.count ||
      a.id.localeCompare(b.id),
  );
  const suspects = [...rankSuspects(findings, changes, options.commits), ...loadSuspects(findings, changes, now)];
  return {
    findings: findings.map(publicFinding),
    suspects,
    checks: results,
    ...(context.signals ? { signals: signalsReport(context.signals.data, context.signals.workloads) } : {}),
  };
}

/**
 * The signals and alerts checks fail when their source did (Prometheus or Alertmanager down or
 * slow), and are skipped without one.
 */
function sourceBlocked(
  name: CheckName,
  signals: SignalsOutcome | undefined,
  alerts: AlertsOutcome | undefined,
): { status: 'error' | 'skipped'; error: string } | undefined {
  if (name !== 'signals' && name !== 'alerts') return undefined;
  const outcome = name === 'signals' ? signals : alerts;
  if (!outcome) return { status: 'skipped', error: `no ${name} source was asked` };
  if (outcome.kind === 'failed') return { status: 'error', error: outcome.error };
  if (outcome.kind === 'unavailable') return { status: 'skipped', error: outcome.reason };
  return undefined;
}

/** Adds evidence lines to the findings that hold the attachment's uid (indexed: thousands of pods). */
function attach(findings: DraftFinding[], attachments: readonly Attachment[]): void {
  const byUid = new Map<string, DraftFinding[]>();
  for (const finding of findings) {
    for (const uid of finding.uids) {
      const list = byUid.get(uid);
      if (list) list.push(finding);
      else byUid.set(uid, [finding]);
    }
  }
  for (const attachment of attachments) {
    for (const finding of byUid.get(attachment.uid) ?? []) {
      if (finding.evidence.length < MAX_EVIDENCE && !finding.evidence.includes(attachment.line))
        finding.evidence.push(attachment.line);
    }
  }
}

/** A check cannot run when a resource it requires failed to list; an absent API is a skip, not a failure. */
function blockedBy(check: Check, snapshot: Snapshot): { status: 'error' | 'skipped'; error: string } | undefined {
  for (const key of check.requires ?? []) {
    const failure = snapshot.failures[key];
    if (!failure) continue;
    // With -n, a cluster-scope list (nodes) may well be forbidden: that is a note, not a failure.
    const clusterScoped = key === 'nodes' || key === 'nodeMetrics';
    const note =
      failure.kind === 'absent' || (failure.kind === 'forbidden' && clusterScoped && snapshot.namespace !== undefined);
    return { status: note ? 'skipped' : 'error', error: failure.message };
  }
  if (check.name === 'logs' && snapshot.failures.logs)
    return { status: 'error', error: snapshot.failures.logs.message };
  return undefined;
}

/**
 * "2/3 replicas available" says again what a pod finding of the same workload says better:
 * keep it as evidence of that finding instead of a finding of its own.
 */
function foldUnavailable(findings: DraftFinding[]): DraftFinding[] {
  return findings.filter((finding) => {
    if (finding.reason !== 'UnavailableReplicas' || !finding.workload) return true;
    const ref = finding.workload;
    const covering = findings.find(
      (other) =>
        other !== finding &&
        other.check === 'pods' &&
        other.workload?.kind === ref.kind &&
        other.workload.namespace === ref.namespace &&
        other.workload.name === ref.name,
    );
    if (!covering) return true;
    covering.evidence.push(`${ref.kind.toLowerCase()} status: ${finding.title.replace(/^[^:]+: /, '')}`);
    for (const uid of finding.uids) if (!covering.uids.includes(uid)) covering.uids.push(uid);
    return false;
  });
}

/**
 * Pods that are unready because their node is down say nothing new: the node finding names them.
 * A pod finding whose pods all sit on NotReady nodes becomes a line of that node's finding.
 */
function foldIntoNodes(findings: DraftFinding[], snapshot: Snapshot): DraftFinding[] {
  const down = new Set(
    snapshot.nodes
      .filter((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True'))
      .map((node) => node.metadata.name),
  );
  if (down.size === 0) return findings;
  const nodeOf = new Map(allPods(snapshot).map((pod) => [pod.metadata.uid ?? '', pod.spec?.nodeName ?? '']));
  return findings.filter((finding) => {
    if (finding.check !== 'pods' || finding.uids.length === 0) return true;
    const nodes = new Set(finding.uids.filter((uid) => nodeOf.has(uid)).map((uid) => nodeOf.get(uid) ?? ''));
    if (nodes.size === 0 || ![...nodes].every((node) => down.has(node))) return true;
    const nodeFinding = findings.find(
      (f) => f.check === 'nodes' && f.reason.startsWith('NodeNotReady') && nodes.has(f.workload?.name ?? ''),
    );
    if (!nodeFinding) return true;
    nodeFinding.evidence.push(`affected: ${finding.title.replace(/ since \d\d:\d\d$/, '')}`);
    return false;
  });
}

/** The finding as the JSON contract has it: without the assembly-time fields. */
function publicFinding(finding: DraftFinding): Finding {
  const { uids: _uids, firstFailureMs: _first, firstSeenOnly: _seen, related: _related, ...rest } = finding;
  const result: Finding = { ...rest, evidence: rest.evidence.filter(Boolean) };
  return result;
}

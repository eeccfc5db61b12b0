import type { Change } from './changes.js';
import type { DraftFinding } from './checks/check.js';
import { formatAge, formatClock, toMs } from './time.js';
import type { Commit, ObjectRef, Suspect } from './types.js';

/** A change may come up to this long before the first failure it caused. */
const LOOKBACK_MS = 2 * 3600_000;
/** Clocks and event times are coarse: a change this much after the first failure still counts. */
const SLACK_MS = 60_000;
/** A commit this long before a rollout may be what CI deployed. */
const COMMIT_WINDOW_MS = 60 * 60_000;
const MAX_SUSPECTS = 5;

interface Candidate {
  change: Change;
  finding: DraftFinding;
  sameWorkload: boolean;
  gapMs: number;
}

const sameRef = (a: ObjectRef, b: ObjectRef | undefined) =>
  !!b && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/**
 * Ranks the changes that happened shortly before the first failures: same workload first, then
 * same namespace; critical findings before warnings; the closest in time first.
 */
export function rankSuspects(
  findings: readonly DraftFinding[],
  changes: readonly Change[],
  commits: readonly Commit[] = [],
): Suspect[] {
  const candidates: Candidate[] = [];
  for (const finding of findings) {
    if (finding.severity === 'info' || finding.firstFailureMs === undefined) continue;
    const targets = [finding.workload, finding.related].filter((ref): ref is ObjectRef => ref !== undefined);
    for (const change of changes) {
      // inc's own changes in this incident are mitigations: blaming them would undo the fix.
      if (change.mitigation) continue;
      const gapMs = finding.firstFailureMs - change.atMs;
      if (gapMs < -SLACK_MS || gapMs > LOOKBACK_MS) continue;
      const sameWorkload = targets.some((ref) => sameRef(change.workload, ref));
      const sameNamespace =
        change.workload.namespace !== undefined && targets.some((ref) => ref.namespace === change.workload.namespace);
      const nodeOfPods = change.kind === 'node' && finding.evidence.some((line) => line.includes(change.workload.name));
      if (!sameWorkload && !sameNamespace && !nodeOfPods) continue;
      candidates.push({ change, finding, sameWorkload: sameWorkload || nodeOfPods, gapMs });
    }
  }
  candidates.sort(
    (a, b) =>
      Number(b.sameWorkload) - Number(a.sameWorkload) ||
      rank(a.finding) - rank(b.finding) ||
      Math.abs(a.gapMs) - Math.abs(b.gapMs),
  );
  const suspects: Suspect[] = [];
  const seen = new Set<Change>();
  for (const candidate of candidates) {
    if (seen.has(candidate.change) || suspects.length >= MAX_SUSPECTS) continue;
    seen.add(candidate.change);
    suspects.push(toSuspect(candidate, commits));
  }
  return suspects;
}

/**
 * Every pod of a workload at its CPU limit with no deploy or scale to blame: the load itself is the
 * change (a traffic spike), and the workload is the suspect.
 */
export function loadSuspects(findings: readonly DraftFinding[], changes: readonly Change[], now: number): Suspect[] {
  const suspects: Suspect[] = [];
  for (const finding of findings) {
    if (finding.reason !== 'HighCPU' || !finding.workload || finding.workload.kind === 'Node') continue;
    const all = /^(\d+)\/(\d+) pods/.exec(finding.title);
    if (!all || all[1] !== all[2]) continue;
    const workload = finding.workload;
    if (changes.some((change) => !change.mitigation && sameRef(change.workload, workload))) continue;
    suspects.push({
      workload,
      change: 'load increase: every pod at its CPU limit, with no deploy or scale in the window',
      at: new Date(now).toISOString(),
      why: `${finding.title}; nothing changed in the cluster, so traffic (or a costlier request mix) rose`,
    });
  }
  return suspects;
}

function rank(finding: DraftFinding): number {
  return finding.severity === 'critical' ? 0 : 1;
}

function toSuspect({ change, finding, gapMs }: Candidate, commits: readonly Commit[]): Suspect {
  const when = gapMs >= 0 ? `${formatAge(gapMs)} before` : `${formatAge(-gapMs)} after`;
  const first = finding.firstFailureMs === undefined ? '' : ` (first failure ${formatClock(finding.firstFailureMs)})`;
  const parts = [`${when}: ${finding.title.replace(/ since \d\d:\d\d$/, '')}${first}`];
  if (change.detail) parts.push(change.detail);
  if (change.kind === 'rollout') {
    const commit = commits.find((c) => {
      const at = toMs(c.at);
      return at !== undefined && at <= change.atMs && change.atMs - at <= COMMIT_WINDOW_MS;
    });
    if (commit)
      parts.push(
        `commit ${commit.sha.slice(0, 8)} "${commit.subject}" by ${commit.author} at ${formatClock(toMs(commit.at) ?? 0)}, ${formatAge(change.atMs - (toMs(commit.at) ?? 0))} before the rollout`,
      );
  }
  return {
    workload: change.workload,
    change: change.description,
    at: new Date(change.atMs).toISOString(),
    why: parts.join('; '),
  };
}

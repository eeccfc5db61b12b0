import type { Change } from './change.js';
import type { DraftFinding } from './checks/check.js';
import { configChangePhrase } from './config-changes.js';
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
  /** 0: the workload itself, its config or its node; 1: a scale-up that took the room its pods need; 2: a neighbour's change. */
  tier: 0 | 1 | 2;
  /** A restart that only made the pods re-read a config changed just before it: that change is the suspect. */
  demoted: boolean;
  gapMs: number;
}

const sameRef = (a: ObjectRef, b: ObjectRef | undefined) =>
  !!b && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/**
 * Ranks the changes that happened shortly before the first failures and can explain them: the
 * workload's own (its config, a NetworkPolicy selecting it, its node) first, then a scale-up that
 * took the room its pending pods need, then another workload's rollout or a NetworkPolicy in its
 * namespace; critical findings before warnings; the closest in time first.
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
      const sameWorkload =
        targets.some((ref) => sameRef(change.workload, ref)) ||
        !!change.referencedBy?.some((reader) => targets.some((ref) => sameRef(reader, ref)));
      const sameNamespace =
        change.workload.namespace !== undefined && targets.some((ref) => ref.namespace === change.workload.namespace);
      const nodeOfPods = change.kind === 'node' && finding.evidence.some((line) => line.includes(change.workload.name));
      const tookRoom = change.kind === 'scale' && needsRoom(finding);
      if (!sameWorkload && !nodeOfPods && !tookRoom && !(sameNamespace && NEIGHBOUR_KINDS.has(change.kind))) continue;
      const demoted = configBehindRestart(change, changes) !== undefined;
      const tier = sameWorkload || nodeOfPods ? 0 : tookRoom ? 1 : 2;
      candidates.push({ change, finding, tier, demoted, gapMs });
    }
  }
  candidates.sort(
    (a, b) =>
      a.tier - b.tier ||
      Number(a.demoted) - Number(b.demoted) ||
      rank(a.finding) - rank(b.finding) ||
      Math.abs(a.gapMs) - Math.abs(b.gapMs),
  );
  const suspects: Suspect[] = [];
  const seen = new Set<Change>();
  for (const candidate of candidates) {
    if (seen.has(candidate.change) || suspects.length >= MAX_SUSPECTS) continue;
    seen.add(candidate.change);
    suspects.push(toSuspect(candidate, commits, changes));
  }
  return suspects;
}

/**
 * What another workload's change in the same namespace can explain a failure by: a new version of
 * a service it may call, or a NetworkPolicy between them. Another workload's scale-up explains only
 * pods that find no room (any namespace's takes room); a config read only by others explains nothing.
 */
const NEIGHBOUR_KINDS: ReadonlySet<Change['kind']> = new Set(['rollout', 'sync', 'network-policy']);

/** Pods the scheduler cannot place for lack of CPU, memory or pod slots: other pods took the room. */
function needsRoom(finding: DraftFinding): boolean {
  return (
    finding.reason === 'Unschedulable' &&
    [finding.title, ...finding.evidence].some((line) => /insufficient|too many pods/i.test(line))
  );
}

/** The config change a restart picked up: one its workload reads, made before the restart (within the lookback). */
export function configBehindRestart(change: Change, changes: readonly Change[]): Change | undefined {
  if (change.kind !== 'rollout' || !change.restart) return undefined;
  return changes.find(
    (other) =>
      other.kind === 'config' &&
      !other.mitigation &&
      other.atMs <= change.atMs + SLACK_MS &&
      change.atMs - other.atMs <= LOOKBACK_MS &&
      !!other.referencedBy?.some((reader) => sameRef(reader, change.workload)),
  );
}

/** The restarts after a config change that started pods reading it. */
function restartsAfter(config: Change, changes: readonly Change[]): Change[] {
  return changes.filter((change) => configBehindRestart(change, changes) === config);
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

function describeWorkload(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}`;
}

function rank(finding: DraftFinding): number {
  return finding.severity === 'critical' ? 0 : 1;
}

function toSuspect(
  { change, finding, gapMs, tier }: Candidate,
  commits: readonly Commit[],
  changes: readonly Change[],
): Suspect {
  // Under a second apart (a change that is its own finding: a policy that cuts traffic as it lands).
  // A failure only seen now (the pods scraped, no history) has no first failure to put a change before.
  const apart =
    Math.abs(gapMs) < 1000
      ? 'at the same time'
      : gapMs > 0
        ? `${formatAge(gapMs)} before`
        : `${formatAge(-gapMs)} after`;
  const when = finding.firstSeenOnly ? `${formatAge(Math.max(0, gapMs))} before it was measured` : apart;
  const first =
    finding.firstFailureMs === undefined || finding.firstSeenOnly
      ? ''
      : ` (first failure ${formatClock(finding.firstFailureMs)})`;
  const parts = [`${when}: ${finding.title.replace(/ since \d\d:\d\d$/, '')}${first}`];
  if (change.detail) parts.push(change.detail);
  const failing = finding.workload ? describeWorkload(finding.workload) : 'the failing workload';
  if (tier === 1) parts.push(`its new pods take room the pending pods of ${failing} need`);
  if (tier === 2 && change.kind !== 'network-policy')
    parts.push(`another workload of the namespace: a cause only if ${failing} depends on it`);
  if (change.kind === 'config') {
    const readers = (change.referencedBy ?? []).map(describeWorkload);
    parts.push(`read by ${readers.join(', ')}`);
    for (const restart of restartsAfter(change, changes))
      parts.push(
        `${restart.workload.kind.toLowerCase()} ${restart.workload.namespace}/${restart.workload.name} restarted at ${formatClock(restart.atMs)}: its new pods read the changed config`,
      );
  }
  if (change.kind === 'network-policy' && change.referencedBy?.length)
    parts.push(`it selects the pods of ${change.referencedBy.map(describeWorkload).join(', ')}`);
  const config = configBehindRestart(change, changes);
  if (config) parts.push(`a restart, not a new version: it made the pods re-read ${configChangePhrase(config)}`);
  if (change.kind === 'rollout' && !change.restart) {
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

import { formatDuration, parseDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';
import type { GettableAlert, PostableSilence } from '../../triage/adapters/alertmanager-types.js';
import type { ActionPlan, LinkedAlert } from '../action-types.js';
import type { ActionWith } from '../action-with.js';
import type { SilenceApi } from '../ports.js';
import { formatMatcher, matchesAll, namesAlert, parseMatchers } from './silence-matchers.js';

export const DEFAULT_SILENCE_DURATION = '1h';
/** Alertmanager keeps silences of any length; a page's silence longer than this is a mistake. */
const LONGEST_SILENCE_MS = 7 * 86_400_000;

/** An alert a silence would cover, as the plan shows it. */
export interface CoveredAlert {
  name: string;
  fingerprint: string;
  labels: Record<string, string>;
  /** Whether the alert is linked to the incident. */
  linked: boolean;
}

/** What apply needs: the silence (times set at apply), its length, what it covers, why it is broad. */
export interface SilencePlanDetail {
  silence: Omit<PostableSilence, 'startsAt' | 'endsAt'>;
  durationMs: number;
  covers: CoveredAlert[];
  /** Why the silence hides more than the plan was about (empty: it does not). */
  broad: string[];
}

export interface SilencePlanInput {
  api: Pick<SilenceApi, 'name' | 'alerts'>;
  now: Date;
  /** The alerts linked to the incident: a silence covering others is broad. */
  linked: readonly LinkedAlert[];
  incidentId: string | undefined;
  createdBy: string;
}

/**
 * Plans a silence: its matchers (the alertname and the extra ones), its length, its comment naming
 * the incident, and the alerts it covers now (firing or already silenced). It is broad — needing a
 * confirmation --yes does not give — when it names no alert, or covers alerts the incident did not link.
 */
export async function planSilence(input: SilencePlanInput, w: ActionWith<'alertmanager.silence'>): Promise<ActionPlan> {
  const given = w.matchers === undefined ? [] : Array.isArray(w.matchers) ? w.matchers : [w.matchers];
  const extra = given.length > 0 || !w.alertname ? given : scopeOfLinked(input.linked, w.alertname);
  const matchers = parseMatchers([...(w.alertname ? [`alertname=${JSON.stringify(w.alertname)}`] : []), ...extra]);
  if (matchers.length === 0) throw new UsageError('a silence needs at least one matcher (alertname or matchers)');
  const durationMs = parseDuration(w.duration ?? DEFAULT_SILENCE_DURATION, 'duration');
  if (durationMs < 60_000 || durationMs > LONGEST_SILENCE_MS)
    throw new UsageError(`a silence lasts from 1m to 7d, not ${w.duration}`);
  const linked = new Set(input.linked.map((a) => a.fingerprint));
  const alerts = await input.api.alerts({ silenced: true, inhibited: true });
  const covers = alerts.filter((a) => matchesAll(matchers, a.labels ?? {})).map((a) => covered(a, linked));
  const broad = broadReasons(matchers, covers, linked.size > 0);
  const shown = matchers.map(formatMatcher).join(', ');
  const endsAt = new Date(input.now.getTime() + durationMs).toISOString();
  const silence = {
    matchers,
    createdBy: input.createdBy,
    comment: silenceComment(input.incidentId, w.comment),
  };
  const warnings = [...broad.map((why) => `broad silence: ${why}`)];
  if (covers.length === 0) warnings.push('no alert matches these matchers now; the silence covers the next ones');
  return {
    action: 'alertmanager.silence',
    summary: `silence ${shown} for ${formatDuration(durationMs)} in ${input.api.name}`,
    target: { kind: 'Silence', name: shown },
    before: { covers: covers.map((c) => c.fingerprint) },
    after: { silence: { ...silence, matchers: matchers.map(formatMatcher), endsAt } },
    diff: [
      `+silence ${shown} until about ${endsAt}, by ${input.createdBy}: ${silence.comment}`,
      ...covers.map(
        (c) =>
          `  covers ${c.name} ${describeLabels(c.labels)} (${c.fingerprint})${c.linked ? '' : ' [not linked to the incident]'}`,
      ),
    ],
    dryRun: 'not-applicable',
    warnings: warnings.length ? warnings : undefined,
    detail: { silence, durationMs, covers, broad } satisfies SilencePlanDetail as unknown as Record<string, unknown>,
  };
}

/** The comment names the incident first, so whoever sees the silence knows why it is there. */
export function silenceComment(incidentId: string | undefined, comment: string | undefined): string {
  const why = comment?.trim() || 'silenced while the incident is handled';
  if (!incidentId) return `inc (no incident open): ${why}`;
  return why.includes(incidentId) ? why : `${incidentId}: ${why}`;
}

/** Why a silence is broad; empty when it names an alert and covers only alerts of the incident. */
export function broadReasons(
  matchers: Parameters<typeof namesAlert>[0],
  covers: readonly CoveredAlert[],
  incidentHasAlerts: boolean,
): string[] {
  const reasons: string[] = [];
  if (!namesAlert(matchers)) reasons.push('it has no alertname matcher, so it hides any alert with these labels');
  const others = covers.filter((c) => !c.linked);
  if (incidentHasAlerts && others.length > 0)
    reasons.push(
      `it also covers ${others.length} alert(s) not linked to the incident (${[...new Set(others.map((o) => o.name))].join(', ')})`,
    );
  // Nothing linked to compare with: an alert firing in several namespaces is several teams' pages.
  const namespaces = [...new Set(covers.map((c) => c.labels.namespace).filter(Boolean))].sort();
  if (!incidentHasAlerts && namespaces.length > 1)
    reasons.push(
      `it covers alerts in ${namespaces.length} namespaces (${namespaces.join(', ')}), and the incident links none of them`,
    );
  return reasons;
}

function covered(alert: GettableAlert, linked: ReadonlySet<string>): CoveredAlert {
  const labels = { ...alert.labels };
  return {
    name: labels.alertname ?? '(no alertname)',
    fingerprint: alert.fingerprint,
    labels,
    linked: linked.has(alert.fingerprint),
  };
}

function describeLabels(labels: Record<string, string>): string {
  const shown = Object.entries(labels).filter(([name]) => name !== 'alertname');
  return `{${shown.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}}`;
}

/** The labels that say where an alert fires; a silence taken from the incident's alerts keeps these. */
const SCOPE_LABELS = ['namespace', 'deployment', 'statefulset', 'daemonset', 'job_name', 'pod', 'service', 'container'];

/**
 * Matchers from the alerts of that name linked to the incident: each scope label all of them carry,
 * equal when they agree, else a regex of their values. None linked: no extra matcher.
 */
export function scopeOfLinked(linked: readonly LinkedAlert[], alertname: string): string[] {
  const alerts = linked.filter((a) => a.name === alertname);
  if (alerts.length === 0) return [];
  const matchers: string[] = [];
  for (const label of SCOPE_LABELS) {
    const values = [...new Set(alerts.map((a) => a.labels[label]))];
    if (values.some((v) => v === undefined || v === '')) continue;
    const sorted = (values as string[]).sort();
    matchers.push(
      sorted.length === 1
        ? `${label}=${JSON.stringify(sorted[0])}`
        : `${label}=~${JSON.stringify(sorted.map(escapeRegex).join('|'))}`,
    );
  }
  return matchers;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import type { TriageEntry } from '../incident/state.js';
import { formatClockUtc, formatDateTimeUtc } from './format-time.js';
import { describeSuspect } from './next-step.js';

interface Lead {
  key: string;
  why: string | undefined;
  firstAt: Date;
  lastAt: Date;
  /** The triages that named it (a suspect listed twice by one triage counts once). */
  triageIds: Set<string>;
}

/** "first seen 2026-01-10 14:03 UTC, last 14:20 UTC, in 9 triages"; the date repeats only when it changed. */
function seen(lead: Lead): string {
  const first = formatDateTimeUtc(lead.firstAt);
  const triages = lead.triageIds.size;
  if (triages === 1) return `seen ${first}`;
  const sameDay = lead.firstAt.toISOString().slice(0, 10) === lead.lastAt.toISOString().slice(0, 10);
  const last = sameDay ? formatClockUtc(lead.lastAt) : formatDateTimeUtc(lead.lastAt);
  return `first seen ${first}, last ${last}, in ${triages} triages`;
}

/**
 * The suspects of every triage as leads for the root cause: one line per suspect (a suspect named by
 * nine triages is one lead), in the order first seen, each with when it was first and last seen.
 */
export function describeLeads(triages: readonly TriageEntry[]): string[] {
  const leads = new Map<string, Lead>();
  for (const triage of triages) {
    const at = new Date(triage.at);
    for (const suspect of triage.suspects ?? []) {
      // One suspect is one change of one workload; why it is suspected is taken from its latest sighting.
      const key = describeSuspect(suspect);
      const lead = leads.get(key) ?? { key, why: undefined, firstAt: at, lastAt: at, triageIds: new Set<string>() };
      if (at < lead.firstAt) lead.firstAt = at;
      if (at >= lead.lastAt) {
        lead.lastAt = at;
        lead.why = suspect.why || lead.why;
      }
      lead.triageIds.add(triage.eventId);
      leads.set(key, lead);
    }
  }
  return [...leads.values()].map((lead) => `${lead.key}${lead.why ? ` (${lead.why})` : ''}; ${seen(lead)}`);
}

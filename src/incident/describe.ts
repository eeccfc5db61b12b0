import { describeActingAs } from './acting-as.js';
import { deliveryTarget, describeUndelivered } from './delivery.js';
import type { IncidentEvent } from './event.js';

/** Times for people, in the machine's local time zone. */
export function formatLocalTime(iso: string, options: { date?: boolean; seconds?: boolean } = {}): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}${options.seconds === false ? '' : `:${pad(date.getSeconds())}`}`;
  const time = wallTimeRepeats(date) ? `${clock} (${utcOffsetOf(date)})` : clock;
  if (!options.date) return time;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/**
 * Whether the local clock shows this time twice, in the hour repeated when summer time ends: 02:30
 * in Berlin on the last Sunday of October is 00:30 UTC and 01:30 UTC. Such a time carries its offset.
 */
function wallTimeRepeats(date: Date): boolean {
  const offset = date.getTimezoneOffset();
  return [-3, 3].some((hours) => {
    const other = new Date(date.getTime() + hours * 3_600_000).getTimezoneOffset();
    if (other === offset) return false;
    const twin = new Date(date.getTime() + (other - offset) * 60_000);
    return (
      twin.getTimezoneOffset() !== offset &&
      twin.getHours() === date.getHours() &&
      twin.getMinutes() === date.getMinutes()
    );
  });
}

/** "UTC+02:00", "UTC-04:00" */
function utcOffsetOf(date: Date): string {
  const east = -date.getTimezoneOffset();
  const abs = Math.abs(east);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `UTC${east < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A time shown beside another (the moment it was recorded): with its date when that is another day. */
export function formatLocalTimeBeside(iso: string, referenceIso: string, options: { seconds?: boolean } = {}): string {
  const sameDay =
    formatLocalTime(iso, { date: true }).slice(0, 10) === formatLocalTime(referenceIso, { date: true }).slice(0, 10);
  return formatLocalTime(iso, { ...options, date: !sameDay });
}

/** An offset from the declaration: "+00:07", "-00:05", "+26:03" (hours:minutes). */
export function formatOffset(ms: number): string {
  // Rounded to the nearest minute: processes stamp events a few hundred milliseconds apart.
  const whole = Math.round(ms / 60_000) || 0;
  const sign = whole < 0 ? '-' : '+';
  const minutes = Math.abs(whole);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function quoted(text: string): string {
  return `"${text}"`;
}

/** One line describing an event, without its time: `severity SEV3 → SEV2: checkout failing`. */
export function describeEvent(event: IncidentEvent): string {
  switch (event.type) {
    case 'declared': {
      const d = event.data;
      const extra = [
        d.commander ? `commander ${d.commander}` : '',
        d.services.length ? `services ${d.services.join(', ')}` : '',
      ].filter(Boolean);
      return `declared ${d.severity} ${quoted(d.title)}${extra.length ? ` (${extra.join('; ')})` : ''}`;
    }
    case 'alert': {
      const d = event.data;
      return `alert ${d.name} (${d.fingerprint}), firing since ${formatLocalTimeBeside(d.startsAt, event.at)}${d.annotations.summary ? `: ${d.annotations.summary}` : ''}`;
    }
    case 'impact':
      return `impact started ${formatLocalTimeBeside(event.data.startedAt, event.at)}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'severity':
      return `severity ${event.data.from ? `${event.data.from} → ` : ''}${event.data.to}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'status':
      return `${event.data.state}${event.data.at && event.data.at !== event.at ? ` (at ${formatLocalTimeBeside(event.data.at, event.at)})` : ''}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'role':
      return `role ${event.data.role}: ${event.data.previous ? `${event.data.previous} → ` : ''}${event.data.name}`;
    case 'note': {
      const d = event.data;
      const label = d.kind === 'action-item' ? 'action item' : d.kind;
      const extra = [
        d.owner ? `owner ${d.owner}` : '',
        d.due ? `due ${d.due.slice(0, 10)}` : '',
        d.itemType ?? '',
        d.priority ?? '',
      ].filter(Boolean);
      return `${label}: ${d.text}${extra.length ? ` (${extra.join(', ')})` : ''}${d.evidence ? ` [${d.evidence}]` : ''}`;
    }
    case 'triage':
      // The headline already gives the counts (or why there are none): `(0 critical, 0 warning)` after
      // "could not read the cluster" would read as an all-clear.
      return `triage ${event.data.context}: ${event.data.headline}`;
    case 'action': {
      const d = event.data;
      const actingAs = d.actingAs ? ` (as ${describeActingAs(d.actingAs)})` : '';
      // An undo's own `undone` event: "action undone: scale … from 5 to 3" read as if the scale to 5 stood.
      const what = d.phase === 'undone' && d.undoes ? `undo of ${d.undoes} applied` : `action ${d.phase}`;
      return `${what}${d.dryRun ? ' (dry run)' : ''}: ${d.summary}${actingAs}${d.error ? ` — ${d.error}` : ''}`;
    }
    case 'update': {
      const d = event.data;
      const post = d.post
        ? d.post.ok
          ? ` — ${d.resends ? 'resent' : 'posted'} to ${deliveryTarget(d.post)}`
          : ` — ${describeUndelivered(d.post)}`
        : '';
      return `status update (${d.status}, ${d.format})${d.message ? `: ${d.message}` : ''}${post}`;
    }
    case 'escalation': {
      const d = event.data;
      const level = d.severity ? ` (${d.severity})` : '';
      const page = d.paged ? ', paged' : d.page && !d.page.ok ? `, page ${describeUndelivered(d.page)}` : '';
      return `escalated${level} to ${d.to.join(', ')}${page}${d.reason ? `: ${d.reason}` : ''}`;
    }
    case 'resolved':
      return `resolved${event.data.falsePositive ? ' as a false positive' : ''}${event.data.at && event.data.at !== event.at ? ` (at ${formatLocalTimeBeside(event.data.at, event.at)})` : ''}${event.data.summary ? `: ${event.data.summary}` : ''}`;
    case 'postmortem':
      return `postmortem written: ${event.data.path}`;
    default:
      return (event as { type: string }).type;
  }
}

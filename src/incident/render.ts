import { formatDuration } from '../duration.js';
import { clipEventTexts, clipText, STATUS_TEXT_COLUMNS } from './clip-text.js';
import { describeUndelivered } from './delivery.js';
import { describeEvent, formatLocalTime, formatLocalTimeBeside, formatOffset } from './describe.js';
import type { IncidentEvent, TypedEvent } from './event.js';
import { TIME_LABELS } from './metrics.js';
import { renderLastActions } from './render-actions.js';
import { renderEngage, renderTargets, renderTimeBox } from './render-targets.js';
import type { IncidentState, TargetStatus } from './state.js';
import { formatColumns, type TextStyle } from './text-style.js';

export { formatColumns, type TextStyle } from './text-style.js';

/** What `inc start` shows beside the declaration: whom to engage, the targets, when the first update is due. */
export interface DeclaredDiscipline {
  nextUpdateDueAt: string | undefined;
  cadenceMinutes: number | null;
  targets: readonly TargetStatus[];
  escalation: readonly string[];
  contacts: Readonly<Record<string, string>>;
  now: Date;
}

export function renderDeclared(
  id: string,
  event: TypedEvent<'declared'>,
  discipline: DeclaredDiscipline,
  style: TextStyle,
): string[] {
  const d = event.data;
  const impact = d.impactStartedAt ? `impact started ${formatLocalTimeBeside(d.impactStartedAt, event.at)}, ` : '';
  const then = discipline.cadenceMinutes ? `, then every ${discipline.cadenceMinutes} min` : '';
  const due = discipline.nextUpdateDueAt
    ? `first status update (due by ${formatLocalTime(discipline.nextUpdateDueAt, { seconds: false })}${then})`
    : 'a first status update';
  const steps: [string, string][] = [
    ['inc ack', 'acknowledge the page'],
    ['inc triage', 'what is broken, what changed, what to do'],
    [
      d.commander ? 'inc role scribe NAME' : 'inc role commander NAME',
      d.commander ? 'name a scribe' : 'name who leads',
    ],
    ['inc update --status investigating', due],
    ['inc note "TEXT"', 'record what you see and decide (TODO: … for follow-ups)'],
  ];
  const lines = [
    `${style.bold(`Declared ${id}`)} (${d.severity}): ${d.title}`,
    `${impact}declared ${formatLocalTime(event.at)}; it is now the current incident and inc commands record into it.`,
  ];
  if (discipline.escalation.length) {
    lines.push('', `Engage now (${d.severity}):`, ...renderEngage(discipline.escalation, discipline.contacts, style));
  }
  if (discipline.targets.length)
    lines.push('', 'Targets:', ...renderTargets(discipline.targets, discipline.now, style));
  lines.push(
    '',
    'Next steps:',
    ...formatColumns(
      steps.map(([cmd, why]) => [`  ${cmd}`, why]),
      (_r, c, cell) => (c === 0 ? style.cmd(cell) : cell),
    ),
  );
  return lines;
}

/**
 * An event as the timeline shows it: an action names its id, the one `inc undo ID` takes (every
 * phase of one action carries the same id).
 */
function describeTimelineEvent(event: IncidentEvent): string {
  const text = describeEvent(event);
  return event.type === 'action' ? `${text} (${event.data.actionId})` : text;
}

/**
 * The timeline: local time, offset from the declaration, who, what. `actionIds` is for `inc log`,
 * where the ids are looked up; the few last events of `inc status` leave them out.
 */
export function renderTimeline(
  events: readonly IncidentEvent[],
  state: IncidentState,
  style: TextStyle,
  options: { actionIds?: boolean } = {},
): string[] {
  const declaredAt = Date.parse(state.times.declaredAt);
  const rows: string[][] = [];
  if (state.impactStartGiven) {
    const at = state.times.impactStartedAt;
    rows.push([formatLocalTime(at, { date: true }), formatOffset(Date.parse(at) - declaredAt), '', 'impact started']);
  }
  for (const event of events) {
    rows.push([
      formatLocalTime(event.at, { date: true }),
      formatOffset(Date.parse(event.at) - declaredAt),
      event.actor,
      options.actionIds ? describeTimelineEvent(event) : describeEvent(event),
    ]);
  }
  // `inc log` is where a long note is read whole, its lines kept; `inc status` shows its first line.
  return formatColumns(rows, (_r, c, cell) => (c < 2 ? style.dim(cell) : cell), {
    keepLastLines: options.actionIds,
  });
}

/** The timeline as a Markdown table, to paste into a document or chat. */
export function renderTimelineMarkdown(events: readonly IncidentEvent[], state: IncidentState): string[] {
  const declaredAt = Date.parse(state.times.declaredAt);
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `## Timeline: ${cell(state.title)}${state.id ? ` (${state.id})` : ''}`,
    '',
    '| Time | Offset | Who | Event |',
    '|---|---|---|---|',
  ];
  if (state.impactStartGiven) {
    const at = state.times.impactStartedAt;
    lines.push(
      `| ${formatLocalTime(at, { date: true })} | ${formatOffset(Date.parse(at) - declaredAt)} |  | impact started |`,
    );
  }
  for (const event of events) {
    const offset = formatOffset(Date.parse(event.at) - declaredAt);
    lines.push(
      `| ${formatLocalTime(event.at, { date: true })} | ${offset} | ${cell(event.actor)} | ${cell(describeTimelineEvent(event))} |`,
    );
  }
  return lines;
}

/** One event as a timeline line (for `inc log --follow`). */
export function renderTimelineLine(event: IncidentEvent, declaredAtIso: string, style: TextStyle): string {
  const offset = formatOffset(Date.parse(event.at) - Date.parse(declaredAtIso));
  const when = `${formatLocalTime(event.at, { date: true })}  ${offset}`;
  return formatColumns(
    [[when, event.actor, describeTimelineEvent(event)]],
    (_r, c, cell) => (c === 0 ? style.dim(cell) : cell),
    {
      keepLastLines: true,
    },
  ).join('\n');
}

/** `inc status`: the incident at a glance. */
export function renderStatus(
  state: IncidentState,
  events: readonly IncidentEvent[],
  now: Date,
  severityDescription: string | undefined,
  style: TextStyle,
  options: { logCommand?: string } = {},
): string[] {
  // A pasted log in a note must not flood the screen: free texts show their first line, cut.
  const clip = (text: string) => clipText(text, STATUS_TEXT_COLUMNS, options.logCommand ?? 'inc log');
  const lines: string[] = [];
  lines.push(`${style.bold(state.id ?? '')}  ${state.title}`);
  const field = (name: string, value: string) => lines.push(`${`${name}:`.padEnd(13)}${value}`);
  field('Severity', `${state.severity}${severityDescription ? style.dim(` (${severityDescription})`) : ''}`);
  field('State', state.open ? state.state : style.ok(state.state));
  field('Commander', state.commander ?? style.warn('nobody yet (inc role commander NAME)'));
  const otherRoles = Object.entries(state.roles).filter(([role]) => role !== 'commander');
  if (otherRoles.length) field('Roles', otherRoles.map(([role, name]) => `${role} ${name}`).join(', '));
  if (state.services.length) field('Services', state.services.join(', '));
  const since = state.impactStartGiven ? 'impact started' : 'declared';
  field(
    'Elapsed',
    `${formatDuration(state.elapsedMs)} since ${since} ${formatLocalTime(state.times.impactStartedAt, { date: true })}${state.open ? '' : ' (until resolved)'}`,
  );
  if (state.open) field('Next update', renderNextUpdate(state, now, style));
  const undelivered = renderUndeliveredUpdate(state, style);
  if (undelivered) field('Last update', undelivered);
  // Engaged is not paged: without a page webhook (or when it failed) nobody was woken by inc.
  if (state.escalations.length)
    field(
      'Escalated',
      state.escalations
        .map((e) => {
          const failed = e.page && !e.page.ok ? `page failed${e.page.error ? `, ${e.page.error}` : ''}` : 'not paged';
          const page = e.paged ? 'paged' : failed;
          return `${e.to.join(', ')} (${page})`;
        })
        .join('; '),
    );
  if (state.resolution?.at) {
    field(
      'Resolved',
      `${formatLocalTime(state.resolution.at, { date: true })}${state.resolution.summary ? `: ${clip(state.resolution.summary)}` : ''}`,
    );
  }
  const postmortem = state.postmortems.at(-1);
  if (postmortem) field('Postmortem', postmortem.path);
  const timeBox = renderTimeBox(state.timeBox, now, style);
  if (timeBox.length) lines.push('', ...timeBox);
  if (state.targets.length) lines.push('', style.heading('Targets'), ...renderTargets(state.targets, now, style));
  lines.push('', style.heading('Metrics'));
  lines.push(
    ...formatColumns(
      state.metrics.map((m) => [
        `  ${m.label}`,
        `${TIME_LABELS[m.from]} → ${TIME_LABELS[m.to]}`,
        m.ms === null ? style.dim('—') : formatDuration(m.ms),
      ]),
    ),
  );
  lines.push(...renderLastActions(state, style));
  const openItems = state.actionItems;
  if (openItems.length) {
    lines.push('', style.heading(`Action items (${openItems.length})`));
    for (const item of openItems)
      lines.push(`  - ${clip(item.text)}${item.owner ? style.dim(` (${item.owner})`) : ''}`);
  }
  lines.push('', style.heading('Last events'));
  const last = events
    .slice(-5)
    .map((event) => clipEventTexts(event, STATUS_TEXT_COLUMNS, options.logCommand ?? 'inc log'));
  lines.push(...renderTimeline(last, { ...state, impactStartGiven: false }, style).map((l) => `  ${l}`));
  return lines;
}

/**
 * The last update, when inc posted it and the webhook refused it: it counts for no cadence (the
 * next update is due as if it were never written), and how to send it again.
 */
function renderUndeliveredUpdate(state: IncidentState, style: TextStyle): string | undefined {
  const update = state.undeliveredUpdate;
  if (!update?.post) return undefined;
  const when = formatLocalTime(update.at, { seconds: false });
  const what = `${update.status} update of ${when} NOT DELIVERED: ${describeUndelivered(update.post)}, so not counted as sent`;
  // Once resolved, only the resolution can still be sent (inc update refuses any other status).
  if (!state.open && update.status !== 'resolved') return style.error(what);
  return style.error(
    `${what}; resend it: inc update --resend --incident ${state.id}, or post a new one: inc update --post --incident ${state.id}`,
  );
}

function renderNextUpdate(state: IncidentState, now: Date, style: TextStyle): string {
  if (!state.nextUpdateDueAt) return style.dim('no cadence for this severity');
  const due = Date.parse(state.nextUpdateDueAt);
  // The update itself states its next time in UTC: said here too when the local time differs.
  const local = formatLocalTime(state.nextUpdateDueAt, { seconds: false });
  const utc = state.nextUpdateDueAt.slice(11, 16);
  const at = local === utc ? local : `${local} (${utc} UTC)`;
  if (state.updateOverdue)
    return style.error(`OVERDUE by ${formatDuration(now.getTime() - due)} (was due ${at}; inc update)`);
  return `due ${at} (in ${formatDuration(due - now.getTime())})`;
}

/** What a recording command prints: the event it wrote, or why it wrote nothing. */
export function renderRecorded(id: string, event: IncidentEvent): string {
  return `${id}: ${describeEvent(event)}`;
}

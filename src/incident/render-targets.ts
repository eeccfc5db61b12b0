import { formatDuration } from '../duration.js';
import { formatLocalTime } from './describe.js';
import type { TargetName, TargetStatus, TimeBox } from './state-types.js';
import { formatColumns, type TextStyle } from './text-style.js';

/** What each target asks for, and the command that meets it. */
const TARGET_TEXT: Record<TargetName, { label: string; command?: string }> = {
  acknowledge: { label: 'acknowledge the page', command: 'inc ack' },
  respond: { label: 'response under way', command: 'inc triage' },
  'first-update': { label: 'first status update', command: 'inc update' },
  resolve: { label: 'resolve (MTTR goal)' },
  postmortem: { label: 'postmortem written', command: 'inc postmortem' },
};

function time(iso: string, date = false): string {
  return formatLocalTime(iso, { seconds: false, date });
}

/** Whom the severity engages: each escalation entry with its contact from the config, or how to add one. */
export function renderEngage(
  escalation: readonly string[],
  contacts: Readonly<Record<string, string>>,
  style: TextStyle,
): string[] {
  return formatColumns(
    escalation.map((key) => [
      `  ${key}`,
      contacts[key] ?? style.dim(`(no contact: set contacts.${key} in the config)`),
    ]),
  );
}

/** One line per target: its deadline, counted down from `now`, and whether it was met or missed. */
export function renderTargets(targets: readonly TargetStatus[], now: Date, style: TextStyle): string[] {
  const width = Math.max(...targets.map((t) => TARGET_TEXT[t.target].label.length));
  return targets.map((t) => {
    const { label, command } = TARGET_TEXT[t.target];
    const due = Date.parse(t.dueAt);
    const long = due - now.getTime() > 86_400_000 || now.getTime() - due > 86_400_000;
    const by = time(t.dueAt, long || t.target === 'postmortem');
    let text: string;
    if (t.outcome === 'met') text = style.ok(`met at ${time(t.metAt ?? t.dueAt)} (due ${by})`);
    else if (t.metAt)
      text = style.error(`MISSED: done at ${time(t.metAt)}, ${formatDuration(Date.parse(t.metAt) - due)} after ${by}`);
    else if (t.outcome === 'missed') {
      const next = command ? `; ${command}` : '';
      text = style.error(`MISSED: due ${by}, ${formatDuration(now.getTime() - due)} ago${next}`);
    } else
      text = `due ${by} (in ${formatDuration(due - now.getTime())}${t.businessHours ? ', business hours' : ''})${command ? style.dim(`: ${command}`) : ''}`;
    return `  ${label.padEnd(width)}  ${text}`;
  });
}

/** The time-box, once it is over: roll back if unsure, naming the rollback triage suggested. */
export function renderTimeBox(timeBox: TimeBox | undefined, now: Date, style: TextStyle): string[] {
  if (!timeBox?.exceeded) return [];
  const over = formatDuration(now.getTime() - Date.parse(timeBox.endsAt) + timeBox.minutes * 60_000);
  const lines = [
    style.warn(
      `Time-box: investigating for ${over} without a mitigation (time-box ${timeBox.minutes} min): roll back if unsure.`,
    ),
  ];
  lines.push(
    timeBox.rollback
      ? `  ${style.cmd(timeBox.rollback.command)}`
      : style.dim('  no rollback suggested yet: inc triage names one when a recent change is the suspect'),
  );
  return lines;
}

import stringWidth from 'string-width';
import type { IncidentEvent } from './event.js';

/** How much of a free text (a note, an update's message, a summary) `inc status` shows on its line. */
export const STATUS_TEXT_COLUMNS = 100;

/**
 * A free text shortened to its first line and `maxColumns` terminal columns, with a marker saying what
 * was left out and where it is whole (`… (+199 lines; inc log shows it whole)`); unchanged when it fits.
 */
export function clipText(text: string, maxColumns: number, wholeIn: string): string {
  const lines = text.trim().split(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])[ \t]*/);
  const first = lines[0] ?? '';
  const moreLines = lines.slice(1).filter((line) => line !== '').length;
  if (!moreLines && stringWidth(first) <= maxColumns) return text;
  let cut = '';
  let width = 0;
  for (const char of first) {
    const w = stringWidth(char);
    if (width + w > maxColumns - 1) break;
    cut += char;
    width += w;
  }
  const shortened = cut.length < first.length;
  const rest = moreLines ? `+${moreLines} line${moreLines === 1 ? '' : 's'}; ` : '';
  return `${cut.trimEnd()}${shortened || moreLines ? '…' : ''} (${rest}${wholeIn} shows it whole)`;
}

/** The event with its free texts clipped for a one-line view; the log itself keeps them whole. */
export function clipEventTexts(event: IncidentEvent, maxColumns: number, wholeIn: string): IncidentEvent {
  const clip = (text: string | undefined) => (text === undefined ? undefined : clipText(text, maxColumns, wholeIn));
  switch (event.type) {
    case 'note':
      return { ...event, data: { ...event.data, text: clip(event.data.text) as string } };
    case 'update':
      return { ...event, data: { ...event.data, message: clip(event.data.message) } };
    case 'resolved':
      return { ...event, data: { ...event.data, summary: clip(event.data.summary) } };
    case 'severity':
    case 'status':
    case 'escalation':
      return { ...event, data: { ...event.data, reason: clip(event.data.reason) } } as IncidentEvent;
    default:
      return event;
  }
}

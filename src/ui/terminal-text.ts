import { randomBytes } from 'node:crypto';
import { redactText } from '../incident/redact.js';
import { sanitizeUntrusted } from './sanitize.js';

/**
 * inc's own escape sequences (colours, clearing the screen) are written with this mark in place of ESC,
 * so the output port can strip every real ESC (all of which came from untrusted text) and then turn the
 * marks back. The random part makes the mark impossible to forge from a log line.
 */
const OWN_ESC = `\uE000${randomBytes(6).toString('hex')}\uE001`;
const OWN_SGR = new RegExp(`${OWN_ESC}\\[[0-9;]*m`, 'g');

/** Marks the escape sequences of text inc produced itself (chalk's colours) as inc's own. */
export function markOwnSequences(text: string): string {
  return text.replaceAll('\u001b', OWN_ESC);
}

/** Clears a terminal screen and homes the cursor (`--watch`). */
export const CLEAR_SCREEN = markOwnSequences('\u001b[2J\u001b[H');

/**
 * The one exit to a terminal or pipe: strips control sequences that are not inc's own, redacts secrets,
 * then restores inc's colours. Redaction looks at the text without colours, so a colour change inside
 * a secret cannot hide it; a line that had to be redacted loses its colours.
 */
export function toTerminal(text: string): string {
  const clean = sanitizeUntrusted(text);
  const visible = clean.replace(OWN_SGR, '');
  const redacted = redactText(visible);
  if (redacted === visible) return restore(clean);
  const lines = clean.split('\n');
  const redactedLines = lines.map((line) => redactText(line.replace(OWN_SGR, '')));
  // Per line only when that finds the same as the whole text (a private key block spans lines).
  if (redactedLines.join('\n') !== redacted) return restore(redacted);
  return lines
    .map((line, i) => {
      const plain = line.replace(OWN_SGR, '');
      return redactedLines[i] === plain ? restore(line) : (redactedLines[i] as string);
    })
    .join('\n');
}

/** Text for the clipboard or a post: untrusted control sequences stripped, secrets redacted, no colours. */
export function toPlainText(text: string): string {
  return redactText(sanitizeUntrusted(text).replace(OWN_SGR, '').replaceAll(OWN_ESC, ''));
}

function restore(text: string): string {
  return text.replaceAll(OWN_ESC, '\u001b');
}

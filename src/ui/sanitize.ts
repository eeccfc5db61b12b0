import stripAnsi from 'strip-ansi';

/**
 * Control characters left once escape sequences are gone: C0 but tab and newline, DEL, C1, and the
 * Unicode bidirectional overrides that make a line read differently from what it holds.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes text that did not come from inc safe for a terminal: escape sequences (CSI, OSC, among them
 * OSC 52 clipboard writes, DCS, …) are removed whole, then every other control character but tab and
 * newline; CRLF becomes a newline.
 */
export function sanitizeUntrusted(text: string): string {
  return stripAnsi(text.replaceAll('\r\n', '\n')).replace(CONTROL_CHARACTERS, '');
}

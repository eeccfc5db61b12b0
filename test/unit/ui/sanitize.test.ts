import { describe, expect, it } from 'vitest';
import { sanitizeUntrusted } from '../../../src/ui/sanitize.js';

const ESC = '\u001b';

describe('sanitizeUntrusted', () => {
  it.each([
    ['clear screen', `${ESC}[2J${ESC}[Hhello`, 'hello'],
    ['fake colours', `${ESC}[32mALL GREEN${ESC}[0m`, 'ALL GREEN'],
    ['an OSC 52 clipboard write (BEL)', `a${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007b`, 'ab'],
    ['an OSC 52 clipboard write (ST)', `a${ESC}]52;c;cm0gLXJmIH4v${ESC}\\b`, 'ab'],
    ['a window title', `${ESC}]0;pwned${ESC}\\ok`, 'ok'],
    ['an 8-bit CSI', 'x\u009b31my', 'xy'],
    ['a DCS string', `${ESC}Pq#0;2;0;0;0${ESC}\\done`, 'done'],
    ['carriage returns that overwrite a line', 'real\rfake', 'realfake'],
    ['bell, backspace and NUL', 'a\u0007\u0008\u0000b', 'ab'],
    ['bidirectional overrides', 'abc\u202edcba', 'abcdcba'],
    ['a lone ESC', `a${ESC}b`, 'ab'],
  ])('strips %s', (_name, input, expected) => {
    expect(sanitizeUntrusted(input)).toBe(expected);
  });

  it('keeps tabs, newlines and non-ASCII text; CRLF becomes a newline', () => {
    expect(sanitizeUntrusted('a\tb\r\nc ✓ é 日本')).toBe('a\tb\nc ✓ é 日本');
  });
});

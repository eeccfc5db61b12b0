import { beforeAll, describe, expect, it } from 'vitest';
import { loadSecretShapes } from '../../../src/incident/secret-shapes.js';
import { SpyOutput, streamOutput } from '../../../src/ui/output.js';
import { CLEAR_SCREEN, toPlainText, toTerminal } from '../../../src/ui/terminal-text.js';
import { createTheme } from '../../../src/ui/theme.js';

const ESC = '\u001b';

beforeAll(async () => {
  await loadSecretShapes();
});

describe('toTerminal', () => {
  const theme = createTheme(true);

  it("keeps inc's own colours and strips the ones that came with the text", () => {
    const text = `${theme.error('CRITICAL')} log: ${ESC}[32mall good${ESC}[0m`;
    expect(toTerminal(text)).toBe(`${ESC}[31mCRITICAL${ESC}[39m log: all good`);
  });

  it('strips escape sequences passed through a theme colour', () => {
    expect(toTerminal(theme.bold(`title ${ESC}]52;c;ZXZpbA==\u0007`))).toBe(`${ESC}[1mtitle ${ESC}[22m`);
  });

  it('cannot be tricked by a forged mark: only the random mark of this process counts', () => {
    expect(toTerminal(`\uE000[31mred?`)).toBe('\uE000[31mred?');
    expect(toTerminal(`x${ESC}[2Jy`)).toBe('xy');
    expect(toTerminal(CLEAR_SCREEN)).toBe(`${ESC}[2J${ESC}[H`);
  });

  it('redacts a secret even when a colour change splits it, and keeps colours on the other lines', () => {
    const text = `${theme.bold('ok line')}\n${theme.dim('password:')} hunter2-xyz`;
    const out = toTerminal(text);
    expect(out).not.toContain('hunter2-xyz');
    expect(out.split('\n')[0]).toBe(`${ESC}[1mok line${ESC}[22m`);
    expect(out.split('\n')[1]).toBe('password: [REDACTED]');
  });

  it('redacts a private key block that spans lines', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    expect(toTerminal(`${theme.bold('key')}\n${key}`)).not.toContain('MIIEowIBAAKCAQEA');
  });
});

describe('the output port', () => {
  it('sanitises and redacts every write, to stdout and stderr', () => {
    const written: string[] = [];
    const output = streamOutput({ write: (s: string) => written.push(s) }, { write: (s: string) => written.push(s) });
    output.out(`log ${ESC}[2J postgres://app:Pg-S3cret-77@db/app`);
    output.err(`error: ${ESC}]52;c;ZXZpbA==\u0007 Bearer zq81Tok3nValue0042`);
    expect(written.join('')).not.toContain(ESC);
    expect(written.join('')).not.toMatch(/Pg-S3cret-77|zq81Tok3nValue0042/);
  });

  it('does so for command tests too', () => {
    const spy = new SpyOutput();
    spy.out(`${ESC}[31mx password=abcdef`);
    expect(spy.stdout).toBe('x password=[REDACTED]\n');
  });
});

describe('toPlainText', () => {
  it('gives the clipboard and posts plain, redacted text', () => {
    expect(toPlainText(`${createTheme(true).bold('Status')} token: tk-123456 ${ESC}[2J`)).toBe(
      'Status token: [REDACTED] ',
    );
  });
});

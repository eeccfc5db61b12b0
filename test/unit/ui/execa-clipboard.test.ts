import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clipboardTools, copyToClipboard, osc52 } from '../../../src/ui/execa-clipboard.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-clipboard-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('clipboardTools', () => {
  it('picks the tool of each platform and display', () => {
    expect(clipboardTools('darwin', {}).map((t) => t.command)).toEqual(['pbcopy']);
    expect(clipboardTools('win32', {}).map((t) => t.command)).toEqual(['clip.exe']);
    expect(clipboardTools('linux', { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }).map((t) => t.command)).toEqual([
      'wl-copy',
      'xclip',
      'xsel',
    ]);
    expect(clipboardTools('linux', { WSL_DISTRO_NAME: 'Ubuntu' }).map((t) => t.command)).toEqual(['clip.exe']);
    expect(clipboardTools('linux', {})).toEqual([]);
  });
});

describe('copyToClipboard', () => {
  it('pipes the text to the first tool that works', async () => {
    const out = join(dir, 'clipboard.txt');
    writeFileSync(join(dir, 'xclip'), `#!/bin/sh\ncat > "${out}"\n`);
    chmodSync(join(dir, 'xclip'), 0o755);
    const env = { PATH: `${dir}:${process.env.PATH ?? ''}`, DISPLAY: ':0' };
    const result = await copyToClipboard('*Conditions:* ok\n', { platform: 'linux', env });
    expect(result).toEqual({ copied: true, tool: 'xclip' });
    expect(readFileSync(out, 'utf8')).toBe('*Conditions:* ok\n');
  });

  it('says why nothing was copied', async () => {
    expect(await copyToClipboard('x', { platform: 'linux', env: { PATH: dir } })).toEqual({
      copied: false,
      reason: 'no clipboard available (no display; install wl-clipboard, xclip or xsel)',
    });
    expect(await copyToClipboard('x', { platform: 'linux', env: { PATH: dir, DISPLAY: ':0' } })).toEqual({
      copied: false,
      reason: 'xclip not installed, xsel not installed; install wl-clipboard, xclip or xsel',
    });
  });
});

describe('over SSH (no clipboard tool), the terminal copies', () => {
  it('writes the OSC 52 sequence with the text in base64 to the terminal', async () => {
    let written = '';
    const terminal = { write: (text: string) => (written += text) };
    const result = await copyToClipboard('ok ✓', {
      platform: 'linux',
      env: { PATH: dir, SSH_TTY: '/dev/pts/1' },
      terminal,
    });
    expect(result).toEqual({ copied: true, tool: 'the terminal (OSC 52)' });
    expect(written).toBe(`\u001b]52;c;${Buffer.from('ok ✓').toString('base64')}\u0007`);
  });

  it('wraps the sequence for tmux, which passes it on only inside DCS', () => {
    expect(osc52('x', { TMUX: '/tmp/tmux-0/default,1,0' })).toBe('\u001bPtmux;\u001b\u001b]52;c;eA==\u0007\u001b\\');
  });

  it('prefers a clipboard tool when one works', async () => {
    writeFileSync(join(dir, 'xclip'), '#!/bin/sh\ncat > /dev/null\n');
    chmodSync(join(dir, 'xclip'), 0o755);
    let written = '';
    const result = await copyToClipboard('x', {
      platform: 'linux',
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, DISPLAY: ':0' },
      terminal: { write: (text: string) => (written += text) },
    });
    expect(result).toEqual({ copied: true, tool: 'xclip' });
    expect(written).toBe('');
  });
});

import { toPlainText } from './terminal-text.js';

/** The outcome of copying: which tool took the text, or why none could. */
export type CopyResult = { copied: true; tool: string } | { copied: false; reason: string };

interface ClipboardTool {
  command: string;
  args: string[];
}

/**
 * The clipboard tools to try, in order, for a platform: pbcopy on macOS, clip.exe on Windows
 * and WSL, wl-copy on Wayland, xclip or xsel on X11.
 */
export function clipboardTools(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): ClipboardTool[] {
  if (platform === 'darwin') return [{ command: 'pbcopy', args: [] }];
  if (platform === 'win32') return [{ command: 'clip.exe', args: [] }];
  const tools: ClipboardTool[] = [];
  if (env.WAYLAND_DISPLAY) tools.push({ command: 'wl-copy', args: [] });
  if (env.DISPLAY) {
    tools.push({ command: 'xclip', args: ['-selection', 'clipboard'] });
    tools.push({ command: 'xsel', args: ['--clipboard', '--input'] });
  }
  if (env.WSL_DISTRO_NAME) tools.push({ command: 'clip.exe', args: [] });
  return tools;
}

/**
 * The OSC 52 escape that asks the terminal itself to set the clipboard: what works over SSH, where
 * no clipboard tool can reach the user's desktop. tmux passes it on only inside its DCS wrapper.
 */
export function osc52(text: string, env: NodeJS.ProcessEnv): string {
  const sequence = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  if (!env.TMUX) return sequence;
  return `\u001bPtmux;${sequence.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`;
}

export interface CopyOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The user's terminal (stderr when it is one): the OSC 52 fallback writes there. */
  terminal?: { write(text: string): unknown };
}

/**
 * Copies text (redacted, no control sequences) to the system clipboard with the first tool that works
 * (execa, no shell); without one, through the terminal (OSC 52), as over SSH.
 */
export async function copyToClipboard(raw: string, options: CopyOptions = {}): Promise<CopyResult> {
  const text = toPlainText(raw);
  const env = options.env ?? process.env;
  const viaTool = await copyWithTool(text, clipboardTools(options.platform ?? process.platform, env), options);
  if (viaTool.copied || !options.terminal) return viaTool;
  options.terminal.write(osc52(text, env));
  return { copied: true, tool: 'the terminal (OSC 52)' };
}

async function copyWithTool(text: string, tools: readonly ClipboardTool[], options: CopyOptions): Promise<CopyResult> {
  if (tools.length === 0) {
    return { copied: false, reason: 'no clipboard available (no display; install wl-clipboard, xclip or xsel)' };
  }
  const { execa } = await import('execa');
  const failures: string[] = [];
  for (const tool of tools) {
    try {
      await execa(tool.command, tool.args, {
        input: text,
        timeout: 5000,
        cancelSignal: options.signal,
        ...(options.env ? { env: options.env, extendEnv: false } : {}),
      });
      return { copied: true, tool: tool.command };
    } catch (error) {
      const code = (error as { code?: string }).code;
      failures.push(code === 'ENOENT' ? `${tool.command} not installed` : `${tool.command} failed`);
    }
  }
  return { copied: false, reason: `${failures.join(', ')}; install wl-clipboard, xclip or xsel` };
}

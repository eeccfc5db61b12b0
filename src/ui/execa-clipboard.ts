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

/** Copies text (redacted, no control sequences) to the clipboard with the first tool that works (execa, no shell). */
export async function copyToClipboard(
  text: string,
  options: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<CopyResult> {
  const tools = clipboardTools(options.platform ?? process.platform, options.env ?? process.env);
  if (tools.length === 0) {
    return { copied: false, reason: 'no clipboard available (no display; install wl-clipboard, xclip or xsel)' };
  }
  const { execa } = await import('execa');
  const failures: string[] = [];
  for (const tool of tools) {
    try {
      await execa(tool.command, tool.args, {
        input: toPlainText(text),
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

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assetPath } from '../assets.js';
import { FileFormatError, IncError } from '../errors.js';

/** Renders a named template (e.g. "update-slack") with data; the port the composers' callers use. */
export interface TemplateRenderer {
  render(name: string, data: object): Promise<string>;
}

export interface TemplateRendererOptions {
  /** User template folders, searched first (the config's templateDirs). */
  userDirs?: readonly string[];
  /** The built-in templates; default: `templates/` of the installed package. */
  builtinDir?: string;
}

const EXTENSION = '.liquid';

/** The built-in templates: `templates/` of the inc package (the same from the sources and the bundle). */
export function builtinTemplatesDir(): string {
  return assetPath('templates');
}

/** Escapes a value for one cell of a Markdown table. */
function markdownCell(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** Escapes the three characters Slack mrkdwn reserves. */
function slackEscape(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * People's text for Slack: escaped, with the Markdown they type out of habit turned into the
 * mrkdwn Slack renders (`**bold**` → `*bold*`, `~~gone~~` → `~gone~`, `[text](url)` → `<url|text>`).
 */
function slackText(value: unknown): string {
  return slackEscape(value)
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<$2|$1>')
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/__([^_\n]+)__/g, '_$1_')
    .replace(/~~([^~\n]+)~~/g, '~$1~');
}

/** Text as one sentence: one line, ending with a full stop unless it ends with punctuation already. */
function sentence(value: unknown): string {
  const text = oneLine(value);
  return text === '' || /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Text as one line (for list items and headings). */
function oneLine(value: unknown): string {
  return String(value ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

interface LiquidErrorLike {
  message: string;
  token?: { file?: string; getPosition?: () => [number, number] };
  originalError?: Error;
}

function toFileFormatError(error: unknown, file: string, builtin: boolean): Error {
  const liquid = error as LiquidErrorLike;
  if (!liquid || typeof liquid.message !== 'string' || !liquid.token) return error as Error;
  const [line, column] = liquid.token.getPosition?.() ?? [undefined, undefined];
  const detail = (liquid.originalError?.message ?? liquid.message)
    .replace(/, line:\d+, col:\d+$/, '')
    .replace(/, file:.*$/, '');
  const hint = builtin
    ? 'this is a bug in a built-in template; please report it'
    : 'fix the template, or remove it to use the built-in one (inc --help lists the template names)';
  return new FileFormatError(liquid.token.file ?? file, line, column, `template error: ${detail}`, hint);
}

/**
 * Creates the renderer: liquidjs (loaded on first use, so quick commands stay quick) with strict
 * variables and filters, so a misspelt field is an error naming the file and line, never a blank.
 * A template in a user folder replaces the built-in one of the same name.
 */
export async function createTemplateRenderer(options: TemplateRendererOptions = {}): Promise<TemplateRenderer> {
  // The bundle loads liquidjs's CommonJS build, whose named exports may sit on `default`.
  const liquidModule = (await import('liquidjs')) as typeof import('liquidjs') & {
    default?: typeof import('liquidjs');
  };
  const Liquid = liquidModule.Liquid ?? liquidModule.default?.Liquid;
  const builtinDir = options.builtinDir ?? builtinTemplatesDir();
  const dirs = [...(options.userDirs ?? []).filter((dir) => existsSync(dir)), builtinDir];
  const liquid = new Liquid({
    root: dirs,
    partials: dirs,
    extname: EXTENSION,
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    cache: false,
  });
  liquid.registerFilter('md_cell', markdownCell);
  liquid.registerFilter('slack_escape', slackEscape);
  liquid.registerFilter('slack_text', slackText);
  liquid.registerFilter('one_line', oneLine);
  liquid.registerFilter('sentence', sentence);
  return {
    async render(name, data) {
      const dir = dirs.find((candidate) => existsSync(join(candidate, `${name}${EXTENSION}`)));
      if (!dir)
        throw new IncError(`no template named "${name}"`, { hint: `expected ${join(builtinDir, name + EXTENSION)}` });
      const file = join(dir, `${name}${EXTENSION}`);
      const source = await readFile(file, 'utf8');
      try {
        const template = liquid.parse(source, file);
        return await liquid.render(template, data);
      } catch (error) {
        throw toFileFormatError(error, file, dir === builtinDir);
      }
    },
  };
}

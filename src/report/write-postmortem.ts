import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Clock } from '../clock.js';
import type { IncConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { createFileAtomically, replaceFileAtomically } from '../incident/atomic-file.js';
import { resolveIncidentId } from '../incident/incidents.js';
import { type Env, incHome, incidentDir } from '../incident/paths.js';
import { openRecorder } from '../incident/recorder.js';
import { redactText } from '../incident/redact.js';
import { isFileSystemError, StorageError } from '../incident/storage-error.js';
import type { Prompter } from '../prompter.js';
import {
  composePostmortem,
  POSTMORTEM_QUESTIONS,
  type Postmortem,
  type PostmortemAnswers,
} from './compose-postmortem.js';
import { loadIncident } from './load-incidents.js';
import { createTemplateRenderer } from './template-engine.js';
import { tidyMarkdown } from './tidy-markdown.js';

export interface PostmortemOptions {
  env: Env;
  clock: Clock;
  cwd: string;
  config: Pick<IncConfig, 'templateDirs'>;
  incident?: string;
  /** Asks for the parts only people know; omit to leave them as marked prompts. */
  prompter?: Prompter;
}

export interface PostmortemDraft {
  incidentId: string;
  postmortem: Postmortem;
  markdown: string;
  warnings: string[];
}

/** Composes and renders the postmortem of the current (or given) incident. */
export async function draftPostmortem(options: PostmortemOptions): Promise<PostmortemDraft> {
  const home = incHome(options.env);
  const incidentId = await resolveIncidentId(home, options.incident, { orLastResolved: true });
  if (!incidentId) {
    throw new UsageError('no incident is current, so there is nothing to write a postmortem for', {
      code: 'NO_INCIDENT',
      hint: 'name one with --incident ID (inc list shows them)',
    });
  }
  const { incident, warnings } = await loadIncident(home, incidentId, options.clock);
  if (incident.updateStatus !== 'resolved') {
    warnings.push(
      `${incidentId} is not resolved yet: the metrics and timeline stop now (inc resolve first for the final draft)`,
    );
  }
  const answers: PostmortemAnswers = {};
  if (options.prompter) {
    for (const { key, question } of POSTMORTEM_QUESTIONS) {
      answers[key] = await options.prompter.ask(`${question} (blank leaves a TODO)`, '');
    }
  }
  const postmortem = composePostmortem(incident, answers, options.clock);
  const renderer = await createTemplateRenderer({ userDirs: options.config.templateDirs });
  const markdown = tidyMarkdown(await renderer.render('postmortem.md', { pm: postmortem }));
  if (postmortem.metricWarnings.length > 0)
    warnings.push(...postmortem.metricWarnings.map((w) => `milestones out of order: ${w}`));
  return { incidentId, postmortem, markdown, warnings };
}

/**
 * Writes the postmortem to `file` (default: `postmortem.md` in the incident folder) and records a
 * `postmortem` event. An existing file is never replaced without `force`: it may hold the author's edits.
 */
export async function savePostmortem(
  options: Pick<PostmortemOptions, 'env' | 'clock' | 'cwd'> & {
    draft: PostmortemDraft;
    file?: string;
    force?: boolean;
  },
): Promise<string> {
  const home = incHome(options.env);
  const folder = incidentDir(home, options.draft.incidentId);
  const path = options.file ? resolve(options.cwd, options.file) : join(folder, 'postmortem.md');
  try {
    // Written whole or not at all; an existing file (or a link in its place) is never written through.
    const markdown = redactText(options.draft.markdown);
    if (options.force) await replaceFileAtomically(path, markdown, 0o600);
    else await createFileAtomically(path, markdown, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${path} already exists; not replacing it (it may hold edits)`, {
        code: 'FILE_EXISTS',
        hint: 'pass --force to replace it, or -o/--file to write elsewhere',
      });
    }
    throw isFileSystemError(error) ? new StorageError('write', path, error, 'no postmortem was written') : error;
  }
  const inside = relative(folder, path);
  const recorded = !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
  const recorder = await openRecorder({ env: options.env, clock: options.clock, incident: options.draft.incidentId });
  await recorder.record('postmortem', { path: recorded });
  return path;
}

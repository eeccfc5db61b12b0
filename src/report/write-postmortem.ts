import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Clock } from '../clock.js';
import type { IncConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { createFileAtomically, replaceFileAtomically } from '../incident/atomic-file.js';
import { currentIdOf, declaredIdIn, resolveIncidentId } from '../incident/incidents.js';
import { type Env, incHome, incidentDir } from '../incident/paths.js';
import { openRecorder } from '../incident/recorder.js';
import { redactText } from '../incident/redact.js';
import type { DeclaredIncident } from '../incident/state.js';
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
  config: Pick<IncConfig, 'templateDirs' | 'severities'>;
  incident?: string;
  /** Asks for the parts only people know; omit to leave them as marked prompts. */
  prompter?: Prompter;
  /** The file name of the signals chart written next to the postmortem; omit when none is written. */
  chartFile?: string;
}

export interface PostmortemDraft {
  incidentId: string;
  /** The incident's `declared` event: where it is, should a sync rename it before the draft is saved. */
  declaredId?: string;
  postmortem: Postmortem;
  markdown: string;
  warnings: string[];
  /** The signals chart (SVG) and the file name the Markdown links it by. */
  chart?: { file: string; svg: string };
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
  const { incident, warnings } = await loadIncident(home, incidentId, options.clock, {
    severities: options.config.severities,
  });
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
  const composed = composePostmortem(incident, answers, options.clock, options.config.severities);
  const chart = options.chartFile
    ? await drawSignalsChart(home, incident, options.clock, options.chartFile, warnings)
    : undefined;
  const postmortem = { ...composed, chart: chart?.file ?? null };
  const renderer = await createTemplateRenderer({ userDirs: options.config.templateDirs });
  const markdown = tidyMarkdown(await renderer.render('postmortem.md', { pm: postmortem }));
  if (postmortem.metricWarnings.length > 0)
    warnings.push(...postmortem.metricWarnings.map((w) => `milestones out of order: ${w}`));
  const declaredId = declaredIdIn(incident.events);
  return { incidentId, declaredId, postmortem, markdown, warnings, ...(chart ? { chart } : {}) };
}

/** The chart of the signals triage measured, when it flagged any; vega loads only then. */
async function drawSignalsChart(
  home: string,
  incident: DeclaredIncident,
  clock: Clock,
  file: string,
  warnings: string[],
): Promise<{ file: string; svg: string } | undefined> {
  const { signalsChartData } = await import('./chart/signals-chart-data.js');
  const { readEvidenceFigures } = await import('./chart/read-evidence-figures.js');
  const evidence = await readEvidenceFigures(incidentDir(home, incident.id), incident.triages);
  const data = signalsChartData(incident, evidence, clock.now().getTime());
  if (!data) return undefined;
  try {
    const { renderSignalsChart } = await import('./chart/render-signals-chart.js');
    return { file, svg: await renderSignalsChart(data) };
  } catch (error) {
    warnings.push(`the signals chart could not be drawn: ${(error as Error).message}`);
    return undefined;
  }
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
  // The questions can take minutes: a sync may have renamed the incident meanwhile.
  const incidentId = await currentIdOf(home, options.draft.incidentId, options.draft.declaredId);
  const folder = incidentDir(home, incidentId);
  const path = options.file ? resolve(options.cwd, options.file) : join(folder, 'postmortem.md');
  try {
    // Written whole or not at all; an existing file (or a link in its place) is never written through.
    const markdown = redactText(options.draft.markdown);
    if (options.force) await replaceFileAtomically(path, markdown, 0o600);
    else await createFileAtomically(path, markdown, 0o600);
    // The chart is drawn from the log, never edited by hand: it is always replaced.
    const chart = options.draft.chart;
    if (chart) await replaceFileAtomically(join(dirname(path), chart.file), chart.svg, 0o600);
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
  const recorder = await openRecorder({ env: options.env, clock: options.clock, incident: incidentId });
  await recorder.record('postmortem', { path: recorded });
  return path;
}

import type { Clock } from '../clock.js';
import type { IncConfig } from '../config.js';
import { readHandoffNotes } from '../incident/handoff-notes.js';
import { type Env, incHome } from '../incident/paths.js';
import { composeHandoff, type Handoff } from './compose-handoff.js';
import { loadAllIncidents } from './load-incidents.js';
import { createTemplateRenderer } from './template-engine.js';
import { tidyMarkdown } from './tidy-markdown.js';

export interface HandoffDraft {
  handoff: Handoff;
  markdown: string;
  warnings: string[];
}

/** Composes and renders the handoff note from every incident on this machine. */
export async function draftHandoff(options: {
  env: Env;
  clock: Clock;
  config: Pick<IncConfig, 'severities' | 'templateDirs' | 'contacts'>;
  /** How many days back recent incidents go (default 7). */
  days?: number;
}): Promise<HandoffDraft> {
  const { incidents, warnings } = await loadAllIncidents(incHome(options.env), options.clock, {
    severities: options.config.severities,
  });
  const handoff = composeHandoff(incidents, options.clock, options.config.severities, options.days, {
    notes: await readHandoffNotes(options.env),
    contacts: options.config.contacts,
  });
  const renderer = await createTemplateRenderer({ userDirs: options.config.templateDirs });
  const markdown = tidyMarkdown(await renderer.render('handoff.md', { handoff }));
  return { handoff, markdown, warnings };
}

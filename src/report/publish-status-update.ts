import type { Clock } from '../clock.js';
import { shellQuote } from '../cluster-flags.js';
import type { IncConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { deliveryTarget } from '../incident/delivery.js';
import { NoIncidentError } from '../incident/errors.js';
import type { DeliveryData, UpdateData } from '../incident/event.js';
import { currentIdOf, declaredIdIn, resolveIncidentId } from '../incident/incidents.js';
import { type Env, incHome } from '../incident/paths.js';
import { openRecorder } from '../incident/recorder.js';
import type { DeclaredIncident, UpdateEntry } from '../incident/state.js';
import type { UpdateStatus } from '../incident/update-status.js';
import type { Prompter } from '../prompter.js';
import { composeStatusUpdate, type StatusUpdate, type StatusUpdateInput } from './compose-status-update.js';
import { formatClockUtc, formatDateTimeUtc, formatElapsed } from './format-time.js';
import { loadIncident } from './load-incidents.js';
import { createTemplateRenderer, type TemplateRenderer } from './template-engine.js';
import { tidyMarkdown } from './tidy-markdown.js';
import { nextUpdateDue } from './update-due.js';

export interface StatusUpdateDraft {
  incident: DeclaredIncident;
  update: StatusUpdate;
  text: string;
  renderer: TemplateRenderer;
  warnings: string[];
}

export interface DraftStatusUpdateOptions {
  env: Env;
  clock: Clock;
  config: Pick<IncConfig, 'severities' | 'templateDirs'>;
  /** `--incident ID`; default the current incident. */
  incident?: string;
  input: StatusUpdateInput;
  /** Asks for the fields the log cannot give (impact, message, ETA), pre-filled; omit to ask nothing. */
  prompter?: Prompter;
}

/** Renders an update in a format through its template. */
export async function renderStatusUpdate(
  renderer: TemplateRenderer,
  update: StatusUpdate,
  format = update.format,
): Promise<string> {
  const text = await renderer.render(`update-${format}`, { update: { ...update, format } });
  return format === 'markdown' ? tidyMarkdown(text) : `${text.trimEnd()}\n`;
}

async function askMissing(
  prompter: Prompter,
  incident: DeclaredIncident,
  input: StatusUpdateInput,
): Promise<StatusUpdateInput> {
  const lastImpact = [...incident.updates].reverse().find((update) => update.impact)?.impact;
  const impact = await prompter.ask('Impact (who and what is affected)?', input.impact ?? lastImpact ?? '');
  const message = await prompter.ask('What changed since the last update?', input.message ?? '');
  const eta = await prompter.ask(
    'ETA to mitigation (blank if unknown)?',
    input.eta ?? incident.updates.at(-1)?.eta ?? '',
  );
  return { ...input, impact: impact || undefined, message: message || undefined, eta: eta || undefined };
}

/**
 * A resolved incident's last word is its resolution. An update saying it is still being worked on
 * (`--status investigating` when the impact came back) would be untrue of inc's record: no next
 * update is tracked, and the handoff lists no open incident. A recurrence is a new incident.
 */
function refuseUpdateAfterResolution(incident: DeclaredIncident, status: UpdateStatus | undefined): void {
  const resolvedAt = incident.times.resolvedAt;
  if (!resolvedAt || status === undefined || status === 'resolved') return;
  const title = shellQuote(`${incident.title} (again)`);
  throw new UsageError(
    `${incident.id} was resolved at ${formatDateTimeUtc(new Date(resolvedAt))}: an update with status ${status} would say it is still being worked on while inc counts it as over; nothing was posted or recorded`,
    {
      hint: `if the impact is back, declare a new incident: inc start ${title} --severity ${incident.severity}; for the resolution update, leave --status out`,
    },
  );
}

/** Composes and renders a status update for the current (or given) incident; records nothing. */
export async function draftStatusUpdate(
  options: DraftStatusUpdateOptions,
): Promise<StatusUpdateDraft & { incidentId: string }> {
  const home = incHome(options.env);
  // The resolution update is sent after `inc resolve`: the incident resolved last is still the default.
  const incidentId = await resolveIncidentId(home, options.incident, { orLastResolved: true });
  if (!incidentId) throw new NoIncidentError('a status update');
  const { incident, warnings } = await loadIncident(home, incidentId, options.clock, {
    severities: options.config.severities,
  });
  refuseUpdateAfterResolution(incident, options.input.status);
  const input = options.prompter ? await askMissing(options.prompter, incident, options.input) : options.input;
  const update = composeStatusUpdate(incident, input, { clock: options.clock, severities: options.config.severities });
  if (update.status === 'resolved' && incident.updateStatus !== 'resolved') {
    warnings.push(
      'this update says resolved, but the log has no resolution: run inc resolve so the metrics and handoff agree',
    );
  }
  const due = nextUpdateDue(incident, options.clock.now(), options.config.severities);
  if (due.kind === 'due' && due.overdue) {
    warnings.push(`this update is ${formatElapsed(due.overdueMs)} late (it was due at ${formatClockUtc(due.at)})`);
  }
  const renderer = await createTemplateRenderer({ userDirs: options.config.templateDirs });
  const text = await renderStatusUpdate(renderer, update);
  if (update.format === 'statuspage' && update.customer.dropped.length > 0) {
    warnings.push(
      `left out of the Statuspage text because they name internal systems or people: ${update.customer.dropped.map((s) => `"${s}"`).join(', ')}`,
    );
  }
  return { incidentId, incident, update, text, renderer, warnings };
}

/**
 * Records the update as an `update` event in its incident, with what became of its post when inc
 * posted it (`post`); returns the incident's id (a sync may have renamed it).
 */
export async function recordStatusUpdate(options: {
  env: Env;
  clock: Clock;
  incidentId: string;
  draft: StatusUpdateDraft;
  post?: DeliveryData;
}): Promise<string> {
  const { update, text } = options.draft;
  return recordUpdateEvent(options.env, options.clock, options.incidentId, options.draft.incident, {
    status: update.status,
    format: update.format,
    ...(update.message ? { message: update.message } : {}),
    ...(update.impact ? { impact: update.impact } : {}),
    ...(update.eta ? { eta: update.eta } : {}),
    text,
    ...(update.nextUpdateAt ? { nextUpdateAt: update.nextUpdateAt } : {}),
    ...(options.post ? { post: options.post } : {}),
  });
}

async function recordUpdateEvent(
  env: Env,
  clock: Clock,
  incidentId: string,
  incident: DeclaredIncident,
  data: UpdateData,
): Promise<string> {
  // A sync may have renamed the incident while the update was asked for or posted: it is recorded where it is now.
  const id = await currentIdOf(incHome(env), incidentId, declaredIdIn(incident.events));
  const recorder = await openRecorder({ env, clock, incident: id });
  await recorder.record('update', data);
  return recorder.incidentId ?? id;
}

/** The command that sends an incident's undelivered update again. */
export function resendCommand(incidentId: string): string {
  return `inc update --resend --incident ${incidentId}`;
}

/** The last update of an incident, which inc posted and the webhook refused: what `inc update --resend` sends. */
export interface UndeliveredUpdate {
  incidentId: string;
  incident: DeclaredIncident;
  update: UpdateEntry & { post: DeliveryData };
  /** The text to post: the Slack rendering that was refused. */
  text: string;
}

/** Finds the update to resend; a usage error when the last update is not one the webhook refused. */
export async function findUndeliveredUpdate(options: {
  env: Env;
  clock: Clock;
  config: Pick<IncConfig, 'severities'>;
  incident?: string;
}): Promise<UndeliveredUpdate & { warnings: string[] }> {
  const home = incHome(options.env);
  const incidentId = await resolveIncidentId(home, options.incident, { orLastResolved: true });
  if (!incidentId) throw new NoIncidentError('resending a status update');
  const { incident, warnings } = await loadIncident(home, incidentId, options.clock, {
    severities: options.config.severities,
  });
  const update = incident.undeliveredUpdate;
  if (!update?.post) {
    const last = incident.updates.at(-1);
    const said = !last
      ? 'has no status update'
      : last.post
        ? `sent its last status update (${formatDateTimeUtc(new Date(last.at))}) to ${deliveryTarget(last.post)}`
        : `recorded its last status update (${formatDateTimeUtc(new Date(last.at))}) without posting it`;
    throw new UsageError(`${incidentId} ${said}: there is no undelivered update to resend; nothing was posted`, {
      hint: 'to post a new update: inc update --post',
    });
  }
  refuseUpdateAfterResolution(incident, update.status as UpdateStatus);
  const stale = update.nextUpdateAt && Date.parse(update.nextUpdateAt) < options.clock.now().getTime();
  if (stale && incident.open) {
    warnings.push(
      `this update promises the next one by ${formatClockUtc(new Date(update.nextUpdateAt as string))}, which has passed: a new update (inc update --post) may serve better`,
    );
  }
  return {
    incidentId,
    incident,
    update: { ...update, post: update.post },
    text: update.post.text ?? update.text,
    warnings,
  };
}

/** Records an undelivered update, resent and taken this time: the same update, delivered now. */
export async function recordResentUpdate(options: {
  env: Env;
  clock: Clock;
  undelivered: UndeliveredUpdate;
}): Promise<string> {
  const { eventId: _id, at: _at, actor: _actor, post, resends: _resends, ...data } = options.undelivered.update;
  const { incidentId, incident } = options.undelivered;
  return recordUpdateEvent(options.env, options.clock, incidentId, incident, {
    ...data,
    post: { to: post.to, ok: true, ...(post.text ? { text: post.text } : {}) },
    resends: options.undelivered.update.eventId,
  });
}

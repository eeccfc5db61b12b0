import { chmod, mkdir } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { UsageError } from '../errors.js';
import type { AlertData, TypedEvent } from './event.js';
import { incidentIdFor } from './ids.js';
import { writeCurrentId } from './incidents.js';
import { actorFrom, type Env, eventsFile, incHome, incidentDir, incidentsDir } from './paths.js';
import { appendEvent } from './recorder.js';
import { isFileSystemError, StorageError } from './storage-error.js';
import { DIR_MODE, ensurePrivateDir } from './store.js';

export interface DeclareOptions {
  env: Env;
  clock: Clock;
  title: string;
  /** A canonical severity name (resolve aliases first). */
  severity: string;
  commander?: string;
  services?: readonly string[];
  /** When the impact began; default the declaration time. Must not be in the future. */
  impactStartedAt?: Date;
  /** A game day against the practice cluster. */
  practice?: boolean;
  /**
   * The alert the incident starts from (`inc start --from-alert`): recorded after the declaration,
   * which also acknowledges the page.
   */
  alert?: AlertData;
}

export interface DeclareResult {
  id: string;
  dir: string;
  event: TypedEvent<'declared'>;
}

/**
 * Declares an incident: creates its folder (0700) and log (0600), records `declared`
 * and makes it the current incident. The id gets a suffix if another incident took it.
 */
export async function declareIncident(options: DeclareOptions): Promise<DeclareResult> {
  const title = options.title.trim();
  if (!title) throw new UsageError('an incident needs a title', { hint: 'inc start "checkout errors in eu-west"' });
  const now = options.clock.now();
  if (options.impactStartedAt && options.impactStartedAt.getTime() > now.getTime()) {
    throw new UsageError('impact cannot start in the future', {
      hint: 'give when it began, e.g. --impact-started 14:02',
    });
  }
  const home = incHome(options.env);
  await ensurePrivateDir(incidentsDir(home));
  const id = await claimIncidentDir(home, incidentIdFor(title, now));
  const services = [...new Set((options.services ?? []).map((s) => s.trim()).filter(Boolean))];
  const event = await appendEvent(eventsFile(home, id), {
    type: 'declared',
    data: {
      title,
      severity: options.severity,
      ...(options.commander ? { commander: options.commander } : {}),
      services,
      ...(options.impactStartedAt ? { impactStartedAt: options.impactStartedAt.toISOString() } : {}),
      ...(options.practice ? { practice: true } : {}),
      ...(options.alert ? { fromAlert: { name: options.alert.name, fingerprint: options.alert.fingerprint } } : {}),
    },
    clock: options.clock,
    actor: actorFrom(options.env),
  });
  if (options.alert) {
    const common = { clock: options.clock, actor: actorFrom(options.env) };
    await appendEvent(eventsFile(home, id), { type: 'alert', data: options.alert, ...common });
    // Taking the page is acknowledging it: the time to acknowledge runs from the alert to here.
    await appendEvent(eventsFile(home, id), {
      type: 'status',
      data: { state: 'acknowledged', reason: `declared from alert ${options.alert.name}` },
      ...common,
    });
  }
  await writeCurrentId(home, id);
  return { id, dir: incidentDir(home, id), event };
}

/** Creates the folder exclusively; on a clash tries `<id>-2`, `<id>-3`, …, so two declarations never share a log. */
async function claimIncidentDir(home: string, baseId: string): Promise<string> {
  for (let n = 1; n < 1000; n += 1) {
    const id = n === 1 ? baseId : `${baseId}-${n}`;
    try {
      await mkdir(incidentDir(home, id), { mode: DIR_MODE });
      await chmod(incidentDir(home, id), DIR_MODE);
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw isFileSystemError(error) ? new StorageError('create the folder', incidentDir(home, id), error) : error;
    }
  }
  throw new Error(`cannot find a free incident id for ${baseId}`);
}

/** The answers to the impact questions `inc start` asks on a terminal. */
export interface ImpactAnswers {
  impact: 'outage' | 'major-feature' | 'degraded' | 'minor';
  /** Share of users affected. */
  usersAffected: 'all' | 'over-20' | 'under-20' | 'few';
  /** Revenue is lost: payments, orders or sign-ups fail. */
  revenue: boolean;
  dataLossOrSecurity: boolean;
}

/**
 * Proposes a severity from the answers, per the definitions: SEV1 complete outage, all users
 * affected, revenue lost (or data loss, a security breach); SEV2 a major feature unavailable or more
 * than 20% of users; SEV3 degraded performance for fewer than 20%; SEV4 minor, with a workaround.
 * When unsure, the higher severity wins. Returns the rank (0 = SEV1).
 */
export function proposeSeverityRank(answers: ImpactAnswers): number {
  if (answers.dataLossOrSecurity || answers.revenue || answers.impact === 'outage' || answers.usersAffected === 'all') {
    return 0;
  }
  if (answers.impact === 'major-feature' || answers.usersAffected === 'over-20') return 1;
  if (answers.impact === 'degraded' || answers.usersAffected === 'under-20') return 2;
  return 3;
}

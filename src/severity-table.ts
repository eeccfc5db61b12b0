import { z } from 'zod';
import { type BusinessHours, WEEKDAYS } from './business-hours.js';

/**
 * One severity level and the response discipline that comes with it. Minutes are counted from the
 * declaration; null means the severity has no such target.
 */
export interface Severity {
  name: string;
  aliases: string[];
  description: string;
  /** How often a status update is due after the first one. */
  updateCadenceMinutes: number | null;
  /** The first status update is due this long after the declaration (then at the cadence). */
  firstUpdateMinutes: number | null;
  /** The page must be acknowledged within this long. */
  ackTargetMinutes: number | null;
  /** Work on the incident (triage, a status, an update, a mitigation, an escalation) must start within this long. */
  responseTargetMinutes: number | null;
  /** The response target in words, as the runbooks put it ("immediate, 24/7"). */
  responseTarget: string;
  /** Set when the response target counts only business hours (P3's "2 h, business hours"). */
  responseBusinessHours?: BusinessHours | null;
  /** Who is engaged at this severity: keys of `contacts` (or names). */
  escalation: string[];
  /** A postmortem is required, due this many business days after resolution; null: not required. */
  postmortemWithinBusinessDays: number | null;
  /** The goal for the time to resolve (MTTR); null: tracked, no goal. */
  resolveTargetMinutes: number | null;
}

/**
 * The severity table inc ships with, from the runbooks: definitions, escalation and acknowledge
 * targets of the table that lists escalation; cadences of the P1/P2 protocols (15 and 30 min);
 * a first update within 5 minutes of declaring a P1/P2; postmortems for P1/P2 within 5 business
 * days; the MTTR goal of 1 hour for P1. "Immediate" response is read as: within the acknowledge target.
 */
export const DEFAULT_SEVERITIES: readonly Severity[] = [
  {
    name: 'SEV1',
    aliases: ['P1'],
    description: 'complete outage: all users affected, revenue impact (or data loss, a security breach)',
    updateCadenceMinutes: 15,
    firstUpdateMinutes: 5,
    ackTargetMinutes: 5,
    responseTargetMinutes: 5,
    responseTarget: 'immediate, 24/7',
    escalation: ['on-call', 'engineering-manager', 'vp'],
    postmortemWithinBusinessDays: 5,
    resolveTargetMinutes: 60,
  },
  {
    name: 'SEV2',
    aliases: ['P2'],
    description: 'a major feature is unavailable, or more than 20% of users are affected',
    updateCadenceMinutes: 30,
    firstUpdateMinutes: 5,
    ackTargetMinutes: 5,
    responseTargetMinutes: 15,
    responseTarget: 'within 15 min, 24/7',
    escalation: ['on-call', 'engineering-manager'],
    postmortemWithinBusinessDays: 5,
    resolveTargetMinutes: null,
  },
  {
    name: 'SEV3',
    aliases: ['P3'],
    description: 'degraded performance, fewer than 20% of users affected',
    updateCadenceMinutes: 60,
    firstUpdateMinutes: null,
    ackTargetMinutes: 15,
    responseTargetMinutes: 120,
    responseTarget: 'within 2 h, business hours',
    responseBusinessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
    escalation: ['on-call'],
    postmortemWithinBusinessDays: null,
    resolveTargetMinutes: null,
  },
  {
    name: 'SEV4',
    aliases: ['P4'],
    description: 'minor issue, a workaround is available',
    updateCadenceMinutes: null,
    firstUpdateMinutes: null,
    ackTargetMinutes: null,
    responseTargetMinutes: null,
    responseTarget: 'next business day',
    escalation: ['ticket', 'team-channel'],
    postmortemWithinBusinessDays: null,
    resolveTargetMinutes: null,
  },
];

const minutes = z.number().positive().nullable().default(null);

/** One entry of `severities:` in the config file; left-out targets mean "none". */
export const severitySchema = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  description: z.string().default(''),
  updateCadenceMinutes: minutes,
  firstUpdateMinutes: minutes,
  ackTargetMinutes: minutes,
  responseTargetMinutes: minutes,
  responseTarget: z.string().default(''),
  responseBusinessHours: z
    .strictObject({
      days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
      start: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM')
        .default('09:00'),
      end: z
        .string()
        .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time HH:MM')
        .default('17:00'),
      timeZone: z
        .string()
        .refine((zone) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone such as Europe/Berlin')
        .optional(),
    })
    .nullable()
    .default(null),
  escalation: z.array(z.string().min(1)).default([]),
  postmortemWithinBusinessDays: z.number().int().positive().nullable().default(null),
  resolveTargetMinutes: minutes,
});

/** The severity a projection or report needs: the name and whichever rules it has. */
export type SeverityRules = Pick<Severity, 'name' | 'updateCadenceMinutes'> &
  Partial<Omit<Severity, 'name' | 'updateCadenceMinutes' | 'aliases' | 'escalation'>> & {
    aliases?: readonly string[];
    escalation?: readonly string[];
  };

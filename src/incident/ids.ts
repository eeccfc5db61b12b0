import { monotonicFactory } from 'ulid';
import type { Clock } from '../clock.js';
import { redactText } from './redact.js';

const nextUlid = monotonicFactory();

/** A new event id: a ULID stamped with the injected clock, monotonic within this process. */
export function newEventId(clock: Clock): string {
  return nextUlid(clock.now().getTime());
}

/** "Checkout 5xx in EU-west!" → "checkout-5xx-in-eu-west" (at most 40 characters, cut at a word). */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= 40) return slug || 'incident';
  const cut = slug.slice(0, 41);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 10 ? cut.slice(0, lastDash) : slug.slice(0, 40)).replace(/-+$/, '');
}

/**
 * `INC-YYYYMMDD-HHMM-<slug>` in UTC; readable and sortable by declaration time. The slug is made from the
 * redacted title: ids are printed, named in folders and pasted everywhere.
 */
export function incidentIdFor(title: string, at: Date): string {
  const iso = at.toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 16).replace(':', '');
  return `INC-${date}-${time}-${slugify(redactText(title))}`;
}

/** The pattern of incident ids, for telling them apart from other folders. */
export const INCIDENT_ID_PATTERN = /^INC-\d{8}-\d{4}-[a-z0-9-]+$/;

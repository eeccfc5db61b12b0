import { UsageError } from '../errors.js';
import { redactText } from '../incident/redact.js';
import type { Page } from './page-webhook.js';
import { postWebhookJson, type SlackPostOptions } from './slack-webhook.js';

/** The variable holding the routing (integration) key of a PagerDuty Events API v2 integration: a secret. */
export const PAGERDUTY_KEY_ENV = 'INC_PAGERDUTY_ROUTING_KEY';

/** PagerDuty's Events API v2 endpoints (US and EU service regions). */
const PAGERDUTY_HOSTS = new Set(['events.pagerduty.com', 'events.eu.pagerduty.com']);

/** PagerDuty caps `payload.summary` at 1024 characters. */
const SUMMARY_MAX = 1024;

/** What INC_PAGE_WEBHOOK is sent: inc's own JSON page, or PagerDuty Events API v2 events. */
export type PageFormat = 'json' | 'pagerduty';

/**
 * The format of the page webhook: PagerDuty's when the URL is its Events API v2 endpoint
 * (`https://events.pagerduty.com/v2/enqueue`) or INC_PAGE_FORMAT says `pagerduty`; else inc's JSON.
 */
export function pageFormatOf(url: string, env: Readonly<Record<string, string | undefined>>): PageFormat {
  const chosen = env.INC_PAGE_FORMAT?.trim().toLowerCase();
  if (chosen === 'pagerduty' || chosen === 'json') return chosen;
  if (chosen) {
    throw new UsageError(`INC_PAGE_FORMAT is "${env.INC_PAGE_FORMAT}": it takes pagerduty or json`, {
      hint: 'unset it to choose by the URL (PagerDuty for https://events.pagerduty.com/v2/enqueue)',
    });
  }
  try {
    const parsed = new URL(url);
    return PAGERDUTY_HOSTS.has(parsed.hostname) && parsed.pathname.startsWith('/v2/enqueue') ? 'pagerduty' : 'json';
  } catch {
    return 'json';
  }
}

/** The routing key for a PagerDuty page; a usage error naming the variable when it is not set. */
export function pagerDutyRoutingKey(env: Readonly<Record<string, string | undefined>>): string {
  const key = env[PAGERDUTY_KEY_ENV]?.trim();
  if (!key) {
    throw new UsageError(`INC_PAGE_WEBHOOK is PagerDuty's Events API v2, and ${PAGERDUTY_KEY_ENV} is not set`, {
      hint: `export ${PAGERDUTY_KEY_ENV}=<the integration key of the service's Events API v2 integration>; nothing was paged or recorded`,
    });
  }
  return key;
}

/** PagerDuty's severity for a level of the severity table, by its rank (most severe first). */
export function pagerDutySeverity(rank: number): 'critical' | 'error' | 'warning' | 'info' {
  if (rank <= 0) return 'critical';
  if (rank === 1) return 'error';
  if (rank === 2) return 'warning';
  return 'info';
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    source: string;
    custom_details: Record<string, unknown>;
  };
}

/**
 * The `trigger` event of a page: the incident id is the dedup key, so every escalation of one
 * incident updates one PagerDuty alert, and `inc resolve` resolves it. `rank` is the severity's
 * place in the table (-1 when unknown: paged as critical).
 */
export function pagerDutyTrigger(page: Page, routingKey: string, rank: number): PagerDutyEvent {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: page.incident,
    payload: {
      summary: page.text.slice(0, SUMMARY_MAX),
      severity: pagerDutySeverity(rank),
      source: 'inc',
      custom_details: {
        incident: page.incident,
        title: page.title,
        severity: page.severity,
        to: page.to,
        ...(page.reason ? { reason: page.reason } : {}),
      },
    },
  };
}

/** The `resolve` event of an incident's PagerDuty alert. */
export function pagerDutyResolve(incidentId: string, routingKey: string): PagerDutyEvent {
  return { routing_key: routingKey, event_action: 'resolve', dedup_key: incidentId };
}

/** Sends one event to PagerDuty (a 202 is success); errors as the page webhook's, never naming the key. */
export async function sendPagerDutyEvent(
  url: string,
  event: PagerDutyEvent,
  notDone: string,
  options: SlackPostOptions = {},
): Promise<void> {
  const labels = { service: 'PagerDuty', envVar: 'INC_PAGE_WEBHOOK', codePrefix: 'PAGE', notDone };
  try {
    await postWebhookJson(url, event, labels, options);
  } catch (error) {
    // An answer that echoes the key (a proxy's, or a future one's) must not print it.
    if (error instanceof Error) error.message = redactText(error.message).replaceAll(event.routing_key, '[REDACTED]');
    throw error;
  }
}

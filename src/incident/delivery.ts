import type { DeliveryData, UpdateData } from './event.js';

/**
 * A status update inc posted and the webhook did not take (`post.ok` false). It stays in the log, as
 * what the responder wrote, but nobody is known to have read it: it sets no update cadence, meets no
 * first-update target, and the postmortem does not quote it as sent. An update recorded without
 * `--post` was printed for the responder to paste: inc cannot tell, and counts it as sent.
 */
export function wasNotDelivered(update: Pick<UpdateData, 'post'>): boolean {
  return update.post?.ok === false;
}

/** The updates that count as sent: all but those inc posted and the webhook refused. */
export function sentUpdates<T extends Pick<UpdateData, 'post'>>(updates: readonly T[]): T[] {
  return updates.filter((update) => !wasNotDelivered(update));
}

/** Where a delivery went, for people: "Slack", "the page webhook". */
export function deliveryTarget(delivery: Pick<DeliveryData, 'to'>): string {
  if (delivery.to === 'slack') return 'Slack';
  if (delivery.to === 'page-webhook') return 'the page webhook';
  if (delivery.to === 'pagerduty') return 'PagerDuty';
  return delivery.to;
}

/** "not delivered to Slack (HTTP 500)", for timelines and status lines. */
export function describeUndelivered(delivery: DeliveryData): string {
  return `not delivered to ${deliveryTarget(delivery)}${delivery.error ? ` (${delivery.error})` : ''}`;
}

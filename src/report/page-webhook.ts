import type { EscalationPlan } from '../incident/escalate.js';
import { redactText } from '../incident/redact.js';
import { postWebhookJson, type SlackPostOptions } from './slack-webhook.js';

/** The page an escalation sends: the incident, whom to engage, and one line for people. */
export interface Page {
  incident: string;
  title: string;
  severity: string;
  to: string[];
  reason?: string;
  text: string;
}

/** Builds the page of an escalation (redacted: it leaves the machine). */
export function composePage(incident: { id: string; title: string; severity: string }, plan: EscalationPlan): Page {
  const severity = plan.raise?.to ?? incident.severity;
  const why = plan.reason ? `: ${plan.reason}` : '';
  return {
    incident: incident.id,
    title: redactText(incident.title),
    severity,
    to: plan.to,
    ...(plan.reason ? { reason: redactText(plan.reason) } : {}),
    text: redactText(`${incident.id} (${severity}) ${incident.title}: escalated to ${plan.to.join(', ')}${why}`),
  };
}

/** Sends a page to the webhook in INC_PAGE_WEBHOOK (a paging service's or a chat's incoming webhook). */
export async function sendPage(url: string, page: Page, options: SlackPostOptions = {}): Promise<void> {
  await postWebhookJson(
    url,
    page,
    {
      service: 'the page webhook',
      envVar: 'INC_PAGE_WEBHOOK',
      codePrefix: 'PAGE',
      notDone: 'the escalation is recorded as not paged',
    },
    options,
  );
}

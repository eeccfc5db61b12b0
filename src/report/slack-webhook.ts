import { IncError } from '../errors.js';
import { redactText } from '../incident/redact.js';
import { proxiedFetch } from '../proxied-fetch.js';

export interface SlackPostOptions {
  /** Milliseconds before giving up; default 10 s. */
  timeoutMs?: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

/** The webhook URL without its secret path, for messages: webhook URLs are credentials. */
export function describeWebhook(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return 'the webhook URL';
  }
}

/** What a webhook's errors say: whose webhook, its variable, its error codes' prefix, what was not done. */
export interface WebhookLabels {
  service: string;
  envVar: string;
  codePrefix: string;
  /** "the update was printed above but not recorded" */
  notDone: string;
}

const SLACK: WebhookLabels = {
  service: 'Slack',
  envVar: 'INC_SLACK_WEBHOOK',
  codePrefix: 'SLACK',
  notDone: 'the update was printed above but not recorded',
};

/**
 * Posts a message (Slack mrkdwn, redacted) to a Slack incoming webhook. A non-2xx answer, a timeout or
 * a network failure is an `IncError` naming what happened; the URL's secret path is never printed.
 */
export async function postSlackMessage(url: string, text: string, options: SlackPostOptions = {}): Promise<void> {
  await postWebhookJson(url, { text: redactText(text), mrkdwn: true }, SLACK, options);
}

/** Posts a JSON body to a webhook; errors as `postSlackMessage`'s, in the labels' words. */
export async function postWebhookJson(
  url: string,
  body: unknown,
  labels: WebhookLabels,
  options: SlackPostOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = describeWebhook(url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const { service, envVar, codePrefix, notDone } = labels;
  let response: Response;
  try {
    response = await (options.fetch ?? proxiedFetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      // A redirect is not followed: fetch would repeat a 301/302 as a bodiless GET (whose 200 read as
      // "posted" when nothing was) and carry a 307/308's body, the incident's text, to another host.
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (timeout.aborted) {
      throw new IncError(`posting to ${service} timed out after ${timeoutMs / 1000}s (${where})`, {
        code: `${codePrefix}_TIMEOUT`,
        hint: `${notDone.replace('not recorded', 'not posted or recorded')}; retry, or do it by hand`,
        cause: error,
      });
    }
    throw new IncError(`posting to ${service} failed: ${(error as Error).message} (${where})`, {
      code: `${codePrefix}_UNREACHABLE`,
      hint: `check ${envVar} and the network; ${notDone}`,
      cause: error,
    });
  }
  if (response.status >= 300 && response.status < 400) throw redirected(response, url, labels);
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).trim().slice(0, 200);
    throw new IncError(
      `${service} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text ? `: ${text}` : ''} (${where})`,
      {
        code: `${codePrefix}_REJECTED`,
        hint:
          response.status === 403 || response.status === 404
            ? `the webhook is revoked or wrong: check ${envVar}`
            : `${notDone}; retry, or do it by hand`,
      },
    );
  }
}

/** A webhook that answers with a redirect: nothing was posted; where it points, by host only. */
function redirected(response: Response, url: string, labels: WebhookLabels): IncError {
  const location = response.headers.get('location');
  let target = '';
  if (location) {
    try {
      target = ` to ${describeWebhook(new URL(location, url).href)}`;
    } catch {
      target = '';
    }
  }
  void response.body?.cancel().catch(() => undefined);
  return new IncError(
    `${labels.service} answered ${response.status}, a redirect${target}, which inc does not follow (${describeWebhook(url)})`,
    {
      code: `${labels.codePrefix}_REDIRECTED`,
      hint: `${labels.notDone}; set ${labels.envVar} to the webhook's current URL, then retry`,
    },
  );
}

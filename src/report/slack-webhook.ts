import { IncError } from '../errors.js';
import { redactText } from '../incident/redact.js';

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

/**
 * Posts a message (Slack mrkdwn, redacted) to a Slack incoming webhook. A non-2xx answer, a timeout or
 * a network failure is an `IncError` naming what happened; the URL's secret path is never printed.
 */
export async function postSlackMessage(url: string, text: string, options: SlackPostOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = describeWebhook(url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: redactText(text), mrkdwn: true }),
      signal,
    });
  } catch (error) {
    if (timeout.aborted) {
      throw new IncError(`posting to Slack timed out after ${timeoutMs / 1000}s (${where})`, {
        code: 'SLACK_TIMEOUT',
        hint: 'the update was printed above but not posted or recorded; paste it by hand or retry',
        cause: error,
      });
    }
    throw new IncError(`posting to Slack failed: ${(error as Error).message} (${where})`, {
      code: 'SLACK_UNREACHABLE',
      hint: 'check INC_SLACK_WEBHOOK and the network; the update was printed above but not recorded',
      cause: error,
    });
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).trim().slice(0, 200);
    throw new IncError(
      `Slack answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${body ? `: ${body}` : ''} (${where})`,
      {
        code: 'SLACK_REJECTED',
        hint:
          response.status === 403 || response.status === 404
            ? 'the webhook is revoked or wrong: check INC_SLACK_WEBHOOK'
            : 'the update was printed above but not recorded; retry, or paste it by hand',
      },
    );
  }
}

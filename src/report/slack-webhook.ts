import { type Clock, systemClock } from '../clock.js';
import { IncError } from '../errors.js';
import { redactText } from '../incident/redact.js';
import { proxiedFetch } from '../proxied-fetch.js';

export interface SlackPostOptions {
  /** Milliseconds before giving up; default 10 s. */
  timeoutMs?: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  /** Waits out a 429's Retry-After; default the system clock. */
  clock?: Clock;
  /** Told of a wait before the one retry (a 429 asking for at most RETRY_AFTER_MAX_S). */
  onRetry?: (message: string) => void;
  /** The command that sends the same message again (`inc update --resend`), named by the hints. */
  again?: string;
}

/** A post the webhook did not take; `reason` is the short form the incident log keeps ("HTTP 500"). */
export class WebhookError extends IncError {
  readonly reason: string;

  constructor(message: string, options: ConstructorParameters<typeof IncError>[1] & { reason: string }) {
    super(message, options);
    this.reason = options.reason;
  }
}

/** "retry", or how to send it again when the caller names a command for it. */
function retryWords(options: SlackPostOptions): string {
  return options.again ? `send it again, unchanged, with ${options.again}` : 'retry';
}

/** The longest Retry-After a rate-limited post waits out before its one retry. */
const RETRY_AFTER_MAX_S = 10;

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
  /** "the update is recorded as not delivered" */
  notDone: string;
}

const SLACK: WebhookLabels = {
  service: 'Slack',
  envVar: 'INC_SLACK_WEBHOOK',
  codePrefix: 'SLACK',
  notDone: 'the update is recorded as not delivered',
};

/**
 * Posts a message (Slack mrkdwn, redacted) to a Slack incoming webhook. A non-2xx answer, a timeout or
 * a network failure is an `IncError` naming what happened; the URL's secret path is never printed.
 */
export async function postSlackMessage(url: string, text: string, options: SlackPostOptions = {}): Promise<void> {
  await postWebhookJson(url, { text: redactText(text), mrkdwn: true }, SLACK, options);
}

/**
 * Posts a JSON body to a webhook; errors as `postSlackMessage`'s, in the labels' words. A 429 (rate
 * limited: nothing was taken) whose Retry-After asks for at most 10 s is waited out and sent once more,
 * so a page or update is not lost to a burst; any other failure is not repeated, for fear of a double post.
 */
export async function postWebhookJson(
  url: string,
  body: unknown,
  labels: WebhookLabels,
  options: SlackPostOptions = {},
): Promise<void> {
  const first = await attemptPost(url, body, labels, options);
  if (first.ok) return;
  const wait = retryAfterSeconds(first.response);
  if (first.response.status !== 429 || wait === undefined || wait > RETRY_AFTER_MAX_S)
    throw await refused(first, url, labels, options);
  void first.response.body?.cancel().catch(() => undefined);
  options.onRetry?.(`${labels.service} is rate limiting (429): sending again in ${wait}s, as it asks`);
  await (options.clock ?? systemClock).sleep(wait * 1000, options.signal);
  const second = await attemptPost(url, body, labels, options);
  if (!second.ok) throw await refused(second, url, labels, options);
}

/** One POST; a network failure or timeout thrown as the labels' error, an answer returned. */
async function attemptPost(
  url: string,
  body: unknown,
  labels: WebhookLabels,
  options: SlackPostOptions,
): Promise<{ ok: boolean; response: Response }> {
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
      throw new WebhookError(`posting to ${service} timed out after ${timeoutMs / 1000}s (${where})`, {
        code: `${codePrefix}_TIMEOUT`,
        // No answer is no proof of no delivery: the request may have been taken before the wait ran out.
        hint: `${notDone}; it may have reached ${service} all the same: look there before you ${retryWords(options)}, or it may arrive twice`,
        cause: error,
        reason: `no answer within ${timeoutMs / 1000}s; it may have arrived`,
      });
    }
    if (options.signal?.aborted) {
      throw new WebhookError(`posting to ${service} was interrupted (${where})`, {
        code: `${codePrefix}_INTERRUPTED`,
        hint: `${notDone}; it may have reached ${service} all the same: look there before you ${retryWords(options)}`,
        cause: error,
        reason: 'interrupted; it may have arrived',
      });
    }
    // fetch says only "fetch failed"; its cause names what: ECONNREFUSED, ENOTFOUND, "bad port".
    const cause = (error as Error).cause as { code?: unknown; message?: unknown } | undefined;
    const detail = typeof cause?.code === 'string' ? cause.code : cause?.message;
    throw new WebhookError(`posting to ${service} failed: ${(error as Error).message} (${where})`, {
      code: `${codePrefix}_UNREACHABLE`,
      hint: `check ${envVar} and the network; ${notDone}${options.again ? `; then ${retryWords(options)}` : ''}`,
      cause: error,
      reason: `unreachable${typeof detail === 'string' && detail ? `: ${detail.slice(0, 80)}` : ''}`,
    });
  }
  return { ok: response.ok, response };
}

/** Retry-After in whole seconds (the delay form; a date is not waited on), if the answer has one. */
function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The error of a webhook's refusal (a non-2xx answer). */
async function refused(
  attempt: { response: Response },
  url: string,
  labels: WebhookLabels,
  options: SlackPostOptions,
): Promise<WebhookError> {
  const { response } = attempt;
  if (response.status >= 300 && response.status < 400) return redirected(response, url, labels, options);
  const text = (await response.text().catch(() => '')).trim().slice(0, 200);
  return rejected(response, text, url, labels, options);
}

function rejected(
  response: Response,
  text: string,
  url: string,
  labels: WebhookLabels,
  options: SlackPostOptions,
): WebhookError {
  const { service, envVar, codePrefix, notDone } = labels;
  const wait = response.status === 429 ? retryAfterSeconds(response) : undefined;
  const again = options.again ? `; then ${retryWords(options)}` : '';
  return new WebhookError(
    `${service} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text ? `: ${text}` : ''} (${describeWebhook(url)})`,
    {
      code: `${codePrefix}_REJECTED`,
      hint:
        response.status === 403 || response.status === 404
          ? `the webhook is revoked or wrong: check ${envVar}${options.again ? `; ${notDone}` : ''}${again}`
          : `${notDone}; ${retryWords(options)}${wait !== undefined ? ` in ${wait}s or more (its Retry-After)` : ''}, or do it by hand`,
      reason: `HTTP ${response.status}`,
    },
  );
}

/** A webhook that answers with a redirect: nothing was posted; where it points, by host only. */
function redirected(response: Response, url: string, labels: WebhookLabels, options: SlackPostOptions): WebhookError {
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
  return new WebhookError(
    `${labels.service} answered ${response.status}, a redirect${target}, which inc does not follow (${describeWebhook(url)})`,
    {
      code: `${labels.codePrefix}_REDIRECTED`,
      hint: `${labels.notDone}; set ${labels.envVar} to the webhook's current URL, then ${retryWords(options)}`,
      reason: `HTTP ${response.status} redirect, not followed`,
    },
  );
}

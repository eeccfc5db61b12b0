import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { IncError } from '../../../src/errors.js';
import { describeWebhook, postSlackMessage, type WebhookError } from '../../../src/report/slack-webhook.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/services/T000/B000/secret-token`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('postSlackMessage', () => {
  it('posts the text as JSON to the webhook', async () => {
    const received: Array<{ method?: string; path?: string; type?: string; body: string }> = [];
    const url = await serve((req, body, res) => {
      received.push({ method: req.method, path: req.url, type: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await postSlackMessage(url, '*Conditions:* fine');
    expect(received).toEqual([
      {
        method: 'POST',
        path: '/services/T000/B000/secret-token',
        type: 'application/json',
        body: JSON.stringify({ text: '*Conditions:* fine', mrkdwn: true }),
      },
    ]);
  });

  it('fails clearly on a 500, naming the status but not the secret path', async () => {
    const url = await serve((_req, _body, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error'),
    );
    const error = (await postSlackMessage(url, 'x').catch((e: unknown) => e)) as IncError;
    expect(error).toBeInstanceOf(IncError);
    expect(error.message).toMatch(
      /^Slack answered 500 Internal Server Error: internal_error \(http:\/\/127\.0\.0\.1:\d+\/…\)$/,
    );
    expect(error.message).not.toContain('secret-token');
    expect(error.hint).toBe('the update is recorded as not delivered; retry, or do it by hand');
    // The short reason the incident log keeps beside the update.
    expect((error as WebhookError).reason).toBe('HTTP 500');
  });

  it('names the command that sends the update again, when given one', async () => {
    const url = await serve((_req, _body, res) => res.writeHead(500).end('internal_error'));
    const again = 'inc update --resend --incident INC-1';
    const error = (await postSlackMessage(url, 'x', { again }).catch((e: unknown) => e)) as IncError;
    expect(error.hint).toBe(
      'the update is recorded as not delivered; send it again, unchanged, with inc update --resend --incident INC-1, or do it by hand',
    );
  });

  it('says a 404 webhook is revoked or wrong', async () => {
    const url = await serve((_req, _body, res) => res.writeHead(404).end('no_service'));
    await expect(postSlackMessage(url, 'x')).rejects.toMatchObject({ hint: expect.stringMatching(/revoked or wrong/) });
  });

  it('gives up after the timeout', async () => {
    const url = await serve(() => {
      // Never answers.
    });
    const started = Date.now();
    const error = (await postSlackMessage(url, 'x', { timeoutMs: 300 }).catch((e: unknown) => e)) as IncError;
    expect(error).toBeInstanceOf(IncError);
    expect(error.code).toBe('SLACK_TIMEOUT');
    expect(error.message).toMatch(/timed out after 0\.3s/);
    // It may have arrived: the hint never says it was not posted.
    expect(error.hint).toBe(
      'the update is recorded as not delivered; it may have reached Slack all the same: look there before you retry, or it may arrive twice',
    );
    expect((error as WebhookError).reason).toBe('no answer within 0.3s; it may have arrived');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a refused connection', async () => {
    const url = await serve((_req, _body, res) => res.end());
    server?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(postSlackMessage(url, 'x', { timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'SLACK_UNREACHABLE',
      reason: 'unreachable: ECONNREFUSED',
    });
    server = undefined;
  });

  it.each([301, 302, 303])('does not report a %i redirect, repeated as a bodiless GET, as posted', async (status) => {
    const received: string[] = [];
    const url = await serve((req, _body, res) => {
      received.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/services/')) res.writeHead(status, { location: '/moved/other-secret' }).end();
      else res.writeHead(200).end('ok');
    });
    const error = (await postSlackMessage(url, 'x').catch((e: unknown) => e)) as IncError;
    expect(error).toBeInstanceOf(IncError);
    expect(error.code).toBe('SLACK_REDIRECTED');
    expect(error.message).toMatch(new RegExp(`^Slack answered ${status}, a redirect to http://127\\.0\\.0\\.1:\\d+/…`));
    expect(error.message).not.toMatch(/secret/);
    expect(error.hint).toMatch(/recorded as not delivered/);
    expect((error as WebhookError).reason).toBe(`HTTP ${status} redirect, not followed`);
    expect(received).toEqual(['POST /services/T000/B000/secret-token']);
  });

  it('does not carry the message to where a 307 points', async () => {
    const received: string[] = [];
    const url = await serve((req, body, res) => {
      received.push(`${req.method} ${req.url} ${body}`);
      if (req.url?.startsWith('/services/')) res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' }).end();
      else res.writeHead(200).end('ok');
    });
    await expect(postSlackMessage(url, 'the incident')).rejects.toMatchObject({ code: 'SLACK_REDIRECTED' });
    expect(received).toHaveLength(1);
  });

  it('waits out a 429 that asks for a short Retry-After and sends once more', async () => {
    const received: string[] = [];
    const url = await serve((_req, body, res) => {
      received.push(body);
      if (received.length === 1) res.writeHead(429, { 'retry-after': '2' }).end('rate_limited');
      else res.writeHead(200).end('ok');
    });
    const clock = new FakeClock('2026-05-01T14:00:00Z');
    const told: string[] = [];
    await postSlackMessage(url, 'the update', { clock, onRetry: (message) => told.push(message) });
    expect(received).toHaveLength(2);
    expect(received[1]).toBe(received[0]);
    expect(clock.now().toISOString()).toBe('2026-05-01T14:00:02.000Z');
    expect(told).toEqual(['Slack is rate limiting (429): sending again in 2s, as it asks']);
  });

  it('does not wait out a long Retry-After, and says how long it asked for', async () => {
    let requests = 0;
    const url = await serve((_req, _body, res) => {
      requests += 1;
      res.writeHead(429, { 'retry-after': '120' }).end('rate_limited');
    });
    const clock = new FakeClock();
    const error = (await postSlackMessage(url, 'x', { clock }).catch((e: unknown) => e)) as IncError;
    expect(error.code).toBe('SLACK_REJECTED');
    expect(error.hint).toMatch(/retry in 120s or more \(its Retry-After\)/);
    expect(requests).toBe(1);
  });

  it('sends once more only once, and never after a 500 (it may have been taken)', async () => {
    let requests = 0;
    const url = await serve((_req, _body, res) => {
      requests += 1;
      res.writeHead(requests === 1 ? 429 : 500, { 'retry-after': '1' }).end('busy');
    });
    await expect(postSlackMessage(url, 'x', { clock: new FakeClock() })).rejects.toMatchObject({
      message: expect.stringMatching(/^Slack answered 500/),
    });
    expect(requests).toBe(2);
  });

  it('describes a webhook without its secret', () => {
    expect(describeWebhook('https://hooks.slack.com/services/T/B/XYZ')).toBe('https://hooks.slack.com/…');
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { runIncAt, useBuiltCliSnapshot } from './incident-cli-snapshot.js';

/**
 * What a status update posted with `inc update --post` becomes when Slack does not take it: recorded,
 * marked not delivered with the reason, said by `inc status`, `inc log` and `inc handoff`, counted for
 * no cadence, and sent again unchanged by `inc update --resend`.
 */
const cli = useBuiltCliSnapshot();
const ID = 'INC-20260501-1400-checkout-errors';
let root: string;

/** A Slack stand-in on 127.0.0.1 that answers as `answer` says at the time, and keeps the bodies. */
interface Hook {
  url: string;
  received: string[];
  answer: 'ok' | 'error' | 'redirect';
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hook = { received: [] as string[], answer: 'error' as Hook['answer'] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      hook.received.push(body);
      if (hook.answer === 'ok') res.writeHead(200).end('ok');
      else if (hook.answer === 'redirect') res.writeHead(302, { location: '/moved' }).end();
      else res.writeHead(500).end('internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B1/secret`;
  return Object.assign(hook, {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let hook: Hook;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'inc-e2e-delivery-'));
  hook = await startHook();
});
afterAll(async () => {
  await hook.close();
  rmSync(root, { recursive: true, force: true });
});

function inc(args: string[], time: string, env: Record<string, string | undefined> = {}): Promise<RunIncResult> {
  return runIncAt(cli.bin(), args, {
    env: {
      INC_HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'config'),
      INC_NOW: `2026-05-01T${time}Z`,
      TZ: 'UTC',
      INC_ACTOR: 'alice',
      INC_SLACK_WEBHOOK: hook.url,
      ...env,
    },
  });
}

const updates = () =>
  readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((event) => event.type === 'update');

describe('inc update --post when Slack does not take it', () => {
  it('records the update as not delivered with the reason, fails, and says how to resend it', async () => {
    expect((await inc(['start', 'Checkout errors', '--severity', 'SEV2'], '14:00:00')).code).toBe(0);
    const failed = await inc(['update', '--post', '--message', 'Looking at the last deploy'], '14:03:00');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Update: Looking at the last deploy');
    expect(failed.stderr).toContain(
      `recorded investigating update in ${ID} as NOT delivered to Slack (HTTP 500); the next update stays due as before`,
    );
    expect(failed.stderr).toMatch(/Slack answered 500/);
    expect(failed.stderr).toContain(`send it again, unchanged, with inc update --resend --incident ${ID}`);
    expect(failed.stderr).not.toContain('secret');
    const [recorded] = updates();
    expect(recorded.data).toMatchObject({
      status: 'investigating',
      format: 'text',
      message: 'Looking at the last deploy',
      post: { to: 'slack', ok: false, error: 'HTTP 500' },
    });
    // The Slack rendering that was refused is kept, so a resend sends the same words.
    expect(recorded.data.post.text).toBe(JSON.parse(hook.received[0] ?? '{}').text);
    expect(recorded.data.post.text).toContain('*Update:* Looking at the last deploy');
  });

  it('status says the last update was not delivered, and the first update is still due', async () => {
    const status = await inc(['status'], '14:06:00');
    expect(status.stdout).toMatch(/Next update: OVERDUE by 1m(0s)? \(was due 14:05; inc update\)/);
    expect(status.stdout).toContain(
      `Last update: investigating update of 14:03 NOT DELIVERED: not delivered to Slack (HTTP 500), so not counted as sent; resend it: inc update --resend --incident ${ID}`,
    );
    expect(status.stdout).toMatch(/first status update +MISSED: due 14:05, 1m(0s)? ago; inc update/);
    const log = await inc(['log'], '14:06:00');
    expect(log.stdout).toContain(
      'status update (investigating, text): Looking at the last deploy — not delivered to Slack (HTTP 500)',
    );
  });

  it('--resend takes no composing flag and needs the webhook', async () => {
    const withMessage = await inc(['update', '--resend', '--message', 'other words'], '14:06:10');
    expect(withMessage.code).toBe(2);
    expect(withMessage.stderr).toContain('--resend sends the recorded update unchanged: it takes no --message');
    const noHook = await inc(['update', '--resend'], '14:06:20', { INC_SLACK_WEBHOOK: undefined });
    expect(noHook.code).toBe(2);
    expect(noHook.stderr).toContain('--resend needs INC_SLACK_WEBHOOK');
    expect(updates()).toHaveLength(1);
  });

  it('--resend posts the same words again and records the update as delivered now', async () => {
    hook.answer = 'ok';
    const resent = await inc(['update', '--resend'], '14:07:00');
    expect(resent.code, resent.stderr).toBe(0);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]).toBe(hook.received[0]);
    expect(resent.stdout.trimEnd()).toBe(JSON.parse(hook.received[1] ?? '{}').text);
    expect(resent.stderr).toContain('posted to Slack');
    expect(resent.stderr).toContain(
      `recorded the investigating update of 14:03 UTC as resent in ${ID}; next update due 14:33 UTC, as it says`,
    );
    const [first, second] = updates();
    expect(second.data).toMatchObject({
      status: 'investigating',
      message: 'Looking at the last deploy',
      text: first.data.text,
      nextUpdateAt: first.data.nextUpdateAt,
      post: { to: 'slack', ok: true, text: first.data.post.text },
      resends: first.id,
    });
    const status = await inc(['status'], '14:08:00');
    expect(status.stdout).not.toContain('Last update:');
    expect(status.stdout).toContain('Next update: due 14:33 (in 25m');
    const again = await inc(['update', '--resend'], '14:08:10');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${ID} sent its last status update (2026-05-01 14:07 UTC) to Slack`);
    expect(hook.received).toHaveLength(2);
  });

  it('records a redirect as not delivered, and the handoff lists it', async () => {
    hook.answer = 'redirect';
    const failed = await inc(['update', '--post', '--format', 'slack', '--message', 'Rolled back'], '14:20:00');
    expect(failed.code).toBe(1);
    const last = updates().at(-1);
    expect(last.data.post).toEqual({ to: 'slack', ok: false, error: 'HTTP 302 redirect, not followed' });
    const handoff = await inc(['handoff'], '14:21:00');
    expect(handoff.stdout).toContain(
      `${ID}: the last status update was not delivered to Slack (HTTP 302 redirect, not followed) (inc update --resend --incident ${ID})`,
    );
    // Written without posting (to paste), an update counts as sent: the warning is gone.
    expect((await inc(['update', '--message', 'Rolled back'], '14:22:00', { INC_SLACK_WEBHOOK: undefined })).code).toBe(
      0,
    );
    expect((await inc(['status'], '14:23:00')).stdout).not.toContain('Last update:');
  });

  it('after the resolution, a resolution update not delivered promises no next update, and can be resent', async () => {
    expect((await inc(['resolve', '--summary', 'rolled back', '--yes'], '14:30:00')).code).toBe(0);
    hook.answer = 'error';
    const failed = await inc(['update', '--post'], '14:31:00');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`recorded resolved update in ${ID} as NOT delivered to Slack (HTTP 500)\n`);
    expect((await inc(['handoff'], '14:32:00')).stdout).toContain(
      `${ID}: the resolution update was not delivered to Slack (HTTP 500) (inc update --resend --incident ${ID})`,
    );
    expect((await inc(['status'], '14:32:00')).stdout).toContain(
      `Last update: resolved update of 14:31 NOT DELIVERED: not delivered to Slack (HTTP 500), so not counted as sent; resend it: inc update --resend --incident ${ID}`,
    );
    hook.answer = 'ok';
    expect((await inc(['update', '--resend'], '14:33:00')).code).toBe(0);
    expect(updates().at(-1).data).toMatchObject({ status: 'resolved', post: { ok: true } });
  });
});

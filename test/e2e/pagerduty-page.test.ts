import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunIncResult } from '../helpers/run-inc.js';
import { runIncAt, useBuiltCliSnapshot } from './incident-cli-snapshot.js';

/**
 * `inc escalate` and `inc resolve` with a PagerDuty Events API v2 page webhook: a local receiver that
 * answers 202 as PagerDuty does stands in for events.pagerduty.com (INC_PAGE_FORMAT=pagerduty).
 */
const cli = useBuiltCliSnapshot();
const ID = 'INC-20260501-1400-site-down';
const KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
let root: string;
let server: Server;
let url: string;
const received: Record<string, unknown>[] = [];
let status = 202;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'inc-e2e-pagerduty-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
      INC_PAGE_WEBHOOK: url,
      INC_PAGE_FORMAT: 'pagerduty',
      INC_PAGERDUTY_ROUTING_KEY: KEY,
      ...env,
    },
  });
}

const events = () =>
  readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('paging through PagerDuty Events API v2', () => {
  it('refuses a PagerDuty page without the routing key, recording nothing', async () => {
    expect((await inc(['start', 'site down', '-s', 'P2'], '14:00:00')).code).toBe(0);
    const refused = await inc(['escalate', '--to', 'dba'], '14:01:00', { INC_PAGERDUTY_ROUTING_KEY: undefined });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "INC_PAGE_WEBHOOK is PagerDuty's Events API v2, and INC_PAGERDUTY_ROUTING_KEY is not set",
    );
    expect(events().map((e) => e.type)).toEqual(['declared']);
    expect(received).toEqual([]);
  });

  it('escalate sends a trigger event keyed by the incident id, and never shows the key', async () => {
    const escalated = await inc(['escalate', 'P1', '--to', 'bob', '-r', 'all regions down'], '14:02:00');
    expect(escalated.code, escalated.stderr).toBe(0);
    expect(escalated.stderr).toContain(`paged through INC_PAGE_WEBHOOK (PagerDuty Events API v2, dedup_key ${ID})`);
    expect(received).toEqual([
      {
        routing_key: KEY,
        event_action: 'trigger',
        dedup_key: ID,
        payload: {
          summary: `${ID} (SEV1) site down: escalated to on-call, engineering-manager, vp, bob: all regions down`,
          severity: 'critical',
          source: 'inc',
          custom_details: {
            incident: ID,
            title: 'site down',
            severity: 'SEV1',
            to: ['on-call', 'engineering-manager', 'vp', 'bob'],
            reason: 'all regions down',
          },
        },
      },
    ]);
    expect(events().at(-1).data).toMatchObject({ paged: true, page: { to: 'pagerduty', ok: true } });
    const log = readFileSync(join(root, 'home', 'incidents', ID, 'events.jsonl'), 'utf8');
    expect(`${escalated.stdout}${escalated.stderr}${log}`).not.toContain(KEY);
  });

  it('resolve sends the matching resolve event; a failure fails it, and running it again resends', async () => {
    status = 500;
    const failed = await inc(['resolve', '--summary', 'failed over'], '14:20:00');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/PagerDuty answered 500/);
    expect(failed.stderr).toContain(`its PagerDuty alert may still be open: run inc resolve --incident ${ID} again`);
    expect(events().at(-1).type).toBe('resolved');
    status = 202;
    const again = await inc(['resolve', '--incident', ID], '14:21:00');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`resolved the PagerDuty alert (dedup_key ${ID})`);
    expect(received.slice(1)).toEqual([
      { routing_key: KEY, event_action: 'resolve', dedup_key: ID },
      { routing_key: KEY, event_action: 'resolve', dedup_key: ID },
    ]);
    expect(`${failed.stderr}${again.stdout}${again.stderr}`).not.toContain(KEY);
  });

  it('resolve sends nothing for an incident that never paged PagerDuty', async () => {
    expect((await inc(['start', 'disk full', '-s', 'P3'], '15:00:00')).code).toBe(0);
    const resolved = await inc(['resolve', '--summary', 'cleaned up'], '15:10:00');
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).not.toContain('PagerDuty');
    expect(received).toHaveLength(3);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IncError, UsageError } from '../../../src/errors.js';
import { composePage } from '../../../src/report/page-webhook.js';
import {
  pageFormatOf,
  pagerDutyResolve,
  pagerDutyRoutingKey,
  pagerDutyTrigger,
  sendPagerDutyEvent,
} from '../../../src/report/pagerduty-events.js';

const KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const incident = { id: 'INC-20260501-1400-site-down', title: 'site down', severity: 'SEV2' };

describe('pageFormatOf', () => {
  it("takes PagerDuty's Events API v2 endpoints by their URL, and INC_PAGE_FORMAT over it", () => {
    expect(pageFormatOf('https://events.pagerduty.com/v2/enqueue', {})).toBe('pagerduty');
    expect(pageFormatOf('https://events.eu.pagerduty.com/v2/enqueue', {})).toBe('pagerduty');
    expect(pageFormatOf('https://events.pagerduty.com/generic/2010-04-15/create_event.json', {})).toBe('json');
    expect(pageFormatOf('https://hooks.example.com/page', {})).toBe('json');
    expect(pageFormatOf('http://127.0.0.1:4000/v2/enqueue', { INC_PAGE_FORMAT: 'pagerduty' })).toBe('pagerduty');
    expect(pageFormatOf('https://events.pagerduty.com/v2/enqueue', { INC_PAGE_FORMAT: 'json' })).toBe('json');
    expect(() => pageFormatOf('https://x.example/', { INC_PAGE_FORMAT: 'opsgenie' })).toThrow(UsageError);
  });

  it('needs the routing key, and names its variable', () => {
    expect(pagerDutyRoutingKey({ INC_PAGERDUTY_ROUTING_KEY: ` ${KEY} ` })).toBe(KEY);
    expect(() => pagerDutyRoutingKey({})).toThrow(/INC_PAGERDUTY_ROUTING_KEY is not set/);
  });
});

describe('PagerDuty events', () => {
  it('triggers with the incident id as dedup_key, the severity mapped and a summary PagerDuty takes', () => {
    const page = composePage(incident, {
      to: ['on-call', 'vp'],
      reason: 'all regions down',
      raise: { from: 'SEV2', to: 'SEV1' },
    });
    expect(pagerDutyTrigger(page, KEY, 0)).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: incident.id,
      payload: {
        summary: `${incident.id} (SEV1) site down: escalated to on-call, vp: all regions down`,
        severity: 'critical',
        source: 'inc',
        custom_details: {
          incident: incident.id,
          title: 'site down',
          severity: 'SEV1',
          to: ['on-call', 'vp'],
          reason: 'all regions down',
        },
      },
    });
    const severities = [0, 1, 2, 3, 7, -1].map((rank) => pagerDutyTrigger(page, KEY, rank).payload?.severity);
    expect(severities).toEqual(['critical', 'error', 'warning', 'info', 'info', 'critical']);
    const long = composePage({ ...incident, title: 'x'.repeat(2000) }, { to: ['dba'] });
    expect(pagerDutyTrigger(long, KEY, 1).payload?.summary).toHaveLength(1024);
  });

  it('resolves by the same dedup_key, with no payload', () => {
    expect(pagerDutyResolve(incident.id, KEY)).toEqual({
      routing_key: KEY,
      event_action: 'resolve',
      dedup_key: incident.id,
    });
  });
});

describe('sendPagerDutyEvent', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('never prints the routing key, even when the answer echoes it', async () => {
    server = createServer((_req, res) =>
      res.writeHead(400).end(JSON.stringify({ status: 'invalid event', errors: [`unknown routing_key ${KEY}`] })),
    );
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
    const error = (await sendPagerDutyEvent(url, pagerDutyResolve(incident.id, KEY), 'nothing was sent').catch(
      (e: unknown) => e,
    )) as IncError;
    expect(error).toBeInstanceOf(IncError);
    expect(error.message).toMatch(/^PagerDuty answered 400/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[REDACTED]');
  });
});

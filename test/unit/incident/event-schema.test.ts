import { describe, expect, it } from 'vitest';
import { describeInvalidEvent } from '../../../src/incident/event-schema.js';

const event = (type: string, data: object) => ({
  v: 1,
  id: '01KAB000000000000000000005',
  at: '2026-01-10T14:04:00.000Z',
  type,
  actor: 'alice',
  data,
});

const update = { status: 'identified', format: 'slack', text: '…', nextUpdateAt: '2026-01-10T14:19:00.000Z' };

describe('describeInvalidEvent', () => {
  it('reads updates and escalations written before delivery was recorded', () => {
    expect(describeInvalidEvent(event('update', update))).toBeUndefined();
    expect(describeInvalidEvent(event('escalation', { to: ['dba'], paged: true }))).toBeUndefined();
  });

  it('reads what became of a post or a page, and refuses one of the wrong shape', () => {
    const refused = { to: 'slack', ok: false, error: 'HTTP 500', text: ':mag: …' };
    expect(describeInvalidEvent(event('update', { ...update, post: refused }))).toBeUndefined();
    expect(
      describeInvalidEvent(event('update', { ...update, post: { to: 'slack', ok: true }, resends: '01KAB0' })),
    ).toBeUndefined();
    expect(
      describeInvalidEvent(event('escalation', { to: ['dba'], page: { to: 'page-webhook', ok: false } })),
    ).toBeUndefined();
    expect(describeInvalidEvent(event('update', { ...update, post: { to: 'slack', ok: 'yes' } }))).toBe(
      'data.post.ok: Invalid input: expected boolean, received string',
    );
    expect(describeInvalidEvent(event('update', { ...update, resends: 5 }))).toMatch(/^data\.resends:/);
  });
});

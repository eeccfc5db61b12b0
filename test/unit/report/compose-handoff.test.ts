import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { composeHandoff } from '../../../src/report/compose-handoff.js';
import { createTemplateRenderer, type TemplateRenderer } from '../../../src/report/template-engine.js';
import { tidyMarkdown } from '../../../src/report/tidy-markdown.js';
import { nextUpdateDue } from '../../../src/report/update-due.js';
import { loadFixtureEvents, projectIncident } from './load-fixture.js';
import { markdownErrors, UNRENDERED } from './render-helpers.js';

function event(id: string, at: string, type: string, data: Record<string, unknown>): IncidentEvent {
  return { v: 1, id, at, type, actor: 'bob', data } as IncidentEvent;
}

const resolvedSev1 = projectIncident('INC-20260110-1400-checkout-errors', loadFixtureEvents('checkout-sev1'));
const openSev2 = projectIncident('INC-20260112-0900-search-latency', [
  event('01KAC000000000000000000001', '2026-01-12T09:00:00.000Z', 'declared', {
    title: 'Search latency | p99',
    severity: 'SEV2',
    services: ['search'],
  }),
  event('01KAC000000000000000000002', '2026-01-12T09:05:00.000Z', 'update', {
    status: 'investigating',
    format: 'slack',
    text: '…',
    nextUpdateAt: '2026-01-12T09:35:00.000Z',
  }),
  event('01KAC000000000000000000003', '2026-01-12T09:06:00.000Z', 'note', {
    text: 'Add a latency SLO alert',
    kind: 'action-item',
    owner: 'dan',
    due: '2026-01-11',
  }),
]);
const openSev4 = projectIncident('INC-20260112-0930-typo', [
  event('01KAD000000000000000000001', '2026-01-12T09:30:00.000Z', 'declared', {
    title: 'Typo on status page',
    severity: 'SEV4',
    commander: 'eve',
    services: [],
  }),
]);
const old = projectIncident('INC-20251201-1000-old', [
  event('01KAE000000000000000000001', '2025-12-01T10:00:00.000Z', 'declared', {
    title: 'Old one',
    severity: 'SEV3',
    services: [],
  }),
  event('01KAE000000000000000000002', '2025-12-01T11:00:00.000Z', 'resolved', {}),
]);
const clock = new FakeClock('2026-01-12T10:00:00Z');

let renderer: TemplateRenderer;
beforeAll(async () => {
  renderer = await createTemplateRenderer();
});

describe('nextUpdateDue', () => {
  it('uses the time the last update promised and flags it once passed', () => {
    expect(nextUpdateDue(openSev2, new Date('2026-01-12T09:30:00Z'))).toMatchObject({ kind: 'due', overdue: false });
    expect(nextUpdateDue(openSev2, clock.now())).toMatchObject({ kind: 'due', overdue: true, overdueMs: 25 * 60_000 });
  });

  it('expects a first update 5 minutes after declaring a SEV2, none for SEV4 or once resolved', () => {
    const fresh = projectIncident('INC-20260112-0900-x', openSev2.events.slice(0, 1));
    const due = nextUpdateDue(fresh, clock.now());
    expect(due.kind === 'due' && due.at.toISOString()).toBe('2026-01-12T09:05:00.000Z');
    expect(nextUpdateDue(openSev4, clock.now())).toEqual({ kind: 'none', reason: 'no-cadence' });
    expect(nextUpdateDue(resolvedSev1, clock.now())).toEqual({ kind: 'none', reason: 'resolved' });
  });
});

describe('composeHandoff', () => {
  const handoff = composeHandoff([old, resolvedSev1, openSev2, openSev4], clock);

  it('lists open incidents with state, commander and next update, overdue flagged', () => {
    expect(handoff.summary).toBe('2 open incidents (1 with an overdue update); 1 resolved in the last 7 days.');
    expect(handoff.open).toEqual([
      {
        id: 'INC-20260112-0900-search-latency',
        title: 'Search latency | p99',
        severity: 'SEV2',
        state: 'Investigating',
        commander: 'nobody',
        duration: '1h00m',
        nextUpdate: 'OVERDUE by 25m (was due 09:35 UTC)',
        overdue: true,
      },
      expect.objectContaining({
        id: 'INC-20260112-0930-typo',
        commander: 'eve',
        nextUpdate: 'none planned',
        overdue: false,
      }),
    ]);
  });

  it('lists the incidents resolved in the last 7 days only', () => {
    expect(handoff.recent.map((incident) => [incident.id, incident.state, incident.postmortem])).toEqual([
      ['INC-20260110-1400-checkout-errors', 'Resolved', 'not written'],
    ]);
  });

  it('looks further back when asked', () => {
    const month = composeHandoff([old, resolvedSev1], clock, [], 60);
    expect(month.recent.map((incident) => incident.id)).toEqual([
      'INC-20251201-1000-old',
      'INC-20260110-1400-checkout-errors',
    ]);
    expect(month.summary).toBe('No open incidents. 2 resolved in the last 60 days.');
  });

  it('names what to watch: overdue updates, missing commanders, open incidents, action items, missing postmortems', () => {
    const watch = handoff.watch.join('\n');
    expect(watch).toContain('INC-20260112-0900-search-latency: status update overdue by 25m');
    expect(watch).toContain('INC-20260112-0900-search-latency: no commander assigned');
    expect(watch).toContain('INC-20260112-0930-typo: unresolved SEV4');
    expect(watch).toContain('action item "Add a latency SLO alert" (owner dan, due 2026-01-11) (OVERDUE)');
    expect(watch).toContain('action item "Add a canary stage for api deploys" (owner carol, due 2026-01-17)');
    expect(watch).toContain(
      'INC-20260110-1400-checkout-errors: SEV1 resolved without a postmortem (due 2026-01-16; inc postmortem',
    );
    expect(watch).not.toContain('INC-20251201-1000-old');
  });

  it('renders lint-clean Markdown, also with nothing to report', async () => {
    for (const data of [handoff, composeHandoff([], clock)]) {
      const markdown = tidyMarkdown(await renderer.render('handoff.md', { handoff: data }));
      expect(markdown).not.toMatch(UNRENDERED);
      expect(await markdownErrors(markdown)).toEqual([]);
    }
    const markdown = tidyMarkdown(await renderer.render('handoff.md', { handoff }));
    expect(markdown).toContain(
      '| INC-20260112-0900-search-latency | Search latency \\| p99 | SEV2 | Investigating | nobody | 1h00m | OVERDUE by 25m (was due 09:35 UTC) |',
    );
  });

  it('keeps a missing required postmortem flagged whatever its age, with its due date, until written', () => {
    const later = new FakeClock('2026-03-01T10:00:00Z');
    const watch = composeHandoff([old, resolvedSev1], later).watch;
    expect(watch).toContain(
      'INC-20260110-1400-checkout-errors: SEV1 resolved without a postmortem (due 2026-01-16, OVERDUE; inc postmortem --incident INC-20260110-1400-checkout-errors)',
    );
    // A SEV3 needs none.
    expect(watch.join('\n')).not.toContain('INC-20251201-1000-old');
    const written = projectIncident('INC-20260110-1400-checkout-errors', [
      ...loadFixtureEvents('checkout-sev1'),
      event('01KAB0000000000000000000PM', '2026-01-12T09:00:00.000Z', 'postmortem', { path: 'postmortem.md' }),
    ]);
    expect(composeHandoff([written], later).watch.join('\n')).not.toContain('without a postmortem');
  });

  it('flags the missing postmortem of a SEV1 lowered to SEV3 before it was resolved', () => {
    const lowered = projectIncident('INC-20251201-1000-old', [
      event('01KAE000000000000000000001', '2025-12-01T10:00:00.000Z', 'declared', {
        title: 'Old one',
        severity: 'SEV1',
        services: [],
      }),
      event('01KAE000000000000000000003', '2025-12-01T10:30:00.000Z', 'severity', { from: 'SEV1', to: 'SEV3' }),
      event('01KAE000000000000000000002', '2025-12-01T11:00:00.000Z', 'resolved', {}),
    ]);
    expect(composeHandoff([lowered], clock).watch).toContain(
      'INC-20251201-1000-old: SEV3 (was SEV1) resolved without a postmortem (due 2025-12-08, OVERDUE; inc postmortem --incident INC-20251201-1000-old)',
    );
  });

  it('carries the handoff items and the contacts of the config', async () => {
    const data = composeHandoff([], clock, [], 7, {
      notes: [{ id: 'a', at: '2026-01-12T08:00:00.000Z', actor: 'alice', text: 'DB failover drill Thursday' }],
      contacts: { 'on-call': 'alice, +1 555 0100', vp: 'victor' },
    });
    expect(data.notes).toEqual([
      { number: 1, text: 'DB failover drill Thursday', by: 'alice', at: '2026-01-12 08:00 UTC' },
    ]);
    const markdown = tidyMarkdown(await renderer.render('handoff.md', { handoff: data }));
    expect(markdown).toContain(
      '## Watch items, risks and maintenance\n\n1. DB failover drill Thursday (alice, 2026-01-12 08:00 UTC)\n',
    );
    expect(markdown).toContain('| on-call | alice, +1 555 0100 |');
    expect(await markdownErrors(markdown)).toEqual([]);
  });
});

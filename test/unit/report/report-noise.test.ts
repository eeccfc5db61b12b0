import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { composePostmortem } from '../../../src/report/compose-postmortem.js';
import { composeStatusUpdate } from '../../../src/report/compose-status-update.js';
import { formatDueUtc } from '../../../src/report/format-time.js';
import { renderStatusUpdate } from '../../../src/report/publish-status-update.js';
import { createTemplateRenderer, type TemplateRenderer } from '../../../src/report/template-engine.js';
import { tidyMarkdown } from '../../../src/report/tidy-markdown.js';
import { eventsUntil, fixtureAction, fixtureEvent, loadFixtureEvents, projectIncident } from './load-fixture.js';
import { markdownErrors } from './render-helpers.js';

const ID = 'INC-20260110-1400-checkout-errors';
const all = loadFixtureEvents('checkout-sev1');
const clock = new FakeClock('2026-01-10T14:30:00Z');
const scale = {
  action: 'scale',
  playbook: 'scale',
  target: { kind: 'Deployment', namespace: 'payments', name: 'web' },
};

let renderer: TemplateRenderer;
beforeAll(async () => {
  renderer = await createTemplateRenderer();
});

/** A triage event of 2026-01-10 at `time`, naming the api rollout as its suspect. */
function triage(id: string, time: string, headline: string, evidence = `evidence/triage-${id}.json`): IncidentEvent {
  const suspect = {
    workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    change: 'rollout to revision 4 (image registry.example.com/api:2.3.1)',
    at: '2026-01-10T13:54:00.000Z',
    why: `${headline}; rolled out 1m before`,
  };
  return fixtureEvent(id, time, 'triage', {
    context: 'prod-eu',
    namespaces: ['payments'],
    summary: { critical: 1, warning: 0, info: 0 },
    headline,
    findings: [{ id: 'f', severity: 'critical', title: headline }],
    suspects: [suspect],
    evidence,
  });
}

/** Besides the verified rollback: a dry run, a plan left alone, a declined scale, an apply that failed. */
const noise: IncidentEvent[] = [
  fixtureAction('N1', '14:05:00', {
    ...scale,
    actionId: 'A-DRY',
    phase: 'planned',
    dryRun: true,
    summary: 'dry scale',
  }),
  fixtureAction('N2', '14:05:10', { ...scale, actionId: 'A-PLAN', phase: 'planned', summary: 'planned scale' }),
  fixtureAction('N3', '14:05:20', { ...scale, actionId: 'A-NO', phase: 'planned', summary: 'declined scale' }),
  fixtureAction('N4', '14:05:30', {
    ...scale,
    actionId: 'A-NO',
    phase: 'stopped',
    summary: 'declined scale: stopped at step "scale": not confirmed',
  }),
  fixtureAction('N5', '14:08:30', { ...scale, actionId: 'A-FAIL', phase: 'planned', summary: 'scale web to 6' }),
  fixtureAction('N6', '14:08:40', {
    ...scale,
    actionId: 'A-FAIL',
    phase: 'failed',
    summary: 'scale web to 6',
    error: 'outcome unknown (the answer was lost)',
  }),
];

describe('status updates list only applied changes and quote only triage after the last change', () => {
  const events = [...eventsUntil(all, '2026-01-10T14:09:30'), ...noise];

  it('a monitoring update lists the applied rollback, mentions the failed attempt apart, quotes no old triage', async () => {
    const update = composeStatusUpdate(projectIncident(ID, events), { format: 'text' }, { clock });
    expect(update.status).toBe('monitoring');
    expect(update.lastActions.map((action) => action.summary)).toEqual([
      'Rolled back deployment payments/api from revision 4 to revision 3',
    ]);
    expect(update.failedAttempts.map((action) => action.line)).toEqual([
      'scale web to 6 (failed: outcome unknown (the answer was lost), 14:08 UTC)',
    ]);
    expect(update.headline).toBeNull();
    const text = await renderStatusUpdate(renderer, update);
    expect(text).not.toMatch(/dry scale|planned scale|declined scale|crash-looping/);
    expect(text).toContain('Tried without effect: scale web to 6 (failed: outcome unknown');
    const markdown = await renderStatusUpdate(renderer, { ...update, format: 'markdown' });
    expect(await markdownErrors(markdown)).toEqual([]);
    expect(markdown).toContain('Tried since, without effect:');
  });

  it('quotes the latest triage run after the last change, even one recorded in the same millisecond', () => {
    const after = triage('T2', '14:06:30', 'no critical findings left');
    const update = composeStatusUpdate(projectIncident(ID, [...events, after]), { format: 'text' }, { clock });
    expect(update.headline).toBe('no critical findings left');
  });
});

describe('the postmortem does not repeat itself', () => {
  const repeats = ['14:03:10', '14:03:20', '14:03:30', '14:03:40'].map((time, i) =>
    triage(`R${i}`, time, '3/3 pods of deployment payments/api crash-looping'),
  );
  const friday = fixtureEvent('DUE1', '14:09:10', 'note', {
    text: 'Page on crash loops',
    kind: 'action-item',
    due: '2026-01-16T17:00:00.000Z',
  });
  const events = [...all, ...noise, ...repeats, friday];

  it('lists one lead per suspect with when it was first and last seen', () => {
    const pm = composePostmortem(projectIncident(ID, events), {}, clock);
    expect(pm.leads).toEqual([
      'Deployment payments/api: rollout to revision 4 (image registry.example.com/api:2.3.1) (3/3 pods of deployment payments/api crash-looping; rolled out 1m before); first seen 2026-01-10 14:03 UTC, last 14:03 UTC, in 5 triages',
    ]);
  });

  it('collapses identical consecutive triage rows and keeps different ones', () => {
    const pm = composePostmortem(projectIncident(ID, events), {}, clock);
    const triageRows = pm.timeline.filter((row) => row.event.startsWith('Triage:'));
    // The fixture's own triage differs (another summary and a warning); the four repeats are one row.
    expect(triageRows).toHaveLength(2);
    expect(triageRows[1]?.time).toBe('2026-01-10 14:03:10');
    expect(triageRows[1]?.detail).toContain('the same result 4 times, the last at 2026-01-10 14:03:40 UTC');
    expect(triageRows[1]?.detail).not.toContain('evidence/');
    // The counts are in the headline (the event column); the detail does not say them again.
    for (const row of triageRows) expect(row.detail).not.toMatch(/\d+ critical, \d+ warning/);
    expect(pm.evidence).toHaveLength(5);
  });

  it('keeps plans and dry runs out, and failed or declined attempts apart from the mitigations', async () => {
    const pm = composePostmortem(projectIncident(ID, events), {}, clock);
    expect(pm.mitigations).toEqual(['Rolled back deployment payments/api from revision 4 to revision 3 (verified)']);
    expect(pm.attempts).toEqual([
      '2026-01-10 14:05 UTC: declined scale: stopped at step "scale": not confirmed (stopped)',
      '2026-01-10 14:08 UTC: scale web to 6 (failed: outcome unknown (the answer was lost))',
    ]);
    const rows = pm.timeline.map((row) => row.event);
    expect(rows.filter((event) => event.startsWith('Action:'))).toEqual([
      'Action: Rolled back deployment payments/api from revision 4 to revision 3',
    ]);
    expect(rows.filter((event) => event.startsWith('Not applied:'))).toHaveLength(2);
    expect(rows.join('\n')).not.toMatch(/dry scale|planned scale/);
    const markdown = tidyMarkdown(await renderer.render('postmortem.md', { pm }));
    expect(await markdownErrors(markdown)).toEqual([]);
    expect(markdown).toContain('Attempts that changed nothing');
  });

  it('prints due dates as people read them', () => {
    const pm = composePostmortem(projectIncident(ID, events), {}, clock);
    // The P1 item (no due date) comes first; the others keep their order.
    expect(pm.actionItems.map((item) => item.due)).toEqual(['not set', '2026-01-17', '2026-01-16 17:00 UTC']);
    const row = pm.timeline.find((entry) => entry.event === 'Action item: Page on crash loops');
    expect(row?.detail).toBe('due 2026-01-16 17:00 UTC');
    expect(formatDueUtc('not a date')).toBe('not a date');
  });
});

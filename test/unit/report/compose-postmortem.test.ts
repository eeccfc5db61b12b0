import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { composePostmortem, POSTMORTEM_QUESTIONS } from '../../../src/report/compose-postmortem.js';
import { createTemplateRenderer, type TemplateRenderer } from '../../../src/report/template-engine.js';
import { tidyMarkdown } from '../../../src/report/tidy-markdown.js';
import { eventsUntil, fixtureAction, fixtureEvent, loadFixtureEvents, projectIncident } from './load-fixture.js';
import { markdownErrors, UNRENDERED } from './render-helpers.js';

const ID = 'INC-20260110-1400-checkout-errors';
const all = loadFixtureEvents('checkout-sev1');
const clock = new FakeClock('2026-01-11T09:00:00Z');

let renderer: TemplateRenderer;
beforeAll(async () => {
  renderer = await createTemplateRenderer();
});

async function render(answers = {}, events = all): Promise<string> {
  const postmortem = composePostmortem(projectIncident(ID, events), answers, clock);
  return tidyMarkdown(await renderer.render('postmortem.md', { pm: postmortem }));
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(/\n#{1,3} /);
  return next === -1 ? rest : rest.slice(0, next);
}

describe('composePostmortem', () => {
  it('computes the metrics from the milestones, each with its from and to', () => {
    const { metrics } = composePostmortem(projectIncident(ID, all), {}, clock);
    expect(metrics.map((m) => [m.name, m.from, m.to, m.text])).toEqual([
      ['Time to declare', 'impact started', 'declared', '5m'],
      ['Time to acknowledge', 'declared', 'acknowledged', '1m'],
      ['Time to mitigate', 'impact started', 'mitigated', '13m'],
      ['Time to resolve', 'impact started', 'resolved', '25m'],
      ['Duration (declared)', 'declared', 'resolved', '20m'],
    ]);
  });

  it('says "not recorded" for a milestone a resolved incident never recorded', () => {
    const noAck = all.filter((event) => !(event.type === 'status' && event.data.state === 'acknowledged'));
    const { metrics } = composePostmortem(projectIncident(ID, noAck), {}, clock);
    expect(metrics.find((m) => m.name === 'Time to acknowledge')?.text).toBe('not recorded');
  });

  it('says "not yet" for milestones an open incident has not reached', () => {
    const open = composePostmortem(projectIncident(ID, eventsUntil(all, '2026-01-10T14:05:00')), {}, clock);
    expect(open.metrics.find((m) => m.name === 'Time to mitigate')?.text).toBe('not yet');
    expect(open.metrics.find((m) => m.name === 'Duration (declared)')?.text).toBe('not yet');
    expect(open.resolvedAt).toBeNull();
  });

  it('puts every action and update of the log in the timeline, in order, with UTC times and results', async () => {
    const markdown = await render();
    const rows = section(markdown, '## Timeline (UTC)')
      .split('\n')
      .filter((line) => /^\| \d{4}-/.test(line));
    expect(rows.map((row) => row.slice(2, 21))).toEqual([
      '2026-01-10 14:00:00',
      '2026-01-10 14:01:00',
      '2026-01-10 14:02:00',
      '2026-01-10 14:03:00',
      '2026-01-10 14:04:00',
      '2026-01-10 14:05:00',
      '2026-01-10 14:06:00',
      '2026-01-10 14:09:00',
      '2026-01-10 14:09:30',
      '2026-01-10 14:10:00',
      '2026-01-10 14:12:00',
      '2026-01-10 14:20:00',
    ]);
    expect(rows[0]).toContain('Declared SEV1: Checkout errors after deploy');
    expect(rows[3]).toContain('Triage: 3/3 pods of deployment payments/api crash-looping');
    expect(rows[3]).toContain('suspect Deployment payments/api: rollout to revision 4');
    expect(rows[4]).toContain('Status update (text): identified');
    expect(rows[4]).toContain('| Next update due 2026-01-10 14:19:00 UTC. |');
    expect(rows[6]).toContain('Action: Rolled back deployment payments/api from revision 4 to revision 3');
    expect(rows[6]).toContain('Result: verified at 2026-01-10 14:08:00 UTC');
    expect(rows[8]).toContain('Hold deploys to payments until the fix \\| reviewed');
    expect(rows[9]).toContain('Status update (slack): monitoring');
    expect(rows[11]).toContain('Resolved');
  });

  it('lists action items as a table with priority, type, owner and due date, P1 first', async () => {
    const items = section(await render(), '## Action items');
    expect(items).toContain('| Item | Priority | Type | Owner | Due |');
    const rows = items.split('\n').filter((line) => /^\| [A-Z][a-z]/.test(line) && !line.startsWith('| Item '));
    expect(rows).toEqual([
      '| Alert on crash loops within 2 minutes of a rollout | P1 | unclassified | unassigned | not set |',
      '| Add a canary stage for api deploys | not set | prevent | carol | 2026-01-17 |',
    ]);
  });

  it('names who did each thing in the timeline, asks for the impact figures and gives the due date', async () => {
    const markdown = await render();
    expect(markdown).toContain('| Time (UTC) | Event | Who | Details |');
    const rows = section(markdown, '## Timeline (UTC)')
      .split('\n')
      .filter((line) => /^\| \d{4}-/.test(line));
    expect(rows[0]).toMatch(
      /^\| 2026-01-10 14:00:00 \| Declared SEV1: Checkout errors after deploy \| alice \| commander alice/,
    );
    expect(rows.every((row) => row.split(' | ')[2]?.trim())).toBe(true);
    const impact = section(markdown, '## Impact');
    for (const label of ['Users affected', 'Revenue impact', 'Data loss', 'SLA breach'])
      expect(impact).toMatch(new RegExp(`^- ${label}: _TODO \\(author\\): .+_$`, 'm'));
    // Resolved Saturday 2026-01-10 14:20 UTC: five business days later is Friday 2026-01-16.
    expect(markdown).toContain('| Postmortem due | 2026-01-16 (within 5 business days of the resolution) |');
    const answered = await render({ impactRevenue: 'About 2,000 EUR of orders retried later.' });
    expect(section(answered, '## Impact')).toContain('- Revenue impact: About 2,000 EUR of orders retried later.\n');
  });

  it('keeps the postmortem required, and says the highest severity, when a SEV1 was lowered before the end', async () => {
    const lowered = fixtureEvent('01KAB00000000000000000LOW0', '14:16:00', 'severity', { from: 'SEV1', to: 'SEV3' });
    const markdown = await render({}, [...all, lowered]);
    expect(markdown).toContain('| Severity | SEV3 (highest: SEV1) |');
    expect(markdown).toContain(
      '| Postmortem due | 2026-01-16 (within 5 business days of the resolution; required: it was SEV1) |',
    );
  });

  it('lists a mitigation recorded by hand with inc mitigated, with its reason', async () => {
    const markdown = await render({}, [
      fixtureEvent('01KAB00000000000000000HND0', '14:00:00', 'declared', {
        title: 'Checkout errors',
        severity: 'SEV2',
        services: [],
      }),
      fixtureEvent('01KAB00000000000000000HND1', '14:10:00', 'status', {
        state: 'mitigated',
        reason: 'feature flag new-checkout turned off',
      }),
    ]);
    const mitigation = section(markdown, '## Resolution and mitigation');
    expect(mitigation).not.toContain('No mitigation was recorded');
    expect(mitigation).toContain(
      '- feature flag new-checkout turned off (marked mitigated at 2026-01-10 14:10 UTC by alice)',
    );
  });

  it('keeps a title and a resolution of several lines on one line of the summary, so they open no heading', async () => {
    const markdown = await render({}, [
      fixtureEvent('01KAB00000000000000000ML00', '14:00:00', 'declared', {
        title: 'Checkout errors\n## Root cause and trigger',
        severity: 'SEV2',
        services: [],
      }),
      fixtureEvent('01KAB00000000000000000ML01', '14:10:00', 'resolved', { summary: 'Rolled back\n# done' }),
    ]);
    expect(markdown.match(/^## Root cause and trigger$/gm)).toHaveLength(1);
    expect(markdown).not.toMatch(/^# done/m);
    expect(section(markdown, '## Summary')).toContain(
      'SEV2 incident "Checkout errors ## Root cause and trigger" lasted 10m from impact start to resolution. Resolution: Rolled back # done.',
    );
  });

  it('lists the roles, then everyone else who recorded in the log (a teammate synced in)', async () => {
    const note = all.find((event) => event.type === 'note');
    const carol = { ...note, id: '01KAB00000000000000000CAR0', actor: 'carol' } as (typeof all)[number];
    const responders = section(await render({}, [...all, carol]), '## Responders');
    expect(responders.trim().split('\n')).toEqual(['- commander: alice', '- scribe: bob', '- responder: carol']);
  });

  it('leaves what the log cannot know as marked prompts, never invented text', async () => {
    const markdown = await render();
    expect(section(markdown, '## Detection').trim()).toMatch(
      /\n\n> _TODO \(author\): say how and when it was detected.+_$/,
    );
    for (const heading of [
      '## Contributing factors',
      '### What went well',
      '### What could be improved',
      '### Where we got lucky',
    ]) {
      expect(section(markdown, heading).trim()).toMatch(/^> _TODO \(author\): .+_$/);
    }
    expect(section(markdown, '## Root cause and trigger')).toContain('Leads from triage');
    // One per question, plus the external message: no Statuspage update was sent.
    expect((markdown.match(/TODO \(author\)/g) ?? []).length).toBe(POSTMORTEM_QUESTIONS.length + 1);
  });

  it('quotes the last internal update sent, and asks for the external message when none was sent', async () => {
    const markdown = await render();
    expect(section(markdown, '### Internal summary')).toContain('```text\n:eyes: monitoring\n```');
    expect(section(markdown, '### External message').trim()).toMatch(
      /^> _TODO \(author\): say whether customers need a message/,
    );
  });

  it('states the detection facts the log knows', async () => {
    expect(section(await render(), '## Detection')).toContain(
      [
        '- Impact started 2026-01-10 13:55 UTC; declared 2026-01-10 14:00 UTC, 5m later.',
        '- First triage 2026-01-10 14:03 UTC: 3/3 pods of deployment payments/api crash-looping.',
        '- First status update 2026-01-10 14:04 UTC (text).',
      ].join('\n'),
    );
  });

  it('uses the author answers in place of the prompts', async () => {
    const markdown = await render({
      rootCause: 'A config default changed in 2.3.1.',
      lucky: 'Low traffic at the time.',
    });
    expect(section(markdown, '## Root cause and trigger')).toContain('A config default changed in 2.3.1.');
    expect(section(markdown, '### Where we got lucky').trim()).toBe('Low traffic at the time.');
    expect((markdown.match(/TODO \(author\)/g) ?? []).length).toBe(POSTMORTEM_QUESTIONS.length - 1);
  });

  it('renders lint-clean Markdown with no template markers, resolved or not', async () => {
    for (const events of [all, eventsUntil(all, '2026-01-10T14:00:00'), eventsUntil(all, '2026-01-10T14:09:00')]) {
      const markdown = await render({}, events);
      expect(markdown).not.toMatch(UNRENDERED);
      expect(await markdownErrors(markdown)).toEqual([]);
    }
    const markdown = await render();
    expect(
      markdown.startsWith('# Postmortem: Checkout errors after deploy (INC-20260110-1400-checkout-errors)\n'),
    ).toBe(true);
    expect(markdown).toContain('| Duration | 25m |');
    expect(markdown).toContain('| Time to resolve | impact started | resolved | 25m |');
  });
});

describe('the timeline of mitigations', () => {
  function action(id: string, at: string, actionId: string, phase: string, extra: Record<string, unknown> = {}) {
    const step = { playbook: 'scale', step: 'scale', action: 'scale' };
    return fixtureAction(id, at, { actionId, phase, ...step, summary: `${actionId} summary`, ...extra });
  }

  it('shows a failed action with its error, and an undo with what it reverted', async () => {
    const events = [
      ...eventsUntil(all, '2026-01-10T14:05:00'),
      action('01KAB9A00000000000000000A1', '14:06:00', 'scale-1', 'applied'),
      action('01KAB9A00000000000000000A2', '14:06:10', 'scale-1', 'failed', { error: 'rollout stalled' }),
      action('01KAB9A00000000000000000A3', '14:07:00', 'scale-2', 'applied'),
      action('01KAB9A00000000000000000A4', '14:07:30', 'scale-2', 'verified'),
      action('01KAB9A00000000000000000A5', '14:08:00', 'undo-2', 'applied', { undoes: 'scale-2' }),
      action('01KAB9A00000000000000000A6', '14:08:05', 'undo-2', 'undone', { undoes: 'scale-2' }),
      action('01KAB9A00000000000000000A7', '14:08:20', 'undo-2', 'verified', { undoes: 'scale-2' }),
    ];
    const markdown = await render({}, events);
    const rows = markdown.split('\n').filter((line) => /^\| 2026-01-10 14:0[678]/.test(line));
    expect(rows).toEqual([
      '| 2026-01-10 14:06:00 | Action: scale-1 summary | alice | Result: failed: rollout stalled at 2026-01-10 14:06:10 UTC (playbook scale, step scale, scale, context prod-eu) |',
      '| 2026-01-10 14:07:00 | Action: scale-2 summary | alice | Result: verified, later undone at 2026-01-10 14:07:30 UTC (playbook scale, step scale, scale, context prod-eu) |',
      '| 2026-01-10 14:08:00 | Undo: undo-2 summary | alice | Result: verified at 2026-01-10 14:08:20 UTC (playbook scale, step scale, scale, context prod-eu) |',
    ]);
    expect(section(markdown, '## Resolution and mitigation')).toContain('- scale-2 summary (verified, later undone)');
  });

  it('puts escalations in the timeline, saying whether anyone was paged', async () => {
    const events = [
      ...eventsUntil(all, '2026-01-10T14:05:00'),
      fixtureEvent('01KAB9E00000000000000000E1', '14:05:30', 'escalation', {
        severity: 'SEV1',
        to: ['on-call', 'vp'],
        reason: 'all regions down',
      }),
      fixtureEvent('01KAB9E00000000000000000E2', '14:05:40', 'escalation', { to: ['dba'], paged: true }),
    ];
    const rows = (await render({}, events)).split('\n').filter((line) => line.includes('Escalated'));
    expect(rows).toEqual([
      '| 2026-01-10 14:05:30 | Escalated (SEV1) to on-call, vp | alice | not paged; all regions down |',
      '| 2026-01-10 14:05:40 | Escalated to dba | alice | paged |',
    ]);
  });

  it('does not quote or count as sent an update Slack did not take, and says so in the timeline', async () => {
    const refused = fixtureEvent('01KAB9U00000000000000000U1', '14:11:00', 'update', {
      status: 'monitoring',
      format: 'slack',
      text: ':eyes: still monitoring, never delivered',
      impact: 'an impact nobody was told of',
      post: { to: 'slack', ok: false, error: 'HTTP 500' },
    });
    const events = [...eventsUntil(all, '2026-01-10T14:10:30'), refused];
    const pm = composePostmortem(projectIncident(ID, events), {}, clock);
    expect(pm.lastImpact).toBe('About 30% of checkout requests fail');
    expect(pm.lastInternalUpdate).toBe(':eyes: monitoring');
    expect(pm.updateCount).toBe(2);
    expect(pm.undeliveredUpdateCount).toBe(1);
    const markdown = await render({}, events);
    expect(markdown).not.toContain('never delivered');
    expect(markdown).toContain(
      '- Status updates sent: 2 (1 more posted but not delivered, never resent: see the timeline)',
    );
    expect(markdown).toContain(
      '| 2026-01-10 14:11:00 | Status update (slack): monitoring | alice | Not delivered to Slack (HTTP 500). |',
    );

    const resent = fixtureEvent('01KAB9U00000000000000000U2', '14:12:00', 'update', {
      ...(refused.data as unknown as Record<string, unknown>),
      post: { to: 'slack', ok: true },
      resends: refused.id,
    });
    const after = composePostmortem(projectIncident(ID, [...events, resent]), {}, clock);
    expect(after.lastInternalUpdate).toBe(':eyes: still monitoring, never delivered');
    expect([after.updateCount, after.undeliveredUpdateCount]).toEqual([3, 0]);
    expect(await render({}, [...events, resent])).toContain(
      '| 2026-01-10 14:12:00 | Status update (slack): monitoring | alice | Resent to Slack. |',
    );
  });

  it('says why a page was not taken, apart from an escalation that sent none', async () => {
    const events = [
      ...eventsUntil(all, '2026-01-10T14:05:00'),
      fixtureEvent('01KAB9E00000000000000000E3', '14:05:30', 'escalation', {
        to: ['dba'],
        page: { to: 'page-webhook', ok: false, error: 'HTTP 503' },
      }),
    ];
    const rows = (await render({}, events)).split('\n').filter((line) => line.includes('Escalated'));
    expect(rows).toEqual([
      '| 2026-01-10 14:05:30 | Escalated to dba | alice | not paged: not delivered to the page webhook (HTTP 503) |',
    ]);
  });

  it('names the context of each mitigation when the incident spans several (a fleet triage)', () => {
    const summary = { critical: 1, warning: 0, info: 0 };
    const fleet = fixtureEvent('01KAB9A00000000000000000F1', '14:05:30', 'triage', {
      context: 'prod-eu, prod-ap',
      namespaces: 'all',
      summary: { critical: 2, warning: 0, info: 0 },
      headline: '2 contexts · 2 critical, 0 warning in prod-eu, prod-ap',
      findings: [],
      suspects: [],
      contexts: [
        { context: 'prod-eu', status: 'ok', summary, headline: '1 critical' },
        { context: 'prod-ap', status: 'ok', summary, headline: '1 critical' },
      ],
    });
    const rollback = [
      fixtureAction('01KAB9A00000000000000000A1', '14:06:00', {
        actionId: 'undo-1',
        phase: 'applied',
        summary: 'roll back payments/api',
      }),
      fixtureAction('01KAB9A00000000000000000A2', '14:06:30', {
        actionId: 'undo-1',
        phase: 'verified',
        summary: 'roll back payments/api',
      }),
    ];
    const spanning = composePostmortem(
      projectIncident(ID, [...eventsUntil(all, '2026-01-10T14:05:00'), fleet, ...rollback]),
      {},
      new FakeClock('2026-01-10T14:10:00Z'),
    );
    expect(spanning.mitigations).toEqual(['prod-eu: roll back payments/api (verified)']);
    expect(spanning.factSummary).toContain('Mitigated in prod-eu by: roll back payments/api.');
    // One cluster: its name would only be noise.
    const single = composePostmortem(
      projectIncident(ID, [...eventsUntil(all, '2026-01-10T14:05:00'), ...rollback]),
      {},
      new FakeClock('2026-01-10T14:10:00Z'),
    );
    expect(single.mitigations).toEqual(['roll back payments/api (verified)']);
  });

  it('says whom a change acted as when it impersonated (--as), in the mitigations and the timeline', () => {
    const actingAs = { user: 'oncall-admin', groups: ['sre'] };
    const rollback = [
      fixtureAction('01KAB9A00000000000000000A1', '14:06:00', {
        actionId: 'as-1',
        phase: 'applied',
        summary: 'roll back payments/api',
        actingAs,
      }),
      fixtureAction('01KAB9A00000000000000000A2', '14:06:30', {
        actionId: 'as-1',
        phase: 'verified',
        summary: 'roll back payments/api',
        actingAs,
      }),
    ];
    const postmortem = composePostmortem(
      projectIncident(ID, [...eventsUntil(all, '2026-01-10T14:05:00'), ...rollback]),
      {},
      new FakeClock('2026-01-10T14:10:00Z'),
    );
    expect(postmortem.mitigations).toEqual(['roll back payments/api (verified, as oncall-admin with groups sre)']);
    expect(postmortem.timeline.at(-1)?.detail).toContain('context prod-eu, as oncall-admin with groups sre)');
  });
});

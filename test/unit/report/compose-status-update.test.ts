import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { composeStatusUpdate } from '../../../src/report/compose-status-update.js';
import { renderStatusUpdate } from '../../../src/report/publish-status-update.js';
import { createTemplateRenderer, type TemplateRenderer } from '../../../src/report/template-engine.js';
import { UPDATE_FORMATS } from '../../../src/report/update-choices.js';
import { eventsUntil, fixtureAction, fixtureEvent, loadFixtureEvents, projectIncident } from './load-fixture.js';
import { markdownErrors, UNRENDERED } from './render-helpers.js';

const ID = 'INC-20260110-1400-checkout-errors';
const all = loadFixtureEvents('checkout-sev1');
const declaredOnly = projectIncident(ID, eventsUntil(all, '2026-01-10T14:02:00'));
const mitigated = projectIncident(ID, eventsUntil(all, '2026-01-10T14:09:30'));
const resolved = projectIncident(ID, all);

let renderer: TemplateRenderer;
beforeAll(async () => {
  renderer = await createTemplateRenderer();
});

describe('composeStatusUpdate', () => {
  it('derives status, duration and the next update from the SEV1 cadence', () => {
    const update = composeStatusUpdate(
      declaredOnly,
      { format: 'text' },
      { clock: new FakeClock('2026-01-10T14:02:30Z') },
    );
    expect(update).toMatchObject({
      status: 'investigating',
      statusLabel: 'Investigating',
      variant: 'initial',
      severity: 'SEV1',
      duration: '7m',
      startedAtText: '2026-01-10 13:55 UTC',
      cadenceMinutes: 15,
      nextUpdateAt: '2026-01-10T14:17:30.000Z',
      nextUpdateText: '14:17 UTC',
      commander: 'alice',
      lastActions: [],
    });
    expect(update.nextStep).toMatch(/inc triage/);
  });

  it('still introduces the incident when the only earlier update never reached Slack', () => {
    const refused = fixtureEvent('01KAB000000000000000000001U', '14:01:30', 'update', {
      status: 'investigating',
      format: 'slack',
      text: '…',
      post: { to: 'slack', ok: false, error: 'HTTP 500' },
    });
    const incident = projectIncident(ID, [...eventsUntil(all, '2026-01-10T14:01:00'), refused]);
    const clock = { clock: new FakeClock('2026-01-10T14:02:30Z') };
    expect(composeStatusUpdate(incident, { format: 'text' }, clock).variant).toBe('initial');
    const sent = fixtureEvent('01KAB000000000000000000001V', '14:01:30', 'update', {
      ...refused.data,
      post: undefined,
    });
    const after = projectIncident(ID, [...eventsUntil(all, '2026-01-10T14:01:00'), sent]);
    expect(composeStatusUpdate(after, { format: 'text' }, clock).variant).toBe('update');
  });

  it('carries the impact forward and lists the last action with its result', () => {
    const update = composeStatusUpdate(mitigated, { format: 'text' }, { clock: new FakeClock('2026-01-10T14:10:00Z') });
    expect(update.status).toBe('monitoring');
    expect(update.variant).toBe('update');
    expect(update.impact).toBe('About 30% of checkout requests fail');
    // The only triage ran before the rollback: it describes the cluster before the mitigation.
    expect(update.headline).toBeNull();
    expect(update.lastActions).toEqual([
      {
        at: '14:08 UTC',
        summary: 'Rolled back deployment payments/api from revision 4 to revision 3',
        result: 'verified',
        line: 'Rolled back deployment payments/api from revision 4 to revision 3 (verified, 14:08 UTC)',
      },
    ]);
    expect(update.suspect).toBe(
      'Deployment payments/api: rollout to revision 4 (image registry.example.com/api:2.3.1)',
    );
  });

  it('names the cluster of a suspect a fleet triage found, as the same deployment runs in every region', () => {
    const events = eventsUntil(all, '2026-01-10T14:09:30').map((event) =>
      event.type === 'triage'
        ? {
            ...event,
            data: { ...event.data, suspects: event.data.suspects.map((s) => ({ ...s, context: 'prod-eu' })) },
          }
        : event,
    );
    const update = composeStatusUpdate(
      projectIncident(ID, events),
      { format: 'text' },
      { clock: new FakeClock('2026-01-10T14:10:00Z') },
    );
    expect(update.suspect).toBe(
      'Deployment payments/api in prod-eu: rollout to revision 4 (image registry.example.com/api:2.3.1)',
    );
  });

  it('after a fleet triage, names the first suspect of each context, worst context first', () => {
    const node = {
      workload: { kind: 'Node', namespace: '', name: 'node-2' },
      change: 'node became unreachable (Ready=Unknown)',
      at: '2026-01-10T14:01:00Z',
      why: 'node node-2 is unreachable',
    };
    const events = eventsUntil(all, '2026-01-10T14:09:30').map((event) => {
      if (event.type !== 'triage') return event;
      const [first] = event.data.suspects;
      if (!first) throw new Error('the fixture triage names a suspect');
      const second = { ...first, workload: { ...first.workload, name: 'worker' } };
      const suspects = [
        { ...first, context: 'prod-eu' },
        { ...second, context: 'prod-eu' },
        { ...node, context: 'prod-ap' },
      ];
      return { ...event, data: { ...event.data, suspects } };
    });
    const update = composeStatusUpdate(
      projectIncident(ID, events),
      { format: 'text' },
      { clock: new FakeClock('2026-01-10T14:10:00Z') },
    );
    expect(update.suspect).toBe(
      'Deployment payments/api in prod-eu: rollout to revision 4 (image registry.example.com/api:2.3.1); ' +
        'Node node-2 in prod-ap: node became unreachable (Ready=Unknown)',
    );
  });

  it('leads with a problem a triage after the mitigation found, never with an info finding', () => {
    const clock = new FakeClock('2026-01-10T14:10:00Z');
    const info = (n: number) => ({ id: `info-${n}`, severity: 'info', title: `deployment payments/api: rollout ${n}` });
    const triageAfter = (summary: object, findings: object[]) =>
      projectIncident(ID, [
        ...eventsUntil(all, '2026-01-10T14:09:30'),
        fixtureEvent('01KAB0000000000000000000T2', '14:09:40', 'triage', {
          context: 'prod-eu',
          namespaces: ['payments'],
          summary,
          headline: 'a headline',
          findings,
          suspects: [],
        }),
      ]);

    const clean = triageAfter({ critical: 0, warning: 0, info: 0 }, []);
    clean.triages.at(-1)!.headline = 'no problems found in namespace payments, 1.2 s';
    expect(composeStatusUpdate(clean, { format: 'text' }, { clock }).headline).toBe(
      'no problems found in namespace payments',
    );

    const healthy = triageAfter({ critical: 0, warning: 0, info: 2 }, [info(1), info(2)]);
    expect(composeStatusUpdate(healthy, { format: 'text' }, { clock }).headline).toBe(
      'no critical or warning findings (2 info)',
    );

    const warning = { id: 'w', severity: 'warning', title: '1/3 pods of deployment payments/api not ready' };
    const stillBad = triageAfter({ critical: 0, warning: 1, info: 2 }, [info(1), warning, info(2)]);
    // The info findings are not "more" trouble.
    expect(composeStatusUpdate(stillBad, { format: 'text' }, { clock }).headline).toBe(
      '1/3 pods of deployment payments/api not ready',
    );
  });

  it('marks an undo as one among the last actions, and the change it reverted as later undone', () => {
    const step = { playbook: 'scale', step: 'scale', action: 'scale' };
    const act = (id: string, at: string, actionId: string, phase: string, extra: object = {}) =>
      fixtureAction(id, at, { actionId, phase, ...step, summary: `${actionId} summary`, ...extra });
    const incident = projectIncident(ID, [
      ...eventsUntil(all, '2026-01-10T14:09:30'),
      act('01KAB9U00000000000000000A1', '14:09:40', 'scale-up', 'applied'),
      act('01KAB9U00000000000000000A2', '14:09:45', 'scale-up', 'verified'),
      act('01KAB9U00000000000000000A3', '14:09:50', 'scale-down', 'applied', { undoes: 'scale-up' }),
      act('01KAB9U00000000000000000A4', '14:09:51', 'scale-down', 'undone', { undoes: 'scale-up' }),
      act('01KAB9U00000000000000000A5', '14:09:55', 'scale-down', 'verified', { undoes: 'scale-up' }),
    ]);
    const update = composeStatusUpdate(incident, { format: 'text' }, { clock: new FakeClock('2026-01-10T14:10:00Z') });
    expect(update.lastActions.map((a) => a.line).slice(-2)).toEqual([
      'scale-up summary (verified, later undone, 14:09 UTC)',
      'scale-down summary (undo, verified, 14:09 UTC)',
    ]);
  });

  it('never asks for the playbook that already ran: its suggestion came from a triage before the change', () => {
    const clock = new FakeClock('2026-01-10T14:10:00Z');
    const next = (incident: typeof mitigated, status: 'identified' | 'investigating') =>
      composeStatusUpdate(incident, { format: 'text', status }, { clock }).nextStep;
    // The fixture's only triage suggested the rollback the log then shows verified.
    expect(mitigated.triages[0]!.findings.some((f) => f.suggestion?.playbook === 'rollback')).toBe(true);
    expect(next(mitigated, 'identified')).toBe(
      'Checking what the last change did (Rolled back deployment payments/api from revision 4 to revision 3): inc triage',
    );
    expect(next(mitigated, 'investigating')).toBe('Continuing the investigation');
    // Before the rollback, the suggestion is what comes next.
    const beforeRollback = projectIncident(ID, eventsUntil(all, '2026-01-10T14:05:00'));
    expect(next(beforeRollback, 'identified')).toMatch(/^Mitigating: inc run rollback /);
  });

  it('names the context of each action once a fleet triage spans several, and not in one cluster', () => {
    const summary = { critical: 1, warning: 0, info: 0 };
    const contexts = [
      { context: 'prod-eu', status: 'ok' as const, summary, headline: '1 critical' },
      { context: 'prod-ap', status: 'ok' as const, summary, headline: '1 critical' },
    ];
    const events = eventsUntil(all, '2026-01-10T14:09:30').map((event) =>
      event.type === 'triage' ? { ...event, data: { ...event.data, contexts } } : event,
    );
    const clock = new FakeClock('2026-01-10T14:10:00Z');
    const fleet = composeStatusUpdate(projectIncident(ID, events), { format: 'text' }, { clock });
    expect(fleet.lastActions.map((action) => action.line)).toEqual([
      'prod-eu: Rolled back deployment payments/api from revision 4 to revision 3 (verified, 14:08 UTC)',
    ]);
    expect(mitigated.actions.length).toBeGreaterThan(0);
    const one = composeStatusUpdate(mitigated, { format: 'text' }, { clock });
    expect(one.lastActions[0]?.line).toBe(
      'Rolled back deployment payments/api from revision 4 to revision 3 (verified, 14:08 UTC)',
    );
  });

  it('uses the configured cadence, and promises nothing without one or once resolved', () => {
    const clock = new FakeClock('2026-01-10T14:10:00Z');
    const configured = composeStatusUpdate(
      mitigated,
      { format: 'text' },
      {
        clock,
        severities: [{ name: 'SEV1', aliases: ['P1'], updateCadenceMinutes: 20 }],
      },
    );
    expect(configured.nextUpdateAt).toBe('2026-01-10T14:30:00.000Z');
    const none = composeStatusUpdate(
      mitigated,
      { format: 'text' },
      {
        clock,
        severities: [{ name: 'SEV1', updateCadenceMinutes: null }],
      },
    );
    expect(none.nextUpdateAt).toBeNull();
    const done = composeStatusUpdate(resolved, { format: 'text' }, { clock });
    expect(done).toMatchObject({ status: 'resolved', variant: 'resolution', nextUpdateAt: null, duration: '25m' });
  });

  it('the resolution asks for the postmortem only when the severity requires one', () => {
    const clock = new FakeClock('2026-01-10T14:21:00Z');
    const sev1 = composeStatusUpdate(resolved, { format: 'text' }, { clock });
    expect(sev1.nextStep).toBe('Review: write the postmortem (inc postmortem) and follow up on the action items');
    const sev3 = composeStatusUpdate({ ...resolved, severity: 'SEV3' }, { format: 'text' }, { clock });
    expect(sev3).toMatchObject({ postmortemPromise: null, nextStep: 'Review: follow up on the action items' });
  });

  it('lets flags override the derived status, impact and ETA', () => {
    const update = composeStatusUpdate(
      mitigated,
      {
        format: 'text',
        status: 'identified',
        impact: 'EU checkouts fail',
        eta: '14:45 UTC',
        message: 'Second rollback',
      },
      { clock: new FakeClock('2026-01-10T14:10:00Z') },
    );
    expect(update).toMatchObject({
      status: 'identified',
      impact: 'EU checkouts fail',
      eta: '14:45 UTC',
      message: 'Second rollback',
    });
  });
});

describe('status update formats', () => {
  const cases = [
    ['initial', declaredOnly, '2026-01-10T14:02:30Z'],
    ['mid-incident', mitigated, '2026-01-10T14:10:00Z'],
    ['resolution', resolved, '2026-01-10T14:21:00Z'],
  ] as const;

  for (const [name, view, now] of cases) {
    for (const format of UPDATE_FORMATS) {
      it(`renders the ${name} ${format} update with no template markers`, async () => {
        const update = composeStatusUpdate(
          view,
          { format, message: 'Error rate is falling.' },
          { clock: new FakeClock(now) },
        );
        const text = await renderStatusUpdate(renderer, update);
        expect(text).not.toMatch(UNRENDERED);
        expect(text.trim().length).toBeGreaterThan(40);
        expect(text.toLowerCase()).toContain(update.status);
      });
    }
  }

  it('text follows the IC template: Status, Impact, Last action, Next action, ETA', async () => {
    const update = composeStatusUpdate(
      mitigated,
      { format: 'text', eta: '14:30 UTC' },
      { clock: new FakeClock('2026-01-10T14:10:00Z') },
    );
    const lines = (await renderStatusUpdate(renderer, update)).split('\n');
    expect(lines[0]).toBe('SEV1 MONITORING: Checkout errors after deploy (INC-20260110-1400-checkout-errors)');
    const labels = lines.map((line) => line.split(':')[0]);
    for (const label of ['Status', 'Impact', 'Last action', 'Next action', 'ETA', 'Next update'])
      expect(labels).toContain(label);
    expect(lines).toContain('Status: Monitoring (15m since 2026-01-10 13:55 UTC)');
    expect(lines).toContain('ETA: 14:30 UTC');
    expect(lines).toContain('Next update: 14:25 UTC');
  });

  it('slack uses mrkdwn only: bold labels, a status emoji, escaped text, no Markdown-only syntax', async () => {
    const view = projectIncident(ID, eventsUntil(all, '2026-01-10T14:09:30'));
    view.title = 'Checkout <errors> & **retries**';
    const update = composeStatusUpdate(
      view,
      { format: 'slack', message: 'Rolled back; see [runbook](https://x)' },
      { clock: new FakeClock('2026-01-10T14:10:00Z') },
    );
    const text = await renderStatusUpdate(renderer, update);
    expect(text.startsWith(':eyes: *INC-20260110-1400-checkout-errors [SEV1 · monitoring]*')).toBe(true);
    for (const label of ['*Conditions:*', '*Actions:*', '*Needs:*', '*Next update:* 14:25 UTC'])
      expect(text).toContain(label);
    expect(text).toContain('Checkout &lt;errors&gt; &amp; *retries*');
    expect(text).toContain('*Update:* Rolled back; see <https://x|runbook>');
    expect(text).not.toMatch(/^#/m);
    expect(text).not.toMatch(/^\s*\|.*\|\s*$/m);
    expect(text).not.toContain('**');
    expect(text).not.toMatch(/\[[^\]]*\]\(/);
  });

  it('the resolution says when the impact ended and what it was', async () => {
    const clock = new FakeClock('2026-01-10T14:21:00Z');
    const text = await renderStatusUpdate(renderer, composeStatusUpdate(resolved, { format: 'text' }, { clock }));
    // The impact ended with the verified rollback at 14:08; the incident was resolved at 14:20.
    expect(text).toContain('Impact while it lasted: About 30% of checkout requests fail (ended 14:08 UTC)\n');
    expect(text).toContain('The incident is resolved as of 14:20 UTC, after 25m.');
    expect(text).toContain('Status: Resolved (after 25m, from 2026-01-10 13:55 UTC)\n');
    expect(text).not.toMatch(/^(ETA|Next update):/m);
    const slack = await renderStatusUpdate(renderer, composeStatusUpdate(resolved, { format: 'slack' }, { clock }));
    expect(slack).toContain(
      '*Conditions:* Resolved at 14:20 UTC after 25m. The impact was: About 30% of checkout requests fail. ' +
        'A postmortem will follow within 5 business days.\n',
    );
    expect(slack).toContain('*Next update:* none planned');
  });

  it('the resolution of a SEV1 lowered to SEV3 before the end still promises the postmortem', async () => {
    const clock = new FakeClock('2026-01-10T14:21:00Z');
    const lowered = fixtureEvent('01KAB00000000000000000LOW0', '14:16:00', 'severity', { from: 'SEV1', to: 'SEV3' });
    const incident = projectIncident(ID, [...all, lowered]);
    const page = await renderStatusUpdate(renderer, composeStatusUpdate(incident, { format: 'statuspage' }, { clock }));
    expect(page).toContain('\nA postmortem will follow within 5 business days.');
  });

  it('names a mitigation recorded by hand as the last action, not "none yet"', async () => {
    const clock = new FakeClock('2026-01-10T14:12:00Z');
    const incident = projectIncident(ID, [
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
    const text = await renderStatusUpdate(renderer, composeStatusUpdate(incident, { format: 'text' }, { clock }));
    expect(text).toContain('Last action: feature flag new-checkout turned off (marked mitigated, 14:10 UTC)\n');
    const slack = await renderStatusUpdate(renderer, composeStatusUpdate(incident, { format: 'slack' }, { clock }));
    expect(slack).not.toContain('None yet');
  });

  it('mitigating and mitigated are their own words internally and Statuspage words outside', async () => {
    const clock = new FakeClock('2026-01-10T14:10:00Z');
    for (const [status, posted] of [
      ['mitigating', 'Identified'],
      ['mitigated', 'Monitoring'],
    ] as const) {
      const update = composeStatusUpdate(mitigated, { format: 'text', status }, { clock });
      const text = await renderStatusUpdate(renderer, update);
      expect(text).toMatch(new RegExp(`^Status: ${status[0]?.toUpperCase()}${status.slice(1)} `, 'm'));
      const page = await renderStatusUpdate(renderer, { ...update, format: 'statuspage' });
      expect(page.split('\n')[1]).toMatch(new RegExp(`^${posted} - `));
    }
  });

  it('the resolution promises the postmortem on Statuspage too, and --timeline carries the last events', async () => {
    const clock = new FakeClock('2026-01-10T14:21:00Z');
    const page = await renderStatusUpdate(renderer, composeStatusUpdate(resolved, { format: 'statuspage' }, { clock }));
    expect(page).toContain('\nA postmortem will follow within 5 business days.');
    const update = composeStatusUpdate(resolved, { format: 'text', timeline: 2 }, { clock });
    expect(update.timeline).toHaveLength(2);
    const text = await renderStatusUpdate(renderer, update);
    const block = text.slice(text.indexOf('\nTimeline:\n'));
    expect(block.split('\n').filter((line) => /^ {2}\d\d:\d\d UTC {2}\S/.test(line))).toHaveLength(2);
    expect(block).toContain(update.timeline[1]);
    expect(composeStatusUpdate(resolved, { format: 'text' }, { clock }).timeline).toEqual([]);
  });

  it('markdown updates are lint-clean in every variant', async () => {
    for (const [view, now] of [
      [declaredOnly, '2026-01-10T14:02:30Z'],
      [mitigated, '2026-01-10T14:10:00Z'],
      [resolved, '2026-01-10T14:21:00Z'],
    ] as const) {
      const update = composeStatusUpdate(
        view,
        { format: 'markdown', message: 'A | pipe in text.' },
        { clock: new FakeClock(now) },
      );
      const text = await renderStatusUpdate(renderer, update);
      expect(await markdownErrors(text)).toEqual([]);
      expect(text).toMatch(/^# SEV1 /);
      if (view === declaredOnly) expect(text).not.toContain('Latest triage:');
      if (view === mitigated) expect(text).not.toContain('Latest triage:');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { STATUSPAGE_STATUS } from '../../../src/incident/update-status.js';
import { composeStatusUpdate } from '../../../src/report/compose-status-update.js';
import { collectInternalNames, filterCustomerText, namesInternal } from '../../../src/report/customer-safe-text.js';
import { renderStatusUpdate } from '../../../src/report/publish-status-update.js';
import { createTemplateRenderer } from '../../../src/report/template-engine.js';
import { UPDATE_STATUSES } from '../../../src/report/update-choices.js';
import { loadFixtureEvents, projectIncident } from './load-fixture.js';
import { UNRENDERED } from './render-helpers.js';

const ID = 'INC-20260110-1400-checkout-errors';

/** A log whose every field is full of internal names: the Statuspage rendering must show none of them. */
function adversarialEvents(): IncidentEvent[] {
  const events: IncidentEvent[] = loadFixtureEvents('checkout-sev1').filter((event) => event.type !== 'resolved');
  const declared = events[0] as Extract<IncidentEvent, { type: 'declared' }>;
  declared.data = {
    ...declared.data,
    title: 'payments/api pods crash-looping in prod-eu after dave pushed api:2.3.1',
    commander: 'dave',
  };
  events.push({
    v: 1,
    id: '01KAB9ZZZZZZZZZZZZZZZZZZZ1',
    at: '2026-01-10T14:11:00.000Z',
    type: 'role',
    actor: 'erin',
    data: { role: 'comms', name: 'Frank Miller' },
  } as IncidentEvent);
  return events;
}

const FORBIDDEN = [
  'payments/api',
  'api-7d9f8c6b5-x2x9q',
  'prod-eu',
  'payments',
  'dave',
  'Dave',
  'erin',
  'Frank',
  'carol',
  'alice',
  'bob',
  'api:2.3.1',
  '2.3.1',
  'registry.example.com',
  'pod',
  'namespace',
  'deployment',
  'Deployment',
  'kubectl',
  'CrashLoopBackOff',
  'OOMKilled',
  'revision',
  'INC-2026',
  '10.0.3.17',
];

describe('the Statuspage format', () => {
  const view = projectIncident(ID, adversarialEvents());
  const message =
    'Rolled back deployment payments/api to revision 3. Pod api-7d9f8c6b5-x2x9q was OOMKilled. ' +
    'Dave and @frank are on it. Ping erin@example.com. Node 10.0.3.17 drained with kubectl. ' +
    'Checkout is working again for most customers.';
  const impact = 'CrashLoopBackOff in namespace payments. Some customers cannot complete checkout.';

  for (const status of UPDATE_STATUSES) {
    it(`names nothing internal when ${status}`, async () => {
      const renderer = await createTemplateRenderer();
      const update = composeStatusUpdate(
        view,
        { format: 'statuspage', status, message, impact },
        { clock: new FakeClock('2026-01-10T14:12:00Z') },
      );
      const text = await renderStatusUpdate(renderer, update);
      expect(text).not.toMatch(UNRENDERED);
      for (const word of FORBIDDEN) expect(text, `"${word}" leaked into:\n${text}`).not.toContain(word);
      // mitigating and mitigated are posted as Statuspage's own words (identified, monitoring).
      const posted = STATUSPAGE_STATUS[status];
      const label = posted[0]?.toUpperCase() + posted.slice(1);
      expect(text.split('\n')[1]?.startsWith(`${label} - `)).toBe(true);
      // The customer-safe sentences survive; the rest is reported, not silently lost.
      expect(text).toContain('Checkout is working again for most customers.');
      expect(text).toContain('Some customers cannot complete checkout.');
      expect(text.split('\n')[0]).toBe('Service degradation affecting checkout');
      expect(update.customer.dropped.length).toBeGreaterThanOrEqual(5);
    });
  }

  it('shows declared services, but not one named like an internal object', async () => {
    const renderer = await createTemplateRenderer();
    const named = projectIncident(ID, adversarialEvents());
    named.services = ['checkout', 'payments/api', 'api-7d9f8c6b5-x2x9q'];
    const update = composeStatusUpdate(
      named,
      { format: 'statuspage' },
      { clock: new FakeClock('2026-01-10T14:12:00Z') },
    );
    const text = await renderStatusUpdate(renderer, update);
    expect(text).toContain('Affected: checkout\n');
    expect(text).not.toMatch(/payments|api-7d9f/);
  });

  it('closes the resolution with the state of lingering impact when no message says it', async () => {
    const renderer = await createTemplateRenderer();
    const update = composeStatusUpdate(
      view,
      { format: 'statuspage', status: 'resolved' },
      { clock: new FakeClock('2026-01-10T14:30:00Z') },
    );
    const text = await renderStatusUpdate(renderer, update);
    expect(text).toContain('Resolved - This incident has been resolved');
    expect(text).toContain('We do not expect any lingering impact.');
    expect(text).not.toContain('We will post another update');
  });
});

describe('customer-safe text', () => {
  const view = projectIncident(ID, adversarialEvents());
  const names = collectInternalNames(view);

  it('collects people, namespaces, workloads and contexts from the log, but not declared services', () => {
    for (const name of ['dave', 'Frank Miller', 'erin', 'bob', 'carol', 'payments', 'api', 'prod-eu'])
      expect(names).toContain(name);
    expect(names).not.toContain('checkout');
  });

  it('flags jargon and internal-looking tokens, and keeps plain customer language', () => {
    for (const text of [
      'the web pods restarted',
      'ns/name broke',
      'image web:1.2 failed',
      'ask @oncall',
      'host 10.1.2.3',
    ]) {
      expect(namesInternal(text, []), text).toBe(true);
    }
    for (const text of [
      'Checkout is slow for some customers.',
      'We expect a fix by 14:30 UTC.',
      'See https://status.example.com for details.',
      'A fix has been deployed.',
      'We are rolling out a fix.',
    ]) {
      expect(namesInternal(text, names), text).toBe(false);
    }
  });

  it('drops whole sentences, never words out of a sentence', () => {
    const result = filterCustomerText('Payments fail for bob. Checkout is slow! Retry later?', ['bob']);
    expect(result).toEqual({ text: 'Checkout is slow! Retry later?', dropped: ['Payments fail for bob.'] });
  });
});

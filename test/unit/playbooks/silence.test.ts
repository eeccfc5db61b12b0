import { describe, expect, it } from 'vitest';
import {
  broadReasons,
  type CoveredAlert,
  planSilence,
  scopeOfLinked,
  silenceComment,
} from '../../../src/playbooks/alertmanager/plan-silence.js';
import { formatMatcher, matchesAll, parseMatchers } from '../../../src/playbooks/alertmanager/silence-matchers.js';
import type { GettableAlert } from '../../../src/triage/adapters/alertmanager-types.js';

const alert = (fingerprint: string, labels: Record<string, string>) => ({ fingerprint, labels }) as GettableAlert;

describe('silence matchers', () => {
  it('parses the four operators, quoted values and commas inside a regex', () => {
    const matchers = parseMatchers(['alertname="HighErrorRate"', 'namespace!=shop, pod=~"api-(a|b),x", job!~batch.*']);
    expect(matchers.map(formatMatcher)).toEqual([
      'alertname="HighErrorRate"',
      'namespace!="shop"',
      'pod=~"api-(a|b),x"',
      'job!~"batch.*"',
    ]);
    expect(() => parseMatchers(['no operator'])).toThrow(/invalid matcher "no operator"/);
    expect(() => parseMatchers(['pod=~"("'])).toThrow(/invalid regular expression/);
  });

  it('matches as Alertmanager does: anchored regexes, a missing label reads as empty', () => {
    const m = parseMatchers(['alertname=HighErrorRate,pod=~api-.*,team!=db']);
    expect(matchesAll(m, { alertname: 'HighErrorRate', pod: 'api-1' })).toBe(true);
    expect(matchesAll(m, { alertname: 'HighErrorRate', pod: 'xapi-1' })).toBe(false);
    expect(matchesAll(m, { alertname: 'HighErrorRate', pod: 'api-1', team: 'db' })).toBe(false);
    expect(matchesAll(parseMatchers(['team=']), { alertname: 'X' })).toBe(true);
  });
});

describe('silence plan', () => {
  const linked = [
    {
      name: 'PodRestarting',
      fingerprint: 'a1',
      labels: { alertname: 'PodRestarting', namespace: 'shop', pod: 'web-1' },
    },
    {
      name: 'PodRestarting',
      fingerprint: 'a2',
      labels: { alertname: 'PodRestarting', namespace: 'shop', pod: 'web.2' },
    },
  ];

  it('takes the scope labels of the linked alerts of that name: equal when they agree, else a regex', () => {
    expect(scopeOfLinked(linked, 'PodRestarting')).toEqual(['namespace="shop"', 'pod=~"web-1|web\\\\.2"']);
    expect(parseMatchers(scopeOfLinked(linked, 'PodRestarting'))[1]?.value).toBe('web-1|web\\.2');
    expect(scopeOfLinked(linked, 'Other')).toEqual([]);
  });

  it('is broad without an alertname matcher, or when it covers alerts the incident did not link', () => {
    const covers = (linkedToo: boolean): CoveredAlert[] => [
      { name: 'A', fingerprint: '1', labels: {}, linked: true },
      { name: 'B', fingerprint: '2', labels: {}, linked: linkedToo },
    ];
    const named = parseMatchers(['alertname=A']);
    expect(broadReasons(named, covers(true), true)).toEqual([]);
    expect(broadReasons(named, covers(false), true)).toEqual([
      'it also covers 1 alert(s) not linked to the incident (B)',
    ]);
    // No incident alert to compare with: the missing alertname counts, and several namespaces.
    expect(broadReasons(named, covers(false), false)).toEqual([]);
    const spread: CoveredAlert[] = [
      { name: 'A', fingerprint: '1', labels: { alertname: 'A', namespace: 'shop' }, linked: false },
      { name: 'A', fingerprint: '2', labels: { alertname: 'A', namespace: 'payments' }, linked: false },
    ];
    expect(broadReasons(named, spread, false)).toEqual([
      'it covers alerts in 2 namespaces (payments, shop), and the incident links none of them',
    ]);
    expect(broadReasons(named, spread.slice(0, 1), false)).toEqual([]);
    expect(broadReasons(parseMatchers(['namespace=shop']), [], false)).toEqual([
      'it has no alertname matcher, so it hides any alert with these labels',
    ]);
  });

  it('names the incident in the comment once', () => {
    expect(silenceComment('INC-1', undefined)).toBe('INC-1: silenced while the incident is handled');
    expect(silenceComment('INC-1', 'see INC-1')).toBe('see INC-1');
    expect(silenceComment(undefined, 'flapping')).toBe('inc (no incident open): flapping');
  });

  it('plans the silence from the incident alerts, lists what it covers, and refuses bad durations', async () => {
    const api = {
      name: 'Alertmanager http://am',
      alerts: async () => [
        alert('a1', linked[0]!.labels),
        alert('a2', linked[1]!.labels),
        alert('b1', { alertname: 'PodRestarting', namespace: 'payments', pod: 'api-1' }),
      ],
    };
    const input = { api, now: new Date('2026-03-10T14:00:00Z'), linked, incidentId: 'INC-1', createdBy: 'dana' };
    const plan = await planSilence(input, { alertname: 'PodRestarting', duration: '2h' });
    expect(plan.summary).toBe(
      'silence alertname="PodRestarting", namespace="shop", pod=~"web-1|web\\\\.2" for 2h00m in Alertmanager http://am',
    );
    expect(plan.diff).toEqual([
      '+silence alertname="PodRestarting", namespace="shop", pod=~"web-1|web\\\\.2" until about 2026-03-10T16:00:00.000Z, by dana: INC-1: silenced while the incident is handled',
      '  covers PodRestarting {namespace="shop", pod="web-1"} (a1)',
      '  covers PodRestarting {namespace="shop", pod="web.2"} (a2)',
    ]);
    expect(plan.detail).toMatchObject({ durationMs: 7_200_000, broad: [] });
    const wide = await planSilence(input, { alertname: 'PodRestarting', matchers: 'pod=~.+' });
    expect(wide.detail?.broad).toEqual(['it also covers 1 alert(s) not linked to the incident (PodRestarting)']);
    await expect(planSilence(input, { alertname: 'X', duration: '30s' })).rejects.toThrow(/from 1m to 7d/);
    await expect(planSilence(input, { alertname: 'X', duration: '8d' })).rejects.toThrow(/from 1m to 7d/);
  });
});

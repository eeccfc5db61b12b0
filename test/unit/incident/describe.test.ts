import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { describeEvent, formatOffset } from '../../../src/incident/describe.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { incidentIdFor, slugify } from '../../../src/incident/ids.js';
import { formatColumns } from '../../../src/incident/render.js';

describe('incident ids', () => {
  it('are INC-YYYYMMDD-HHMM-<slug> in UTC', () => {
    expect(incidentIdFor('Checkout 5xx in EU-west!', new Date('2026-05-01T14:02:59Z'))).toBe(
      'INC-20260501-1402-checkout-5xx-in-eu-west',
    );
  });

  it('slugs accents away, cut at a word, never empty', () => {
    expect(slugify('Café crème down')).toBe('cafe-creme-down');
    expect(slugify('payments api latency above the slo in every region since the deploy')).toBe(
      'payments-api-latency-above-the-slo-in',
    );
    expect(slugify('!!!')).toBe('incident');
  });
});

describe('formatOffset', () => {
  it.each([
    [0, '+00:00'],
    [7 * 60_000, '+00:07'],
    [6 * 60_000 + 59_700, '+00:07'],
    [-5 * 60_000, '-00:05'],
    [-20_000, '+00:00'],
    [26 * 3_600_000 + 3 * 60_000, '+26:03'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatOffset(ms)).toBe(text);
  });
});

describe('describeEvent', () => {
  const base = { v: 1 as const, id: '01X', at: '2026-05-01T14:05:00.000Z', actor: 'alice' };
  it.each([
    [
      { type: 'severity', data: { from: 'SEV3', to: 'SEV1', reason: 'all regions' } },
      'severity SEV3 → SEV1: all regions',
    ],
    [{ type: 'role', data: { role: 'commander', name: 'bob', previous: 'alice' } }, 'role commander: alice → bob'],
    [
      {
        type: 'triage',
        data: {
          context: 'eu-west',
          headline: 'could not read the cluster, 0.3 s',
          summary: { critical: 0, warning: 0, info: 0 },
          findings: [],
        },
      },
      // Its headline only: "(0 critical, 0 warning)" after it would read as an all-clear.
      'triage eu-west: could not read the cluster, 0.3 s',
    ],
    [
      { type: 'note', data: { text: 'add alert', kind: 'action-item', owner: 'bob', due: '2026-05-08' } },
      'action item: add alert (owner bob, due 2026-05-08)',
    ],
    [
      {
        type: 'action',
        data: {
          actionId: 'a',
          phase: 'failed',
          action: 'scale',
          context: 'c',
          target: { kind: 'Deployment', name: 'api' },
          summary: 'scale api to 6',
          error: 'forbidden',
        },
      },
      'action failed: scale api to 6 — forbidden',
    ],
    [
      {
        type: 'action',
        data: {
          actionId: 'u',
          phase: 'undone',
          undoes: '01SCALE',
          action: 'scale',
          context: 'c',
          target: { kind: 'Deployment', name: 'api' },
          summary: 'scale api from 5 to 3 replicas',
        },
      },
      'undo of 01SCALE applied: scale api from 5 to 3 replicas',
    ],
    [{ type: 'resolved', data: { summary: 'rolled back' } }, 'resolved: rolled back'],
  ])('%o', (partial, text) => {
    expect(describeEvent({ ...base, ...partial } as IncidentEvent)).toBe(text);
  });
});

describe('formatColumns', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      formatColumns([
        ['a', 'bb', 'c'],
        ['aaa', 'b', ''],
      ]),
    ).toEqual(['a    bb  c', 'aaa  b']);
  });

  it('pads by terminal width: a wide character takes two columns, colour codes none', () => {
    const red = (text: string) => `\u001b[31m${text}\u001b[0m`;
    expect(
      formatColumns([
        ['東京', 'x'],
        [red('ab'), 'y'],
        ['abcde', 'z'],
      ]).map((line) => stripAnsi(line)),
    ).toEqual(['東京   x', 'ab     y', 'abcde  z']);
  });
});

describe('formatColumns', () => {
  it('keeps one line per row, unless the last cell is to keep its lines, indented under its column', () => {
    const rows = [
      ['14:00', 'alice', 'note: first\nsecond'],
      ['14:05', 'bob', 'declared'],
    ];
    expect(formatColumns(rows)).toEqual(['14:00  alice  note: first second', '14:05  bob    declared']);
    expect(formatColumns(rows, undefined, { keepLastLines: true })).toEqual([
      '14:00  alice  note: first',
      '              second',
      '14:05  bob    declared',
    ]);
  });
});

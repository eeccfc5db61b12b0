import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { buildFleetReport, type FleetMember } from '../../../src/triage/fleet/fleet-report.js';
import { renderFleetMarkdown, renderFleetText } from '../../../src/triage/fleet/render-fleet.js';
import { mapBounded } from '../../../src/triage/fleet/run-fleet.js';
import { selectContexts } from '../../../src/triage/fleet/select-contexts.js';
import { triageReportSchema } from '../../../src/triage/report-schema.js';
import type { TriageReport } from '../../../src/triage/types.js';

const CONTEXTS = ['prod-eu', 'prod-us', 'staging', 'kind-local'];

describe('selectContexts', () => {
  it('takes all, a pattern or the names given', () => {
    expect(selectContexts(CONTEXTS, { names: [], all: true })).toEqual(CONTEXTS);
    expect(selectContexts(CONTEXTS, { names: [], pattern: '^prod-', all: false })).toEqual(['prod-eu', 'prod-us']);
    expect(selectContexts(CONTEXTS, { names: ['staging', 'prod-eu', 'staging'], all: false })).toEqual([
      'staging',
      'prod-eu',
    ]);
  });

  it('refuses unknown names, bad patterns and patterns that match nothing', () => {
    expect(() => selectContexts(CONTEXTS, { names: ['mars'], all: false })).toThrow(/no context "mars"/);
    expect(() => selectContexts(CONTEXTS, { names: ['prod-ue'], all: false })).toThrow(
      'no context "prod-ue" in the kubeconfig; did you mean prod-us?',
    );
    expect(() => selectContexts(CONTEXTS, { names: [], pattern: '(', all: false })).toThrow(/not a regular expression/);
    expect(() => selectContexts(CONTEXTS, { names: [], pattern: '^dev', all: false })).toThrow(/no context matches/);
    expect(() => selectContexts([], { names: [], all: true })).toThrow(/no contexts/);
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < n; i += 1) await Promise.resolve();
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });
});

function report(context: string, critical: number, warning: number): TriageReport {
  const workload = { kind: 'Deployment', namespace: 'payments', name: `api-${context}` };
  return {
    schemaVersion: 1,
    context,
    namespaces: 'all',
    startedAt: '2026-05-01T14:05:00.000Z',
    durationMs: 10,
    complete: true,
    summary: { critical, warning, info: 0 },
    headline: `${critical} critical`,
    findings: [
      ...Array.from({ length: critical }, (_, i) => ({
        id: `pods/CrashLoopBackOff/${context}/${i}`,
        severity: 'critical' as const,
        check: 'pods' as const,
        reason: 'CrashLoopBackOff',
        title: `crash ${i}`,
        objects: [],
        count: 1,
        evidence: [],
      })),
    ],
    suspects: critical ? [{ workload, change: 'rollout to revision 4', at: '2026-05-01T14:00:00.000Z', why: 'x' }] : [],
    checks: [],
  };
}

describe('buildFleetReport', () => {
  it('orders the worst context first, names the context of every finding and suspect, and sums the fleet', () => {
    const members: FleetMember[] = [
      { context: 'healthy', status: 'ok', report: report('healthy', 0, 0), durationMs: 5 },
      { context: 'down', status: 'unreachable', error: 'connection refused', durationMs: 5 },
      { context: 'warn', status: 'ok', report: report('warn', 0, 2), durationMs: 5 },
      { context: 'broken', status: 'ok', report: report('broken', 2, 1), durationMs: 5 },
    ];
    const fleet = buildFleetReport(members, { startedAt: 't', durationMs: 9, namespaces: 'all' });
    expect(fleet.fleet.map((e) => e.context)).toEqual(['broken', 'down', 'warn', 'healthy']);
    expect(fleet.summary).toEqual({ critical: 2, warning: 3, info: 0 });
    expect(fleet.findings.map((f) => f.context)).toEqual(['broken', 'broken']);
    expect(fleet.suspects).toEqual([expect.objectContaining({ context: 'broken' })]);
    expect(fleet.fleet[0]?.topSuspect).toBe('Deployment payments/api-broken: rollout to revision 4');
    expect(fleet.fleet[1]).toMatchObject({ status: 'unreachable', error: 'connection refused', complete: false });
    expect(fleet.headline).toMatch(/4 contexts · 2 critical, 3 warning in broken, warn · 1 not reached \(down\)/);
  });
});

describe('what the fleet says: contexts not read, and lines about checks', () => {
  const timing = { startedAt: '2026-05-01T14:05:00.000Z', durationMs: 9, namespaces: 'all' };
  const down: FleetMember = {
    context: 'ap-south',
    status: 'unreachable',
    error: 'cluster unreachable: connection to 10.0.0.7:443 refused',
    durationMs: 5,
  };

  it('is never an all-clear: the headline says incomplete and which contexts were found healthy', () => {
    const fleet = buildFleetReport(
      [{ context: 'us-east', status: 'ok', report: report('us-east', 0, 0), durationMs: 5 }, down],
      timing,
    );
    expect(fleet.headline).toBe(
      'triage incomplete: 2 contexts · no problems found in us-east · 1 not reached (ap-south)',
    );
    expect(buildFleetReport([down], timing).headline).toBe(
      'triage incomplete: 1 context · none read · 1 not reached (ap-south)',
    );
    // It answered, but no check could run (forbidden): not read, which is not the same fix as not reached.
    const denied: FleetMember = {
      context: 'eu-west',
      status: 'failed',
      error: 'cannot list pods in namespace default (forbidden)',
      report: { ...report('eu-west', 0, 0), complete: false },
      durationMs: 5,
    };
    expect(buildFleetReport([denied, down], timing).headline).toBe(
      'triage incomplete: 2 contexts · none read · 1 not reached (ap-south) · 1 not read (eu-west)',
    );
  });

  it('names the contexts on each line about their checks (stderr), once for those that share it', () => {
    const skipped = (context: string, extra: TriageReport['checks'] = []): TriageReport => ({
      ...report(context, 0, 0),
      checks: [{ check: 'alerts', status: 'skipped', durationMs: 1, error: 'no Alertmanager given' }, ...extra],
    });
    const forbidden = {
      check: 'top' as const,
      status: 'error' as const,
      durationMs: 1,
      error: 'forbidden: list pods.metrics',
    };
    const fleet = buildFleetReport(
      [
        { context: 'eu-west', status: 'ok', report: skipped('eu-west'), durationMs: 5 },
        { context: 'us-east', status: 'ok', report: skipped('us-east', [forbidden]), durationMs: 5 },
        { context: 'ap-south', status: 'ok', report: skipped('ap-south'), durationMs: 5 },
      ],
      timing,
    );
    expect(renderFleetText(fleet, plainStyle).err.split('\n')).toEqual([
      'ap-south, eu-west, us-east: check alerts skipped: no Alertmanager given',
      'us-east: check top failed: forbidden: list pods.metrics',
    ]);
  });

  it('says unreachable once and names the context in a hint that can be copied', () => {
    const fleet = buildFleetReport([down], timing);
    expect(fleet.fleet[0]).toMatchObject({
      headline: 'cluster unreachable: connection to 10.0.0.7:443 refused',
      hint: 'check the path to its API server: kubectl --context ap-south get --raw /version',
    });
    const text = renderFleetText(fleet, plainStyle).out;
    expect(text).not.toContain('unreachable: cluster unreachable');
    expect(text).toContain('hint: check the path to its API server: kubectl --context ap-south get --raw /version');
    expect(triageReportSchema.safeParse(JSON.parse(JSON.stringify(fleet))).error).toBeUndefined();
  });
});

describe('renderFleetMarkdown', () => {
  it('gives each context a section under its name, the one not reached with its hint, one blank line apart', () => {
    const fleet = fleetOf([['eu-west', 1]]);
    const markdown = renderFleetMarkdown(
      fleet,
      (one) => `### Triage: ${one.headline}\n\nContext \`${one.context}\`.\n`,
    );
    expect(markdown.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '# Triage of 2 contexts',
      '## eu-west',
      '### Triage: 1 critical',
      '## us-east',
    ]);
    expect(markdown).toContain(
      '## us-east\n\nunreachable: connection refused\n\nHint: check the path to its API server: kubectl --context us-east get --raw /version',
    );
    expect(markdown).not.toMatch(/\n\n\n/);
  });
});

const plainStyle = {
  severity: (_level: string, text = '') => text,
  dim: (text: string) => text,
  bold: (text: string) => text,
  cmd: (text: string) => text,
  heading: (text: string) => text,
  warn: (text: string) => text,
  error: (text: string) => text,
  ok: (text: string) => text,
};

/** Reachable contexts with their critical findings, then us-east, which could not be reached. */
function fleetOf(reachable: [string, number][]) {
  const members: FleetMember[] = [
    ...reachable.map(
      ([context, critical]): FleetMember => ({
        context,
        status: 'ok',
        report: report(context, critical, 0),
        durationMs: 5,
      }),
    ),
    { context: 'us-east', status: 'unreachable', error: 'connection refused', durationMs: 5 },
  ];
  return buildFleetReport(members, { startedAt: '2026-05-01T14:05:00.000Z', durationMs: 9, namespaces: 'all' });
}

describe('renderFleetText', () => {
  // Colours as a terminal gets them, so the test sees what padding inside escape codes would break.
  const paint = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
  const style = {
    severity: (_level: string, text = '') => paint(31)(text),
    dim: paint(2),
    bold: paint(1),
    cmd: paint(36),
    heading: paint(1),
    warn: paint(33),
    error: paint(31),
    ok: paint(32),
  };

  it('aligns the fleet table by what the terminal shows: coloured rows and wide context names', () => {
    const fleet = fleetOf([
      ['東京-prod', 2],
      ['eu-west', 0],
    ]);
    const lines = renderFleetText(fleet, style)
      .out.split('\n')
      .map((line) => stripAnsi(line));
    const header = lines.findIndex((line) => line.startsWith('CONTEXT'));
    const table = lines.slice(header, header + 4);
    expect(table[1]).toMatch(/^東京-prod\s+2\s+0\s+Deployment payments\/api-東京-prod: rollout to revision 4$/);
    expect(table[2]).toMatch(/^us-east\s+-\s+-\s+unreachable: connection refused$/);
    expect(table[3]).toMatch(/^eu-west\s+0\s+0$/);
    // The second column starts where the widest context (東京 is four terminal columns wide) ends, plus two.
    expect(table.map((line) => stringWidth(/^\S+\s+/.exec(line)?.[0] ?? ''))).toEqual([11, 11, 11, 11]);
    expect(stringWidth(table[0]?.slice(0, table[0].indexOf('TOP SUSPECT')) ?? '')).toBe(
      stringWidth(table[1]?.slice(0, table[1].indexOf('Deployment')) ?? ''),
    );
  });

  it('counts its contexts in words that agree with the number, one context included', () => {
    const firstLine = (fleet: ReturnType<typeof fleetOf>) =>
      stripAnsi(renderFleetText(fleet, style).out.split('\n')[0] ?? '');
    const one = buildFleetReport(
      [{ context: 'prod-eu', status: 'ok', report: report('prod-eu', 0, 0), durationMs: 5 }],
      {
        startedAt: '2026-05-01T14:05:00.000Z',
        durationMs: 9,
        namespaces: 'default',
      },
    );
    expect(firstLine(one)).toBe('inc triage · 1 context · namespace default');
    expect(renderFleetMarkdown(one, () => '').split('\n')[0]).toBe('# Triage of 1 context');
    expect(firstLine(fleetOf([['eu-west', 1]]))).toBe('inc triage · 2 contexts · all namespaces');
  });
});

describe('the fleet in JSON', () => {
  it('keeps the triage report contract (schemaVersion 1): context on every finding, suspect and check, fields only added', () => {
    const fleet = fleetOf([['eu-west', 1]]);
    const parsed = triageReportSchema.safeParse(JSON.parse(JSON.stringify(fleet)));
    expect(parsed.error).toBeUndefined();
    expect(fleet).toMatchObject({ context: 'eu-west, us-east', complete: false });
    expect(fleet.findings[0]?.context).toBe('eu-west');
    // Strict as ever: a field the contract does not name is refused.
    expect(triageReportSchema.safeParse({ ...fleet, surprise: 1 }).success).toBe(false);
  });
});

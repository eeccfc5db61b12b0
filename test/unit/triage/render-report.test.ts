import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../../src/triage/render-report.js';
import type { TriageReport } from '../../../src/triage/types.js';
import { toTerminal } from '../../../src/ui/terminal-text.js';
import { createTheme } from '../../../src/ui/theme.js';

const report: TriageReport = {
  schemaVersion: 1,
  context: 'prod-eu',
  namespaces: 'payments',
  startedAt: '2026-03-10T14:30:00.000Z',
  durationMs: 412,
  complete: true,
  summary: { critical: 1, warning: 1, info: 1 },
  headline: '1 critical, 1 warning, 1 info in namespace payments, 0.4 s',
  findings: [
    {
      id: 'pods/CrashLoopBackOff/payments/Deployment/api',
      severity: 'critical',
      check: 'pods',
      reason: 'CrashLoopBackOff',
      title: '3/3 pods of deployment payments/api crash-looping since 14:22',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      objects: [
        { kind: 'Pod', namespace: 'payments', name: 'api-1' },
        { kind: 'Pod', namespace: 'payments', name: 'api-2' },
        { kind: 'Pod', namespace: 'payments', name: 'api-3' },
      ],
      count: 3,
      since: '2026-03-10T14:22:00.000Z',
      evidence: ['container api: last state Error, exit code 1, 6 restarts'],
      suggestion: {
        playbook: 'rollback',
        params: { namespace: 'payments', deployment: 'api' },
        command: 'inc run rollback --set namespace=payments --set deployment=api',
      },
    },
    {
      id: 'top/HighCPU/payments/Deployment/worker',
      severity: 'warning',
      check: 'top',
      reason: 'HighCPU',
      title: '2/2 pods of deployment payments/worker near their CPU limit (throttling)',
      objects: [],
      count: 2,
      evidence: [],
    },
    {
      id: 'rollouts/RecentRollout/payments/Deployment/api',
      severity: 'info',
      check: 'rollouts',
      reason: 'RecentRollout',
      title: 'deployment payments/api: rollout to revision 2 8m ago',
      objects: [],
      count: 1,
      evidence: [],
    },
  ],
  suspects: [
    {
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      change: 'rollout to revision 2 (image api:2.3.1, was api:2.3.0)',
      at: '2026-03-10T14:21:50.000Z',
      why: '10s before: 3/3 pods of deployment payments/api crash-looping',
    },
  ],
  checks: [
    { check: 'pods', status: 'ok', durationMs: 3 },
    { check: 'top', status: 'skipped', durationMs: 0, error: 'metrics API not available (404 NotFound)' },
    { check: 'nodes', status: 'error', durationMs: 0, error: 'cannot list nodes at cluster scope (forbidden)' },
  ],
  probes: [
    {
      url: 'https://api.example.com/healthz',
      ok: false,
      status: 503,
      body: 'upstream down',
      timings: { dnsMs: 2, connectMs: 5, tlsMs: 19, firstByteMs: 40, totalMs: 41 },
    },
  ],
};

describe('renderText', () => {
  it('prints the headline, the suspect, findings worst first with evidence and command; failed checks on stderr', () => {
    const { out, err } = renderText(report, createTheme(false));
    expect(out.split('\n')).toEqual([
      'inc triage · context prod-eu · namespace payments · 2026-03-10 14:30:00 UTC',
      '1 critical, 1 warning, 1 info in namespace payments, 0.4 s',
      '',
      'Suspect: deployment payments/api: rollout to revision 2 (image api:2.3.1, was api:2.3.0) at 14:21:50',
      '          10s before: 3/3 pods of deployment payments/api crash-looping',
      '',
      'CRITICAL  3/3 pods of deployment payments/api crash-looping since 14:22',
      '          container api: last state Error, exit code 1, 6 restarts',
      '          pods: api-1, api-2, api-3',
      '          → inc run rollback --set namespace=payments --set deployment=api',
      'WARNING   2/2 pods of deployment payments/worker near their CPU limit (throttling)',
      '',
      'INFO      deployment payments/api: rollout to revision 2 8m ago',
      '',
      'Health',
      '  https://api.example.com/healthz  503  dns 2 ms, connect 5 ms, tls 19 ms, first byte 40 ms, total 41 ms',
    ]);
    expect(err.split('\n')).toEqual([
      'check top skipped: metrics API not available (404 NotFound)',
      'check nodes failed: cannot list nodes at cluster scope (forbidden)',
    ]);
  });

  it('colours severities only when the theme has colour (as written by the output port)', () => {
    expect(toTerminal(renderText(report, createTheme(true)).out)).toContain('\u001b[31m');
    expect(toTerminal(renderText(report, createTheme(false)).out)).not.toContain('\u001b[');
  });
});

describe('evidence cut short', () => {
  it('says how many lines it left out, in text and Markdown', () => {
    const affected = Array.from({ length: 7 }, (_, i) => `affected: deployment shop/w${i}: pods not ready`);
    const [first] = report.findings;
    const node = { ...first!, evidence: affected, objects: [], suggestion: undefined };
    const many = { ...report, findings: [node] };
    const text = renderText(many, createTheme(false)).out;
    expect(text).toContain('affected: deployment shop/w4');
    expect(text).not.toContain('shop/w5');
    expect(text).toContain('… and 2 more (inc triage -o json lists them all)');
    const markdown = renderMarkdown(many);
    expect(markdown).toContain('  - … and 3 more (inc triage -o json lists them all)');
  });
});

describe('renderMarkdown', () => {
  it('is ready to paste: headline, suspects, findings with evidence and commands, incomplete checks', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('### Triage: 1 critical, 1 warning, 1 info in namespace payments, 0.4 s');
    expect(markdown).toContain(
      '- deployment payments/api: rollout to revision 2 (image api:2.3.1, was api:2.3.0) at 14:21:50 UTC',
    );
    expect(markdown).toContain('- **critical** 3/3 pods of deployment payments/api crash-looping since 14:22');
    expect(markdown).toContain('  - suggested: `inc run rollback --set namespace=payments --set deployment=api`');
    expect(markdown).toContain('- nodes: error (cannot list nodes at cluster scope (forbidden))');
  });
});

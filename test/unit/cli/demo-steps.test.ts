import { describe, expect, it } from 'vitest';
import { formatCommand, pickSuggestion, runArgs } from '../../../src/cli/demo/demo-steps.js';
import { stillFailing, type TriageJson } from '../../../src/cli/triage-json.js';

const api = { kind: 'Deployment', namespace: 'payments', name: 'api' };
const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };

function report(parts: Partial<TriageJson>): TriageJson {
  return { summary: { critical: 0, warning: 0, info: 0 }, findings: [], suspects: [], ...parts };
}

describe('demo steps', () => {
  it("acts on the top suspect's suggestion before any other critical finding", () => {
    const r = report({
      findings: [
        {
          id: 'a',
          severity: 'critical',
          reason: 'OOMKilled',
          title: 'web',
          workload: web,
          suggestion: { playbook: 'scale', params: { replicas: 2 } },
        },
        {
          id: 'b',
          severity: 'critical',
          reason: 'CrashLoopBackOff',
          title: 'api',
          workload: api,
          suggestion: { playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } },
        },
      ],
      suspects: [{ workload: api, change: 'rollout to revision 2' }],
    });
    expect(pickSuggestion(r)?.suggestion.playbook).toBe('rollback');
    expect(pickSuggestion(report({ findings: r.findings }))?.suggestion.playbook).toBe('scale');
    expect(pickSuggestion(report({}))).toBeUndefined();
  });

  it('types the run command with --set per parameter and --yes', () => {
    const args = runArgs({ playbook: 'rollback', params: { namespace: 'payments', deployment: 'api' } });
    expect(args).toEqual(['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--yes']);
    expect(formatCommand(['start', 'Practice: api down', '--severity', 'SEV2'])).toBe(
      "inc start 'Practice: api down' --severity SEV2",
    );
    expect(formatCommand(['note', "it's fine"])).toBe(`inc note 'it'\\''s fine'`);
  });

  it('counts a workload as failing while it has a critical finding or a warning with something to run', () => {
    const critical = report({
      findings: [{ id: 'x', severity: 'critical', reason: 'CrashLoopBackOff', title: '', workload: api }],
    });
    expect(stillFailing(critical, api)).toBe(true);
    expect(stillFailing(critical, web)).toBe(false);
    const actionable = report({
      findings: [
        {
          id: 'y',
          severity: 'warning',
          reason: 'HighCPU',
          title: '',
          workload: web,
          suggestion: { playbook: 'scale', params: {} },
        },
      ],
    });
    expect(stillFailing(actionable, web)).toBe(true);
    const repairOnly = report({
      findings: [
        {
          id: 'z',
          severity: 'warning',
          reason: 'NodeNotReadyDrained',
          title: '',
          workload: { kind: 'Node', name: 'node-2' },
        },
      ],
    });
    expect(stillFailing(repairOnly, { kind: 'Node', name: 'node-2' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITIES } from '../../src/severity-table.js';

/**
 * The runbooks' severity table, written out here on its own: the defaults must match it. A change
 * to either side is a change of policy, made on purpose in both places.
 */
const RUNBOOK_TABLE = [
  // severity, alias, ack (min), response (min), first update, cadence, escalation, postmortem (business days), MTTR goal
  ['SEV1', 'P1', 5, 5, 5, 15, ['on-call', 'engineering-manager', 'vp'], 5, 60],
  ['SEV2', 'P2', 5, 15, 5, 30, ['on-call', 'engineering-manager'], 5, null],
  ['SEV3', 'P3', 15, 120, null, 60, ['on-call'], null, null],
  ['SEV4', 'P4', null, null, null, null, ['ticket', 'team-channel'], null, null],
] as const;

describe('the default severity table', () => {
  it('has the runbooks’ targets, cadences, escalation lists and postmortem deadlines', () => {
    expect(
      DEFAULT_SEVERITIES.map((s) => [
        s.name,
        s.aliases[0],
        s.ackTargetMinutes,
        s.responseTargetMinutes,
        s.firstUpdateMinutes,
        s.updateCadenceMinutes,
        s.escalation,
        s.postmortemWithinBusinessDays,
        s.resolveTargetMinutes,
      ]),
    ).toEqual(RUNBOOK_TABLE.map((row) => [...row]));
  });

  it('defines each severity by the runbooks’ thresholds', () => {
    const [p1, p2, p3, p4] = DEFAULT_SEVERITIES.map((s) => s.description);
    expect(p1).toMatch(/complete outage.*all users.*revenue/);
    expect(p2).toMatch(/major feature.*more than 20%/);
    expect(p3).toMatch(/degraded.*fewer than 20%/);
    expect(p4).toMatch(/minor.*workaround/);
    expect(p3).not.toMatch(/workaround/);
  });
});

import { describe, expect, it } from 'vitest';
import { openSilences } from '../../../src/incident/open-silences.js';
import type { ActionRecord } from '../../../src/incident/state-types.js';

const NOW = new Date('2026-03-01T10:00:00Z');

function silenceAction(
  actionId: string,
  target: string,
  after: Record<string, unknown>,
  extra: Partial<ActionRecord> = {},
): ActionRecord {
  const data = {
    actionId,
    phase: 'applied' as const,
    action: 'alertmanager.silence',
    context: 'prod',
    target: { kind: 'Silence', name: target },
    summary: `silence ${target}`,
    after,
  };
  return {
    actionId,
    action: 'alertmanager.silence',
    context: 'prod',
    target: data.target,
    summary: data.summary,
    phases: [
      { phase: 'planned', data: { ...data, phase: 'planned', after: undefined }, id: `${actionId}-p`, at: '', seq: 1 },
      { phase: 'applied', data, id: `${actionId}-a`, at: '', seq: 2 },
    ],
    latestPhase: 'verified',
    firstAt: '',
    lastAt: '',
    dryRun: false,
    ...extra,
  } as ActionRecord;
}

describe('openSilences', () => {
  it('names a created silence that has not ended, with the action that undoes it', () => {
    const created = silenceAction('a1', 'alertname="X"', { silenceId: 's1', endsAt: '2026-03-01T11:00:00Z' });
    expect(openSilences({ actions: [created] }, NOW)).toEqual([
      { id: 's1', actionId: 'a1', matchers: 'alertname="X"', endsAt: '2026-03-01T11:00:00Z' },
    ]);
  });

  it('leaves out silences undone, expired by a later step, already ended, or only planned in a dry run', () => {
    const undone = silenceAction(
      'a1',
      'alertname="A"',
      { silenceId: 's1', endsAt: '2026-03-01T11:00:00Z' },
      {
        undoneBy: 'a9',
      },
    );
    const lifted = silenceAction('a2', 'alertname="B"', { silenceId: 's2', endsAt: '2026-03-01T11:00:00Z' });
    const expire = silenceAction('a3', 's2', { state: 'expired' });
    const ended = silenceAction('a4', 'alertname="C"', { silenceId: 's4', endsAt: '2026-03-01T09:59:59Z' });
    const dry = silenceAction(
      'a5',
      'alertname="D"',
      { silenceId: 's5', endsAt: '2026-03-01T11:00:00Z' },
      {
        dryRun: true,
      },
    );
    expect(openSilences({ actions: [undone, lifted, expire, ended, dry] }, NOW)).toEqual([]);
  });

  it('ignores other actions and silence attempts that never applied', () => {
    const failed = silenceAction('a1', 'alertname="X"', { silenceId: 's1', endsAt: '2026-03-01T11:00:00Z' });
    failed.phases = failed.phases.slice(0, 1);
    const scale = { ...silenceAction('a2', 'x', { silenceId: 's2', endsAt: '2026-03-01T11:00:00Z' }), action: 'scale' };
    expect(openSilences({ actions: [failed, scale] }, NOW)).toEqual([]);
  });
});

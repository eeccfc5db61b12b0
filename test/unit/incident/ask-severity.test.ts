import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import { ConfirmationNeededError } from '../../../src/errors.js';
import { askSeverity } from '../../../src/incident/ask-severity.js';
import { proposeSeverityRank } from '../../../src/incident/declare.js';
import { NonInteractivePrompter, ScriptedPrompter } from '../../../src/prompter.js';

describe('proposeSeverityRank', () => {
  it.each([
    [{ impact: 'outage', usersAffected: 'few', revenue: false, dataLossOrSecurity: false }, 0],
    [{ impact: 'minor', usersAffected: 'few', revenue: false, dataLossOrSecurity: true }, 0],
    [{ impact: 'degraded', usersAffected: 'all', revenue: false, dataLossOrSecurity: false }, 0],
    [{ impact: 'degraded', usersAffected: 'under-20', revenue: true, dataLossOrSecurity: false }, 0],
    [{ impact: 'major-feature', usersAffected: 'under-20', revenue: false, dataLossOrSecurity: false }, 1],
    [{ impact: 'degraded', usersAffected: 'over-20', revenue: false, dataLossOrSecurity: false }, 1],
    [{ impact: 'degraded', usersAffected: 'under-20', revenue: false, dataLossOrSecurity: false }, 2],
    [{ impact: 'minor', usersAffected: 'under-20', revenue: false, dataLossOrSecurity: false }, 2],
    [{ impact: 'minor', usersAffected: 'few', revenue: false, dataLossOrSecurity: false }, 3],
  ] as const)('%o → rank %i', (answers, rank) => {
    expect(proposeSeverityRank(answers)).toBe(rank);
  });
});

describe('askSeverity', () => {
  it('asks the three impact questions and offers the proposal first', async () => {
    const prompter = new ScriptedPrompter(['degraded', 'over-20', false, false, 'SEV2']);
    expect(await askSeverity(prompter, DEFAULT_SEVERITIES)).toBe('SEV2');
    expect(prompter.asked).toEqual([
      'What is the impact?',
      'How many users are affected?',
      'Is revenue lost (payments, orders or sign-ups failing)?',
      'Is there data loss or a security breach?',
      'Proposed severity: SEV2. Declare as',
    ]);
  });

  it('lets the person pick another severity than the proposal', async () => {
    const prompter = new ScriptedPrompter(['minor', 'few', false, false, 'SEV3']);
    expect(await askSeverity(prompter, DEFAULT_SEVERITIES)).toBe('SEV3');
    expect(prompter.asked.at(-1)).toBe('Proposed severity: SEV4. Declare as');
  });

  it('never hangs without a terminal: the non-interactive prompter names --yes', async () => {
    await expect(askSeverity(new NonInteractivePrompter('inc start'), DEFAULT_SEVERITIES)).rejects.toBeInstanceOf(
      ConfirmationNeededError,
    );
  });
});

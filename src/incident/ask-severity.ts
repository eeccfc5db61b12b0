import type { Prompter } from '../prompter.js';
import { type ImpactAnswers, proposeSeverityRank } from './declare.js';

/**
 * Asks the impact questions and proposes a severity from the answers; the person confirms it
 * or picks another. The proposal is listed first, so Enter accepts it.
 */
export async function askSeverity(
  prompter: Prompter,
  severities: readonly { name: string; description: string }[],
): Promise<string> {
  const impact = await prompter.choose<ImpactAnswers['impact']>('What is the impact?', [
    { value: 'outage', name: 'complete outage: the service is down for everyone' },
    { value: 'major-feature', name: 'a major feature is unavailable' },
    { value: 'degraded', name: 'degraded performance: slower, or failing some of the time' },
    { value: 'minor', name: 'minor: a workaround is available' },
  ]);
  const usersAffected = await prompter.choose<ImpactAnswers['usersAffected']>('How many users are affected?', [
    { value: 'all', name: 'all of them' },
    { value: 'over-20', name: 'more than 20%' },
    { value: 'under-20', name: 'fewer than 20%' },
    { value: 'few', name: 'few or none' },
  ]);
  const revenue = await prompter.confirm('Is revenue lost (payments, orders or sign-ups failing)?', false);
  const dataLossOrSecurity = await prompter.confirm('Is there data loss or a security breach?', false);
  const rank = proposeSeverityRank({ impact, usersAffected, revenue, dataLossOrSecurity });
  const proposed = severities[Math.min(rank, severities.length - 1)];
  const ordered = proposed ? [proposed, ...severities.filter((s) => s !== proposed)] : [...severities];
  return prompter.choose(
    `Proposed severity: ${proposed?.name ?? '?'}. Declare as`,
    ordered.map((s) => ({ value: s.name, name: `${s.name}: ${s.description}${s === proposed ? ' (proposed)' : ''}` })),
  );
}

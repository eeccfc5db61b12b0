import type { Prompter } from '../prompter.js';
import { parseParamValue } from './params.js';
import type { PlaybookParam } from './schema.js';

/** Lists names for a parameter's `choicesFrom` (e.g. the deployments of the namespace). */
export type ChoiceLister = (
  source: NonNullable<PlaybookParam['choicesFrom']>,
  namespace: string | undefined,
) => Promise<string[]>;

/**
 * Asks for one missing parameter on a terminal: a choice among the cluster's objects when the
 * parameter says where to find them (and the cluster answers), else free text, re-asked until valid.
 */
export function askParamWith(prompter: Prompter, listChoices: ChoiceLister) {
  return async (param: PlaybookParam, values: Readonly<Record<string, unknown>> = {}): Promise<string> => {
    const label = `${param.name}${param.description ? ` (${param.description})` : ''}`;
    if (param.type === 'enum' && param.values) {
      return prompter.choose(
        label,
        param.values.map((value) => ({ value, name: value })),
      );
    }
    if (param.choicesFrom) {
      const namespace = typeof values.namespace === 'string' ? values.namespace : undefined;
      const names = await listChoices(param.choicesFrom, namespace).catch(() => []);
      if (names.length > 0)
        return prompter.choose(
          label,
          names.map((value) => ({ value, name: value })),
        );
    }
    for (;;) {
      const answer = await prompter.ask(label);
      try {
        parseParamValue(param, answer);
        return answer;
      } catch (error) {
        // Ask again: a typo at 3 a.m. should not end the run.
        await prompter
          .confirm(`${error instanceof Error ? error.message : String(error)} — try again?`, true)
          .then((again) => {
            if (!again) throw error;
          });
      }
    }
  };
}

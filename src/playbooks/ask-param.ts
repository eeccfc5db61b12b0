import type { Prompter } from '../prompter.js';
import { type ParamValue, parseParamValue } from './params.js';
import type { PlaybookParam } from './schema.js';

type ChoiceSource = NonNullable<PlaybookParam['choicesFrom']>;

/** Lists names for a parameter's `choicesFrom` (the deployments of the namespace, a deployment's containers…). */
export type ChoiceLister = (source: ChoiceSource, values: Readonly<Record<string, ParamValue>>) => Promise<string[]>;

/** Where a parameter's choices come from: its `choicesFrom`, and the cluster's namespaces for a namespace. */
export function choiceSourceOf(param: PlaybookParam): ChoiceSource | undefined {
  return param.choicesFrom ?? (param.name === 'namespace' ? 'namespaces' : undefined);
}

/**
 * Fills a missing parameter without asking when the cluster leaves one possible value: a
 * deployment's only container. Anything else (even a namespace with one deployment) is asked.
 */
export function inferParamWith(listChoices: ChoiceLister, said: (text: string) => void) {
  return async (param: PlaybookParam, values: Readonly<Record<string, ParamValue>>): Promise<string | undefined> => {
    if (param.choicesFrom !== 'containers') return undefined;
    const names = await listChoices('containers', values).catch(() => []);
    if (names.length !== 1) return undefined;
    said(`${param.name}: ${names[0]} (the only container)`);
    return names[0];
  };
}

/**
 * Asks for one missing parameter on a terminal: a choice among the cluster's objects when the
 * parameter says where to find them (and the cluster answers), else free text, re-asked until valid.
 * `contextNamespace` is offered first when asking for a namespace.
 */
export function askParamWith(prompter: Prompter, listChoices: ChoiceLister, contextNamespace?: string) {
  return async (param: PlaybookParam, values: Readonly<Record<string, ParamValue>> = {}): Promise<string> => {
    const label = `${param.name}${param.description ? ` (${param.description})` : ''}`;
    if (param.type === 'enum' && param.values) {
      return prompter.choose(
        label,
        param.values.map((value) => ({ value, name: value })),
      );
    }
    const source = choiceSourceOf(param);
    const isNamespace = source === 'namespaces' && param.name === 'namespace';
    if (source) {
      const names = await listChoices(source, values).catch(() => []);
      if (names.length > 0)
        return prompter.choose(label, orderChoices(names, isNamespace ? contextNamespace : undefined));
    }
    for (;;) {
      const answer = await prompter.ask(label, isNamespace ? contextNamespace : undefined);
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

/** The choices as listed, with the preferred one first (Enter takes it) and marked. */
function orderChoices(names: readonly string[], preferred: string | undefined) {
  const ordered = preferred && names.includes(preferred) ? [preferred, ...names.filter((n) => n !== preferred)] : names;
  return ordered.map((value) => ({
    value,
    name: value === preferred ? `${value} (the context's namespace)` : value,
  }));
}

import { didYouMean } from '../../closest-match.js';
import { UsageError } from '../../errors.js';

export interface ContextSelection {
  /** `--context A --context B`: these, in this order. */
  names: readonly string[];
  /** `--contexts REGEX`: every context whose name matches. */
  pattern?: string;
  /** `--all-contexts`. */
  all: boolean;
}

/**
 * The contexts a fleet triage reads, from the kubeconfig's context names. A name that is not in the
 * kubeconfig, a pattern that is not a regular expression or matches nothing is a usage error.
 */
export function selectContexts(available: readonly string[], selection: ContextSelection): string[] {
  if (selection.all) return noneEmpty([...available], 'the kubeconfig has no contexts');
  if (selection.pattern !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(selection.pattern);
    } catch (error) {
      throw new UsageError(
        `--contexts "${selection.pattern}" is not a regular expression: ${(error as Error).message}`,
        {
          hint: 'for example --contexts "^prod-" or --contexts "eu|us"',
        },
      );
    }
    return noneEmpty(
      available.filter((name) => pattern.test(name)),
      `no context matches --contexts "${selection.pattern}" (contexts: ${available.join(', ') || 'none'})`,
    );
  }
  const unknown = selection.names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    // One mistyped name gets a near miss, as kubectl's own "did you mean" does for commands.
    const suggestion = unknown.length === 1 ? didYouMean(unknown[0] ?? '', available) : undefined;
    const named = unknown.map((name) => `"${name}"`).join(', ');
    throw new UsageError(`no context ${named} in the kubeconfig${suggestion ? `; ${suggestion}` : ''}`, {
      code: 'UNKNOWN_CONTEXT',
      hint: `contexts: ${available.join(', ') || 'none'}`,
    });
  }
  return [...new Set(selection.names)];
}

function noneEmpty(names: string[], message: string): string[] {
  if (names.length === 0) throw new UsageError(message, { hint: 'kubectl config get-contexts lists them' });
  return names;
}

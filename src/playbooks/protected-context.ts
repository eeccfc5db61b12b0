import { UsageError } from '../errors.js';

/**
 * Whether changes on this context need its name typed (config protectedContexts, regular expressions).
 * Case does not matter: `PROD-eu`, `Production` and `gke_acme_europe-west1_PRD` name production as much as `prod`.
 */
export function isProtected(context: string, patterns: readonly string[]): boolean {
  // A run that touches no cluster has no context to protect.
  if (!context) return false;
  return patterns.some((pattern) => {
    try {
      return new RegExp(pattern, 'i').test(context);
    } catch {
      return context.toLowerCase().includes(pattern.toLowerCase());
    }
  });
}

export interface ContextConfirmation {
  context: string;
  protectedContext: boolean;
  yes: boolean;
  /** The context name given with --confirm-context, if any. */
  confirmContext?: string;
}

/**
 * Refuses, before the first change, what a script cannot confirm: `--yes` alone on a protected
 * context (its name must be typed, `--confirm-context NAME` for scripts), or a `--confirm-context`
 * naming another context than the one the run would change.
 */
export function assertContextConfirmed(options: ContextConfirmation): void {
  const { context, confirmContext } = options;
  if (confirmContext !== undefined && confirmContext !== context) {
    throw new UsageError(
      `--confirm-context names "${confirmContext}", but the changes would go to context "${context}"`,
      {
        code: 'CONTEXT_MISMATCH',
        hint: `check --context and the kubeconfig; to change "${context}", pass --confirm-context ${context}`,
      },
    );
  }
  if (options.protectedContext && options.yes && confirmContext === undefined) {
    throw new UsageError(`"${context}" is a protected context: --yes alone does not apply changes there`, {
      code: 'PROTECTED_CONTEXT',
      hint: `add --confirm-context ${context} to confirm it by name (or run in a terminal and type it)`,
    });
  }
}

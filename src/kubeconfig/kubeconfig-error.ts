import { UsageError } from '../errors.js';

/**
 * A missing or broken kubeconfig, or an unknown context. Exit 2: nothing was attempted.
 * Code NO_KUBECONFIG: there is none at all (the CLI then points at its simulator).
 */
export class KubeconfigError extends UsageError {
  readonly contexts: readonly string[];

  constructor(
    message: string,
    options: {
      code?: 'KUBECONFIG' | 'NO_KUBECONFIG';
      hint?: string;
      contexts?: readonly string[];
      cause?: unknown;
    } = {},
  ) {
    super(message, { code: options.code ?? 'KUBECONFIG', hint: options.hint, cause: options.cause });
    this.contexts = options.contexts ?? [];
  }
}

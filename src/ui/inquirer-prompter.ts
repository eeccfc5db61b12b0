import type { PromptChoice, Prompter } from '../prompter.js';
import { toTerminal } from './terminal-text.js';

export interface InquirerPrompterOptions {
  /** Aborted on Ctrl-C: the open prompt is cancelled (exit 130). */
  signal?: AbortSignal;
  /** Prompts are drawn on stderr, so stdout keeps only the result. */
  output?: NodeJS.WritableStream;
}

/**
 * The `Prompter` port over @inquirer/prompts, for an interactive terminal; loaded lazily. Inquirer draws
 * on the stream itself, so messages and choices pass the output port's sanitising and redaction here.
 */
export class InquirerPrompter implements Prompter {
  constructor(private readonly options: InquirerPrompterOptions = {}) {}

  private context() {
    return { signal: this.options.signal, output: this.options.output ?? process.stderr, clearPromptOnDone: false };
  }

  async ask(message: string, defaultValue?: string): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return input({ message: toTerminal(message), default: defaultValue }, this.context());
  }

  async choose<T>(message: string, choices: readonly PromptChoice<T>[]): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return select<T>(
      {
        message: toTerminal(message),
        choices: choices.map((c) => ({
          value: c.value,
          name: toTerminal(c.name),
          description: c.description === undefined ? undefined : toTerminal(c.description),
        })),
      },
      this.context(),
    );
  }

  async confirm(message: string, defaultValue = false): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message: toTerminal(message), default: defaultValue }, this.context());
  }

  async typeToConfirm(expected: string, message?: string): Promise<boolean> {
    const { input } = await import('@inquirer/prompts');
    const answer = await input({ message: toTerminal(message ?? `Type "${expected}" to confirm`) }, this.context());
    return answer.trim() === expected;
  }
}

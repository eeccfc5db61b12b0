import { ConfirmationNeededError } from './errors.js';

export interface PromptChoice<T> {
  value: T;
  name: string;
  description?: string;
}

/**
 * The port through which the domain asks people things. The CLI passes an adapter over
 * @inquirer/prompts on a terminal, and `NonInteractivePrompter` otherwise; tests pass a `ScriptedPrompter`.
 */
export interface Prompter {
  /** Free text; returns the default (or '') when the answer is empty. */
  ask(message: string, defaultValue?: string): Promise<string>;
  /** One of the choices. */
  choose<T>(message: string, choices: readonly PromptChoice<T>[]): Promise<T>;
  /** Yes or no. */
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  /** The person must type `expected` exactly (a protected context's name); false if they type anything else. */
  typeToConfirm(expected: string, message?: string): Promise<boolean>;
}

/** Used without a terminal: any question is a `ConfirmationNeededError` (exit 2, names --yes). */
export class NonInteractivePrompter implements Prompter {
  constructor(private readonly what = 'this command') {}

  ask(): Promise<string> {
    return Promise.reject(new ConfirmationNeededError(this.what));
  }
  choose<T>(): Promise<T> {
    return Promise.reject(new ConfirmationNeededError(this.what));
  }
  confirm(): Promise<boolean> {
    return Promise.reject(new ConfirmationNeededError(this.what));
  }
  typeToConfirm(): Promise<boolean> {
    return Promise.reject(new ConfirmationNeededError(this.what));
  }
}

/**
 * Answers from a script, in order; records the questions. For tests.
 * An answer for `choose` is matched against each choice's value or name.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  private readonly answers: (string | boolean)[];

  constructor(answers: readonly (string | boolean)[]) {
    this.answers = [...answers];
  }

  private next(message: string): string | boolean {
    this.asked.push(message);
    if (this.answers.length === 0) throw new Error(`ScriptedPrompter: no answer left for "${message}"`);
    return this.answers.shift() as string | boolean;
  }

  async ask(message: string, defaultValue?: string): Promise<string> {
    const answer = String(this.next(message));
    return answer === '' ? (defaultValue ?? '') : answer;
  }

  async choose<T>(message: string, choices: readonly PromptChoice<T>[]): Promise<T> {
    const answer = String(this.next(message));
    const choice = choices.find((c) => String(c.value) === answer || c.name === answer);
    if (!choice) throw new Error(`ScriptedPrompter: "${answer}" is not a choice of "${message}"`);
    return choice.value;
  }

  async confirm(message: string): Promise<boolean> {
    const answer = this.next(message);
    return answer === true || answer === 'y' || answer === 'yes';
  }

  async typeToConfirm(expected: string, message?: string): Promise<boolean> {
    return String(this.next(message ?? `type ${expected} to confirm`)) === expected;
  }
}

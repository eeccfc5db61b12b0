/**
 * Token shapes from a maintained rule set: secretlint's recommended preset (AWS, GCP, GitHub, Slack,
 * npm, SendGrid, Shopify, OpenAI, Anthropic, Linear, 1Password, private keys, basic auth, database
 * connection strings). Its core only offers an asynchronous linter, and every output of inc is written
 * synchronously, so the preset's rules are driven here through their public rule contract
 * (`create(context, options)` → `file(source)`, reporting ranges): loaded once, then matched in place.
 */

/** A [start, end) range of a secret in a text. */
export type SecretRange = readonly [number, number];

interface RuleSource {
  content: string;
  filePath: undefined;
  ext: string;
  contentType: 'text';
}

interface RuleContext {
  sharedOptions: Record<string, unknown>;
  createTranslator: () => (id: string, data?: unknown) => { message: string; messageId: string; data?: unknown };
  report(descriptor: { range: readonly [number, number] }): void;
  ignore(): void;
}

interface RuleCreator {
  meta: { id: string; type?: string };
  create(context: RuleContext, options: Record<string, unknown>): { file?(source: RuleSource): unknown };
}

/**
 * Rule options: the AWS rule finds access key ids only when asked. The comment-filter rule is left out:
 * it honours `secretlint-disable` comments, and text inc prints (container logs) is written by others.
 */
const RULE_OPTIONS: Record<string, Record<string, unknown>> = {
  '@secretlint/secretlint-rule-aws': { enableIDScanRule: true },
};
const SKIPPED_RULES = new Set(['@secretlint/secretlint-rule-filter-comments']);

type Scanner = (text: string) => SecretRange[];
let scanner: Scanner | undefined;

/** Loads the rule set once; until then `findSecretShapes` finds nothing (the hand-kept rules still apply). */
export async function loadSecretShapes(): Promise<void> {
  if (scanner) return;
  const preset = (await import('@secretlint/secretlint-rule-preset-recommend')) as unknown as {
    rules: readonly RuleCreator[];
  };
  scanner = compileScanner(preset.rules);
}

/** Whether the rule set is loaded (before, only the hand-kept rules apply). */
export function secretShapesLoaded(): boolean {
  return scanner !== undefined;
}

/** The ranges of the texts' secrets that the rule set recognises. */
export function findSecretShapes(text: string): SecretRange[] {
  return scanner ? scanner(text) : [];
}

function compileScanner(rules: readonly RuleCreator[]): Scanner {
  // Reports count only while a text is being scanned: a late (asynchronous) one would name ranges of another text.
  let found: SecretRange[] | undefined;
  const context: RuleContext = {
    sharedOptions: {},
    createTranslator: () => (id, data) => ({ message: id, messageId: id, data }),
    report: (descriptor) => void found?.push([descriptor.range[0], descriptor.range[1]]),
    ignore: () => {},
  };
  const handlers = rules
    .filter((rule) => rule.meta.type !== 'preset' && !SKIPPED_RULES.has(rule.meta.id))
    .map((rule) => rule.create(context, RULE_OPTIONS[rule.meta.id] ?? {}).file)
    .filter((file): file is NonNullable<typeof file> => typeof file === 'function');
  return (text) => {
    const ranges: SecretRange[] = [];
    found = ranges;
    const source: RuleSource = { content: text, filePath: undefined, ext: '', contentType: 'text' };
    for (const file of handlers) {
      try {
        const pending = file(source);
        // A rule that needs a file on disk (PKCS#12) answers later and finds nothing in a text: drop it.
        if (pending instanceof Promise) pending.catch(() => {});
      } catch {
        // A rule that breaks on odd input must not stop the output; the hand-kept rules still run.
      }
    }
    found = undefined;
    return ranges;
  };
}

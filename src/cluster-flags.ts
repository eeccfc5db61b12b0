/** The options that choose a command's cluster and identity; a command printed for pasting repeats them. */
export interface ClusterFlags {
  context?: string;
  as?: string;
  asGroups?: string[];
  asUid?: string;
}

/**
 * ` --context eu-west --as oncall-admin --as-group sre`, as both inc and kubectl read them: pasted,
 * the command acts on the same cluster as the same identity, not on the current context as oneself.
 */
export function clusterFlagsText(flags: ClusterFlags): string {
  const words: string[] = [];
  if (flags.context) words.push('--context', shellQuote(flags.context));
  if (flags.as) words.push('--as', shellQuote(flags.as));
  for (const group of flags.asGroups ?? []) words.push('--as-group', shellQuote(group));
  if (flags.asUid) words.push('--as-uid', shellQuote(flags.asUid));
  return words.map((word) => ` ${word}`).join('');
}

/** A word as a POSIX shell reads it back: bare when it is plain, else single-quoted. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** An `inc run PLAYBOOK --set …` or `inc undo ID` written in a message for pasting. */
const INC_COMMAND = /\binc (?:run [a-z0-9][a-z0-9-]*(?: --set [^\s;),]+)*|undo [0-9A-Z]{10,})/g;

/**
 * The text with the flags added to each inc command written in it for pasting (a hint's
 * `inc run rollback --set …`), unless the command carries them already: pasted, it acts on the
 * cluster the command that printed it was given, not on the kubeconfig's current context.
 */
export function withClusterFlags(text: string, flags: ClusterFlags): string {
  const extra = clusterFlagsText(flags);
  if (!extra) return text;
  return text.replace(INC_COMMAND, (command, offset: number) =>
    /^ --(context|as)\b/.test(text.slice(offset + command.length)) ? command : `${command}${extra}`,
  );
}

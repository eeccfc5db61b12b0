import type { Command, Option } from 'commander';

/** Where dynamic candidates come from; each is read only when the position asks for it. */
export interface CompletionSources {
  playbooks(): string[];
  /** The playbooks that load: `inc run` of a broken one only prints its error. */
  runnablePlaybooks(): string[];
  /** The parameters of a playbook (for `--set KEY=` and, for an enum, its values). */
  playbookParams(playbook: string): CompletionParam[];
  incidents(): Promise<string[]>;
  contexts(): string[];
  namespaces(): string[];
  scenarios(): string[];
  severities(): string[];
  /** The roles `inc role` accepts. */
  roles(): string[];
  /** Whom `inc escalate --to` can engage: the config's contact keys and the escalation lists' names. */
  contacts(): string[];
}

/** What completion needs to know of a playbook parameter. */
export interface CompletionParam {
  name: string;
  /** The parameter this one is another name for (`statefulset` for `deployment`). */
  aliasOf?: string;
  /** The allowed values of an enum parameter. */
  values?: string[];
}

/** Candidates for the values of an option, by its long name. */
const OPTION_VALUES: Record<string, (sources: CompletionSources) => string[] | Promise<string[]>> = {
  '--context': (s) => s.contexts(),
  '--namespace': (s) => s.namespaces(),
  '--incident': (s) => s.incidents(),
  '--scenario': (s) => s.scenarios(),
  '--practice': (s) => s.scenarios(),
  '--severity': (s) => s.severities(),
  '--to': (s) => s.contacts(),
};

/** Candidates for a command's positional arguments, by the command's path ("run", "playbooks show"). */
const POSITIONAL_VALUES: Record<string, (sources: CompletionSources) => string[] | Promise<string[]>> = {
  run: (s) => s.runnablePlaybooks(),
  'playbooks show': (s) => s.playbooks(),
  use: (s) => s.incidents(),
  sev: (s) => s.severities(),
  escalate: (s) => s.severities(),
  role: (s) => s.roles(),
  demo: (s) => s.scenarios(),
  sim: (s) => s.scenarios(),
  completion: () => ['bash', 'zsh', 'fish'],
};

interface Position {
  command: Command;
  path: string[];
  positionals: string[];
  /** The option whose value the current word is, if any. */
  awaiting?: Option;
  /** Every `--set` value given so far. */
  sets: string[];
}

/**
 * The completions of the last word of `words` (the words after the program name; the last may be
 * empty), as kubectl's `__complete` does: sub-commands, flags, and values read from the sources.
 */
export async function completeWords(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const position = locate(program, words.slice(0, -1));
  const candidates = await candidatesAt(position, current, sources);
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(current)).sort();
}

async function candidatesAt(position: Position, current: string, sources: CompletionSources): Promise<string[]> {
  if (position.awaiting) return valuesOf(position, position.awaiting, '', current, sources);
  const inline = /^(--[^=]+)=/.exec(current);
  if (inline) {
    const option = findOption(position.command, inline[1] ?? '');
    return option ? valuesOf(position, option, `${inline[1]}=`, current.slice(inline[0].length), sources) : [];
  }
  if (current.startsWith('-')) return flagsOf(position.command);
  const subcommands = visibleCommands(position.command);
  if (subcommands.length > 0) return subcommands.flatMap((command) => [command.name(), ...command.aliases()]);
  const positional = POSITIONAL_VALUES[position.path.join(' ')];
  return positional && position.positionals.length === 0 ? positional(sources) : [];
}

async function valuesOf(
  position: Position,
  option: Option,
  prefix: string,
  current: string,
  sources: CompletionSources,
): Promise<string[]> {
  const name = option.long ?? '';
  let values: string[];
  if (name === '--set') values = setValues(position, current, sources);
  else if (option.argChoices) values = option.argChoices;
  else if (name === '--output' && position.path[0] !== 'postmortem') values = outputFormats(option);
  else values = (await OPTION_VALUES[name]?.(sources)) ?? [];
  return values.map((value) => `${prefix}${value}`);
}

/** `--set KEY=`: the chosen playbook's parameters not set yet (nor under another name); after `=`, known values. */
function setValues(position: Position, current: string, sources: CompletionSources): string[] {
  const playbook = position.path[0] === 'run' ? position.positionals[0] : undefined;
  if (!playbook) return [];
  const params = sources.playbookParams(playbook);
  const equals = current.indexOf('=');
  if (equals >= 0) {
    const key = current.slice(0, equals);
    const values =
      key === 'namespace'
        ? sources.namespaces()
        : key === 'context'
          ? sources.contexts()
          : (params.find((param) => param.name === key)?.values ?? []);
    return values.map((value) => `${key}=${value}`);
  }
  const given = new Set(position.sets.map((set) => set.split('=')[0]));
  // A parameter and its aliases name one value: once one is given, none of them is offered again.
  const target = (param: CompletionParam) => param.aliasOf ?? param.name;
  const givenTargets = new Set(params.filter((param) => given.has(param.name)).map(target));
  return params.filter((param) => !givenTargets.has(target(param))).map((param) => `${param.name}=`);
}

/** The formats named in the option's description ("output format: text, json, markdown"). */
function outputFormats(option: Option): string[] {
  const listed = /:\s*([\w, |-]+)$/.exec(option.description ?? '')?.[1] ?? '';
  return listed
    .split(/[,|]\s*/)
    .map((value) => value.trim())
    .filter(Boolean);
}

/** Walks the words before the current one: sub-commands, options and the values they take. */
function locate(program: Command, words: readonly string[]): Position {
  const position: Position = { command: program, path: [], positionals: [], sets: [] };
  for (const word of words) {
    if (position.awaiting) {
      if (position.awaiting.long === '--set') position.sets.push(word);
      position.awaiting = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const [flag, inlineValue] = word.split(/=(.*)/s, 2);
      const option = findOption(position.command, flag ?? '');
      if (option && (option.required || option.optional) && inlineValue === undefined) position.awaiting = option;
      else if (option?.long === '--set' && inlineValue !== undefined) position.sets.push(inlineValue);
      continue;
    }
    const sub = visibleCommands(position.command).find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && position.positionals.length === 0) {
      position.command = sub;
      position.path.push(sub.name());
    } else {
      position.positionals.push(word);
    }
  }
  return position;
}

function visibleCommands(command: Command): Command[] {
  return command.commands.filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden);
}

/** The options a command honours: its own, then those of its parents (the global ones). */
function optionsOf(command: Command): Option[] {
  const options: Option[] = [];
  for (let at: Command | null = command; at; at = at.parent) options.push(...at.options);
  return options.filter((option) => !option.hidden);
}

function findOption(command: Command, flag: string): Option | undefined {
  return optionsOf(command).find((option) => option.long === flag || option.short === flag);
}

function flagsOf(command: Command): string[] {
  const flags = optionsOf(command).flatMap((option) =>
    option.long ? [option.long] : option.short ? [option.short] : [],
  );
  return [...flags, '--help'];
}

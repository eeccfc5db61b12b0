import type { Command, Option } from 'commander';
import { UsageError } from '../errors.js';

/** The global options (by commander's attribute name) that take effect everywhere. */
const EVERYWHERE = ['color', 'debug'] as const;
const CLUSTER = ['kubeconfig', 'context', 'requestTimeout', 'as', 'asGroup', 'asUid'] as const;

/**
 * Which global options each command honours, so its help lists those and no others.
 * A command missing here is a mistake the CLI tests catch.
 */
export const HONOURED_GLOBAL_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  start: [...CLUSTER, 'output'],
  note: [...CLUSTER, 'incident', 'output'],
  sev: ['incident', 'output'],
  role: ['incident', 'output'],
  ack: ['incident', 'output'],
  escalate: ['incident', 'output', 'dryRun'],
  mitigated: ['incident', 'output'],
  impact: ['incident', 'output'],
  status: ['incident', 'output'],
  alerts: [...CLUSTER, 'namespace', 'output'],
  triage: [...CLUSTER, 'namespace', 'allNamespaces', 'output', 'incident'],
  logs: [...CLUSTER, 'namespace', 'incident'],
  run: [...CLUSTER, 'namespace', 'yes', 'dryRun', 'output', 'incident'],
  undo: [...CLUSTER, 'yes', 'dryRun', 'output', 'incident'],
  playbooks: ['output'],
  update: ['incident', 'output', 'yes', 'dryRun'],
  postmortem: ['incident', 'output', 'dryRun'],
  handoff: ['output'],
  resolve: [...CLUSTER, 'incident', 'output'],
  log: ['incident', 'output'],
  list: ['output'],
  use: ['output'],
  sync: ['output'],
  stats: ['output'],
  demo: ['output'],
  sim: ['kubeconfig'],
  completion: [],
};

/** What a command without `-o` prints instead, for its refusal (default: text). */
const TEXT_ONLY: Readonly<Record<string, string>> = {
  logs: 'it prints each line as text, prefixed with its pod',
  sim: 'it prints one ready line and serves until Ctrl-C',
  completion: 'it prints a shell script',
};

/** The top-level command a (sub-)command belongs to: `playbooks show` → playbooks. */
function topLevel(command: Command): Command | undefined {
  let at: Command = command;
  while (at.parent?.parent) at = at.parent;
  return at.parent ? at : undefined;
}

/** For commander's help: the program's options that this command honours (all of them for `inc --help`). */
export function visibleGlobalOptions(command: Command): Option[] {
  const top = topLevel(command);
  const root = top?.parent;
  if (!top || !root) return [];
  const honoured = new Set<string>([...EVERYWHERE, ...(HONOURED_GLOBAL_OPTIONS[top.name()] ?? [])]);
  return root.options.filter((option) => !option.hidden && honoured.has(option.attributeName()));
}

/** The top-level command's name when it does not honour `option`; undefined when it does (or for `inc` itself). */
function notHonouring(action: Command, option: string): string | undefined {
  const top = topLevel(action);
  return top && !HONOURED_GLOBAL_OPTIONS[top.name()]?.includes(option) ? top.name() : undefined;
}

/** The commands that honour `--dry-run`, in help order: `run`, `undo`, … */
function dryRunCommands(): string[] {
  return Object.entries(HONOURED_GLOBAL_OPTIONS)
    .filter(([, honoured]) => honoured.includes('dryRun'))
    .map(([name]) => name);
}

/**
 * Refuses `--dry-run` on a command that has no dry run: ignored, it would let `inc resolve
 * --dry-run` resolve the incident, the opposite of what was asked.
 */
export function refuseIgnoredDryRun(program: Command, action: Command): void {
  const name = program.opts().dryRun ? notHonouring(action, 'dryRun') : undefined;
  if (!name) return;
  throw new UsageError(`inc ${name} has no dry run: --dry-run would be ignored, so nothing was done`, {
    hint: `leave --dry-run out to run it; commands with a dry run: ${dryRunCommands()
      .map((name) => `inc ${name}`)
      .join(', ')}`,
  });
}

/**
 * Refuses `-o json` (or markdown) on a command that prints text only: ignored, it would hand
 * `| jq` text it cannot parse. `-o text` is the default everywhere and always accepted.
 */
export function refuseIgnoredOutput(program: Command, action: Command): void {
  const format = String(program.opts().output ?? 'text');
  if (format === 'text') return;
  const name = notHonouring(action, 'output');
  if (!name) return;
  throw new UsageError(`inc ${name} has no ${format} output: ${TEXT_ONLY[name] ?? 'it prints text only'}`, {
    hint: `leave -o out; inc ${name} --help lists the options it takes`,
  });
}

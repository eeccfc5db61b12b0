import { type Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './context.js';
import { OUTPUT_FORMATS } from './context.js';
import { visibleGlobalOptions } from './global-options.js';
import { IncCommand } from './inc-command.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    failure
  2    usage or invalid input (also: confirmation needed without a terminal, use --yes;
       a setting to add: no kubeconfig, no Alertmanager, no sync remote, …)
  3    findings at the --fail-on level
  4    cluster unreachable
  130  interrupted (Ctrl-C)`;

const EXAMPLES_HELP = `
Examples:
  inc demo                                   walk through a whole incident on a simulated cluster
  inc start "checkout errors" --severity SEV2
  inc triage -n payments                     what is broken, what changed, what to do
  inc run rollback --set namespace=payments --set deployment=api
  inc update --status identified --format slack
  inc postmortem -o postmortem.md`;

/** `--context a --context b` (fleet triage) keeps both; once, it is the plain name every command reads. */
function collectContexts(value: string, previous: string | string[] | undefined): string | string[] {
  if (previous === undefined) return value;
  return [...(Array.isArray(previous) ? previous : [previous]), value];
}

/** `--as-group a --as-group b` → [a, b], as kubectl takes it (a group name may hold a comma). */
function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Builds the commander program: global options of DESIGN, then every command in help order. */
export function buildProgram(ctx: CliContext): Command {
  const program = new IncCommand('inc')
    .description(
      'The on-call responder CLI for Kubernetes: triage, guided mitigations, incident log, updates and postmortems.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (inc triage: repeat for several)', collectContexts)
    .option('-n, --namespace <ns>', 'namespace (default: the context namespace, else "default")')
    .option('-A, --all-namespaces', 'act on all namespaces')
    // Checked when a command reads it (globalsOf), not here: `inc postmortem -o FILE` takes a file name.
    .addOption(new Option('-o, --output <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`).default('text'))
    .option('--no-color', 'disable colours (also NO_COLOR=1)')
    .option('-y, --yes', 'answer yes to confirmations (required without a terminal)')
    .option('--dry-run', 'plan only; change nothing (refused by a command that has no dry run)')
    .option('--incident <id>', 'incident to record in (default: the current incident)')
    .option('--request-timeout <duration>', 'per-request timeout for the Kubernetes API', '10s')
    .option('--as <user>', 'user to impersonate for the Kubernetes API, as kubectl --as (a break-glass identity)')
    .option('--as-group <group>', 'group to impersonate (repeat for several); needs --as', collectRepeated)
    .option('--as-uid <uid>', 'UID to impersonate; needs --as')
    .option('--debug', 'print stack traces and request details')
    .configureHelp({ showGlobalOptions: true, visibleGlobalOptions })
    .enablePositionalOptions(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.output.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.output.err(text.replace(/\n$/, '')),
      // Errors are rendered once, by main, through the one error path.
      outputError: () => {},
    })
    .addHelpText('after', `${EXAMPLES_HELP}\n${EXIT_CODES_HELP}`);

  for (const register of COMMANDS) register(program, ctx);
  return program;
}

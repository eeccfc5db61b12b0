import type { ClusterFlags } from '../cluster-flags.js';
import { ExitCode } from '../errors.js';
import { registerSecretValues, secretValuesFromEnv } from '../incident/redact.js';
import { loadSecretShapes } from '../incident/secret-shapes.js';
import { shouldUseColor } from '../ui/color.js';
import { createTheme } from '../ui/theme.js';
import { COMPLETE_COMMAND } from './completion/complete-command.js';
import { registerConfiguredSecrets } from './configured-secrets.js';
import type { CliContext } from './context.js';
import { refuseIgnoredDryRun, refuseIgnoredOutput } from './global-options.js';
import { buildProgram } from './program.js';
import { renamingOutput } from './program-name.js';
import { renderError } from './render-error.js';

/**
 * Runs the CLI with the given context and argv (without node and script); returns the exit code.
 * The one place that maps errors to exit codes; tests and the demo call it in-process.
 */
export async function runCli(context: CliContext, args: readonly string[]): Promise<number> {
  // Every exit redacts the environment's secrets and the token shapes of the rule set, loaded before a
  // command runs or an error is printed (help and --version print only inc's own text, and stay instant).
  registerSecretValues(secretValuesFromEnv(context.env));
  const name = context.programName ?? 'inc';
  let commandNames: readonly string[] = [];
  const ctx: CliContext = {
    ...context,
    output: renamingOutput(context.output, name, () => commandNames),
    runInc: runCli,
  };
  const program = buildProgram(ctx)
    .name(name)
    .hook('preAction', async (root, action) => {
      refuseIgnoredDryRun(root, action);
      refuseIgnoredOutput(root, action);
      await loadSecretShapes();
      await registerConfiguredSecrets(context.env);
    })
    .hook('postAction', async (_program, action) => {
      const { pushInBackground } = await import('./auto-sync.js');
      await pushInBackground(ctx, action.name());
    });
  commandNames = program.commands.map((command) => command.name());
  if (args[0] === COMPLETE_COMMAND) {
    // Read before commander parses: the words being completed are options and half-typed values.
    const { printCompletions } = await import('./completion/print-completions.js');
    return printCompletions(ctx, program, args.slice(1));
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    // A command may set process.exitCode (e.g. findings at --fail-on); take it and reset it,
    // so several in-process runs (the demo, command tests) stay independent.
    const code = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    process.exitCode = undefined;
    await loadSecretShapes();
    const debug = args.includes('--debug');
    const noColorFlag = args.includes('--no-color');
    const theme = createTheme(shouldUseColor({ env: ctx.env, isTTY: ctx.stderrIsTTY, noColorFlag }));
    const rendered = renderError(error, theme, debug, clusterFlagsOf(program.opts()));
    for (const line of rendered.lines) ctx.output.err(line);
    return rendered.exitCode;
  }
}

/** The cluster options as given (parsed as far as the command got), for the commands an error names. */
function clusterFlagsOf(raw: Record<string, unknown>): ClusterFlags {
  const context = Array.isArray(raw.context) ? raw.context : raw.context === undefined ? [] : [raw.context];
  return {
    ...(context.length === 1 && { context: String(context[0]) }),
    ...(typeof raw.as === 'string' && { as: raw.as }),
    ...(Array.isArray(raw.asGroup) && { asGroups: raw.asGroup.map(String) }),
    ...(typeof raw.asUid === 'string' && { asUid: raw.asUid }),
  };
}

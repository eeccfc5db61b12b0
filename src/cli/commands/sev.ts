import type { Command } from 'commander';
import type { IncConfig } from '../../config.js';
import type { IncidentState } from '../../incident/state-types.js';
import type { TextStyle } from '../../incident/text-style.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

export const registerSevCommand: RegisterCommand = (program, ctx) => {
  program
    .command('sev')
    .description('change the severity of the incident')
    .argument('<severity>', 'SEV1..SEV4 (or P1..P4, or the names in the config file)')
    .option('-r, --reason <text>', 'why the severity changes')
    .addHelpText(
      'after',
      `
Examples:
  inc sev SEV1 --reason "payments down in every region"
  inc sev P3 -r "mitigated; latency back to normal"`,
    )
    .action(async (severity: string, flags: { reason?: string }, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { changeSeverity } = await import('../../incident/annotate.js');
      const { resolveSeverity } = await import('../../config.js');
      const {
        log,
        ctx: write,
        config,
      } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc sev',
        write: true,
      });
      const to = resolveSeverity(config, severity).name;
      const outcome = await changeSeverity(log, write, { to, reason: flags.reason });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
      if (outcome.kind === 'recorded' && env.globals.output !== 'json') {
        const lines = await engageAfterRaise(outcome.event.data, outcome.state, config, env.theme);
        if (lines.length) env.output.out(lines.join('\n'));
      }
    });
};

/** After a raise, whom the new severity engages that nobody engaged yet, as `inc start` names them. */
async function engageAfterRaise(
  change: { from?: string; to: string },
  state: IncidentState,
  config: IncConfig,
  style: TextStyle,
): Promise<string[]> {
  const { toEngageAfterRaise } = await import('../../incident/escalate.js');
  const missing = toEngageAfterRaise(change, state, config.severities);
  if (missing.length === 0) return [];
  const { renderEngage } = await import('../../incident/render-targets.js');
  return [
    '',
    `Engage now (${change.to}), not engaged yet:`,
    ...renderEngage(missing, config.contacts, style),
    '',
    `To record it, and page when INC_PAGE_WEBHOOK is set: ${style.cmd('inc escalate')}`,
  ];
}

import type { Command } from 'commander';
import { alertmanagerOption } from '../alertmanager-option.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface NoteFlags {
  action?: boolean;
  decision?: boolean;
  owner?: string;
  due?: string;
  type?: string;
  priority?: string;
  attach?: string;
  fromAlert?: string | true;
  alertmanager?: string;
}

export const registerNoteCommand: RegisterCommand = (program, ctx) => {
  program
    .command('note')
    .description('add a note, decision or follow-up action item to the incident log')
    .argument('[text...]', 'the note; "TODO: …" makes it an action item')
    .option('--action', 'a follow-up action item (same as starting the text with "TODO:")')
    .option('--decision', 'a decision taken')
    .option('--owner <name>', 'who owns the action item')
    .option('--due <date>', 'when the action item is due: 2026-06-01, friday, "in 3 days"')
    .option('--type <type>', 'action item type: prevent, mitigate or process')
    .option('--priority <P1|P2|P3>', 'action item priority')
    .option('--attach <file>', 'keep a file with the note under evidence/ (redacted); - reads stdin')
    .option('--from-alert [alert]', 'link a firing alert (name or fingerprint; chosen on a terminal) to the incident')
    .option(...alertmanagerOption('Alertmanager for --from-alert'))
    .addHelpText(
      'after',
      `
Examples:
  inc note "error rate 18% on checkout since 13:58, eu-west only"
  inc note --decision "fail over to eu-central if the rollback does not help by 14:30"
  inc note "TODO: alert on checkout 5xx above 2%" --owner bob --due friday --type prevent --priority P1
  kubectl -n payments logs deploy/api --since 10m | inc note "api logs at the spike" --attach -
  inc note --from-alert HighLatency            # a later alert belongs to this incident too`,
    )
    .action(async (words: string[], flags: NoteFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      const { openForCommand } = await import('../../incident/open-for-command.js');
      const { addNote } = await import('../../incident/annotate.js');
      const { log, ctx: write } = await openForCommand({
        env: env.env,
        clock: env.clock,
        incident: env.globals.incident,
        what: 'inc note',
        write: true,
      });
      if (flags.fromAlert !== undefined) {
        const { chooseAlert } = await import('./choose-alert.js');
        const { alert } = await chooseAlert(env, flags.fromAlert, flags.alertmanager);
        const { linkAlert } = await import('../../incident/link-alert.js');
        const linked = await linkAlert(log, write, alert);
        const { printOutcome } = await import('./incident-output.js');
        printOutcome(env, log.id, linked);
        if (words.length === 0) return;
      }
      const due = flags.due ? (await import('../../time-input.js')).parseDueInput(flags.due, env.clock) : undefined;
      const { readAttachment } = await import('./read-attachment.js');
      const attachment = flags.attach ? await readAttachment(flags.attach, env) : undefined;
      const outcome = await addNote(log, write, {
        text: words.join(' '),
        action: flags.action,
        decision: flags.decision,
        owner: flags.owner,
        due,
        itemType: flags.type,
        priority: flags.priority,
        attachment,
      });
      const { printLogWarnings, printOutcome } = await import('./incident-output.js');
      printLogWarnings(env, log.warnings);
      printOutcome(env, log.id, outcome);
    });
};

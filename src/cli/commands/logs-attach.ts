import type { CommandEnv } from '../context.js';

/** Log evidence kept with an incident at most: enough for the postmortem, never a whole day of logs. */
export const ATTACH_MAX_BYTES = 1024 * 1024;

export interface LogAttachment {
  /** Keeps a printed line (plain text) for the evidence, up to the cap. */
  add(line: string): void;
  /** Saves the lines (redacted) under the incident's evidence/ and links them from a note. */
  save(description: string): Promise<void>;
}

/**
 * `inc logs --attach`: opens the current incident first (no incident, nothing is read), collects
 * the lines shown, then records them as one evidence file with a note that names what they are.
 */
export async function openLogAttachment(env: CommandEnv, target: string): Promise<LogAttachment> {
  const { openForCommand } = await import('../../incident/open-for-command.js');
  const { log, ctx: write } = await openForCommand({
    env: env.env,
    clock: env.clock,
    incident: env.globals.incident,
    what: 'inc logs --attach',
    write: true,
  });
  const kept: string[] = [];
  let bytes = 0;
  let total = 0;
  return {
    add(line) {
      total += 1;
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size > ATTACH_MAX_BYTES) return;
      bytes += size;
      kept.push(line);
    },
    async save(description) {
      const capped = kept.length < total ? `; capped at 1 MiB: the first ${kept.length} of ${total} lines kept` : '';
      const { addNote } = await import('../../incident/annotate.js');
      const outcome = await addNote(log, write, {
        text: `${description}: ${total} line${total === 1 ? '' : 's'}${capped}`,
        attachment: { name: `logs-${target.replace(/[^A-Za-z0-9._-]+/g, '-')}.txt`, content: `${kept.join('\n')}\n` },
      });
      const { printOutcome } = await import('./incident-output.js');
      printOutcome(env, log.id, outcome);
    },
  };
}

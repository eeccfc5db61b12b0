import { redactText } from '../../incident/redact.js';
import type { Attachment, Check } from './check.js';

const ERROR_LINE = /\b(error|exception|fatal|panic|fail(ed|ure)?)\b/i;
const SHOWN_LINES = 3;
const LINE_WIDTH = 200;

/** The last lines of crash-looping containers' previous logs, attached to their findings. */
export const logsCheck: Check = {
  name: 'logs',
  needs: ['pods'],
  requires: ['pods'],
  late: true,
  run(context) {
    const attachments: Attachment[] = [];
    for (const log of context.snapshot.logs) {
      // A serving pod's log goes to the HighErrorRate finding it was read for, after the checks.
      if (!log.podUid || log.serving) continue;
      // Redacted before lines are cut to width: a token cut in two is no longer recognisable as one.
      const lines = redactText(log.text)
        .split('\n')
        .map((line) => line.trimEnd())
        .filter(Boolean);
      const errors = lines.filter((line) => ERROR_LINE.test(line)).length;
      const tail = lines
        .slice(-SHOWN_LINES)
        .map((line) => (line.length > LINE_WIDTH ? `${line.slice(0, LINE_WIDTH)}…` : line));
      attachments.push({
        uid: log.podUid,
        line: `${log.final ? 'last' : 'previous'} log of ${log.pod}/${log.container} (${errors} error line${errors === 1 ? '' : 's'} in the last ${lines.length}): ${tail.join(' ⏎ ') || '(empty)'}`,
      });
    }
    return { findings: [], attachments };
  },
};

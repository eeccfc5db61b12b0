import type { AlertData } from './event.js';
import { type IncidentLog, type RecordOutcome, recordToLog, stateOf, type WriteContext } from './log.js';

/**
 * Links an alert to the incident (`inc note --from-alert`): recorded with its labels, annotations,
 * fingerprint and generator URL. The same firing of the same alert is linked once.
 */
export async function linkAlert(
  log: IncidentLog,
  ctx: WriteContext,
  alert: AlertData,
): Promise<RecordOutcome<'alert'>> {
  const state = stateOf(log, ctx);
  const linked = state.alerts.find(
    (entry) => entry.fingerprint === alert.fingerprint && Date.parse(entry.startsAt) === Date.parse(alert.startsAt),
  );
  if (linked) return { kind: 'unchanged', reason: `alert ${alert.name} is already linked (${linked.at})`, state };
  return recordToLog(log, ctx, 'alert', alert);
}

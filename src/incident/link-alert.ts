import type { AlertData } from './event.js';
import { type IncidentLog, type RecordOutcome, recordChange, type WriteContext } from './log.js';

/**
 * Links an alert to the incident (`inc note --from-alert`): recorded with its labels, annotations,
 * fingerprint and generator URL. The same firing of the same alert is linked once.
 */
export function linkAlert(log: IncidentLog, ctx: WriteContext, alert: AlertData): Promise<RecordOutcome<'alert'>> {
  return recordChange(log, ctx, 'alert', (state) => {
    const linked = state.alerts.find(
      (entry) => entry.fingerprint === alert.fingerprint && Date.parse(entry.startsAt) === Date.parse(alert.startsAt),
    );
    return linked ? { unchanged: `alert ${alert.name} is already linked (${linked.at})` } : { record: alert };
  });
}

import { alertFindings } from '../alerts/alert-findings.js';
import type { Check } from './check.js';

/**
 * What Alertmanager says is firing (neither silenced nor inhibited), grouped by alert name and
 * namespace and linked to workloads through the alerts' labels; the alerts are fetched beside the snapshot.
 */
export const alertsCheck: Check = {
  name: 'alerts',
  needs: ['pods', 'services'],
  run(context) {
    return { findings: context.alerts ? alertFindings(context.alerts, context) : [] };
  },
};

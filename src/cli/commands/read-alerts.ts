import { IncError, UsageError } from '../../errors.js';
import type { Alert, AlertSource } from '../../triage/alerts/alert.js';
import type { AlertmanagerSettings } from '../../triage/alerts/alerts-settings.js';
import type { CommandEnv } from '../context.js';
import { openCluster } from '../open-cluster.js';
import { alertmanagerSettingsFor } from './alertmanager-settings.js';

export interface AlertsRead {
  alerts: Alert[];
  source: AlertSource;
  settings: AlertmanagerSettings;
}

/**
 * The alerts of the Alertmanager given (--alertmanager, INC_ALERTMANAGER_URL, the config), else of
 * one found in the cluster; the cluster is only opened when no URL is given. Firing alerts only,
 * unless `all`. No Alertmanager is a usage error (exit 2), one that fails an error (exit 1); both say
 * what to do.
 */
export async function readAlertsFor(env: CommandEnv, flag: string | undefined, all = false): Promise<AlertsRead> {
  const settings = await alertmanagerSettingsFor(env, flag);
  const { readAlerts } = await import('../../triage/adapters/alerts-source.js');
  const kube = settings.url ? undefined : await openCluster(env);
  try {
    const outcome = await readAlerts({ settings, kube, clock: env.clock, signal: env.signal }, all);
    // Nothing to talk to is a setting to add, as a missing sync remote or kubeconfig is: exit 2.
    if (outcome.kind === 'unavailable')
      throw new UsageError(outcome.reason, {
        code: 'NO_ALERTMANAGER',
        hint: 'give one with --alertmanager http://alertmanager.monitoring:9093 (or INC_ALERTMANAGER_URL)',
      });
    if (outcome.kind === 'failed')
      throw new IncError(`cannot read alerts: ${outcome.error}`, {
        code: 'ALERTMANAGER_FAILED',
        hint: 'check that Alertmanager is up and reachable, or give another with --alertmanager',
      });
    return { alerts: outcome.alerts, source: outcome.source, settings };
  } finally {
    kube?.close();
  }
}

import { IncError, UsageError } from '../../errors.js';
import type { KubeAccess } from '../../kube/access.js';
import type { SilenceApi } from '../../playbooks/ports.js';
import type { CommandEnv } from '../context.js';
import { alertmanagerSettingsFor } from './alertmanager-settings.js';

/**
 * The Alertmanager a playbook's silences go to: INC_ALERTMANAGER_URL or the config's URL, else one
 * found in the cluster. Its failures become errors that say which Alertmanager failed.
 */
export async function openSilenceApi(env: CommandEnv, kube: () => Promise<KubeAccess>): Promise<SilenceApi> {
  const settings = await alertmanagerSettingsFor(env, undefined);
  const { connectAlertmanager, NO_ALERTMANAGER } = await import('../../triage/adapters/alerts-source.js');
  const connected = await connectAlertmanager(settings, settings.url ? undefined : await kube(), env.signal);
  if (!connected)
    throw new UsageError(NO_ALERTMANAGER, {
      code: 'NO_ALERTMANAGER',
      hint: 'set INC_ALERTMANAGER_URL=http://alertmanager.monitoring:9093 (or alertmanager.url in the config)',
    });
  const { api } = connected;
  const failing =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof IncError) throw error;
        throw new IncError(error instanceof Error ? error.message : String(error), {
          code: 'ALERTMANAGER_FAILED',
          hint: 'check that Alertmanager is up and reachable (INC_ALERTMANAGER_URL)',
        });
      }
    };
  return {
    name: api.name,
    ...(settings.createdBy ? { createdBy: settings.createdBy } : {}),
    alerts: failing((options) => api.alerts(options)),
    createSilence: failing((silence) => api.createSilence(silence)),
    silence: failing((id) => api.silence(id)),
    expireSilence: failing((id) => api.expireSilence(id)),
  };
}

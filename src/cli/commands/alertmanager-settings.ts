import type { AlertmanagerSettings } from '../../triage/alerts/alerts-settings.js';
import type { CommandEnv } from '../context.js';

/**
 * The Alertmanager settings of a command: --alertmanager, INC_ALERTMANAGER_URL, then the config
 * file. With `lenient` (triage, during an incident) a broken config file falls back to the defaults;
 * bad flags never do.
 */
export async function alertmanagerSettingsFor(
  env: CommandEnv,
  flag: string | undefined,
  options: { lenient?: boolean } = {},
): Promise<AlertmanagerSettings> {
  const { resolveAlertmanagerSettings } = await import('../../triage/alerts/alerts-settings.js');
  const { loadConfig } = await import('../../config.js');
  let config: Parameters<typeof resolveAlertmanagerSettings>[2];
  try {
    config = loadConfig(env.env).alertmanager;
  } catch (error) {
    if (!options.lenient) throw error;
    config = undefined;
  }
  return resolveAlertmanagerSettings(flag, env.env, config);
}

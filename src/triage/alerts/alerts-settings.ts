import { parseDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_ALERT_SEVERITIES } from './alert.js';
import type { AlertmanagerConfig } from './alerts-config.js';

/** Where inc reads alerts and creates silences, resolved from flags, environment and config. */
export interface AlertmanagerSettings {
  url?: string;
  token?: string;
  timeoutMs: number;
  createdBy?: string;
  severities: Record<string, string>;
}

export const DEFAULT_ALERTMANAGER_TIMEOUT = '5s';

/**
 * `--alertmanager` first, then `INC_ALERTMANAGER_URL`, then the config's `alertmanager.url`; none:
 * discovery in the cluster. A token variable the config names but that is empty is an error.
 */
export function resolveAlertmanagerSettings(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  config: AlertmanagerConfig | undefined,
): AlertmanagerSettings {
  const url = flag ?? (env.INC_ALERTMANAGER_URL || undefined) ?? config?.url;
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url))
    throw new UsageError(`invalid Alertmanager URL "${url}"`, {
      hint: 'give an http:// or https:// URL, e.g. --alertmanager http://alertmanager.monitoring:9093',
    });
  const tokenEnv = config?.tokenEnv;
  const token = tokenEnv ? env[tokenEnv] : undefined;
  if (tokenEnv && url && !token)
    throw new UsageError(`alertmanager.tokenEnv names ${tokenEnv}, which is not set`, {
      hint: `export ${tokenEnv}=… (the bearer token for Alertmanager), or remove tokenEnv from the config`,
    });
  return {
    ...(url ? { url } : {}),
    ...(token ? { token } : {}),
    timeoutMs: parseDuration(config?.timeout ?? DEFAULT_ALERTMANAGER_TIMEOUT, 'alertmanager.timeout'),
    ...(config?.createdBy ? { createdBy: config.createdBy } : {}),
    severities: { ...DEFAULT_ALERT_SEVERITIES, ...config?.severities },
  };
}

import type { SignalsFlags, SignalsSettings } from '../../triage/signals/signals-settings.js';
import type { CommandEnv } from '../context.js';

/**
 * The signals settings of a triage run: flags, INC_PROMETHEUS_URL, then the config file. A broken
 * config file falls back to the defaults (triage must run during an incident); bad flags do not.
 */
export async function signalsSettingsFor(env: CommandEnv, flags: SignalsFlags): Promise<SignalsSettings> {
  const { resolveSignalsSettings } = await import('../../triage/signals/signals-settings.js');
  const { resolveSignalsConfig } = await import('../../triage/signals/signals-config.js');
  let config: {
    prometheus: { url?: string; tokenEnv?: string; timeout?: string };
    signals: ReturnType<typeof resolveSignalsConfig>;
  };
  try {
    const { loadConfig } = await import('../../config.js');
    config = loadConfig(env.env);
  } catch {
    // configuredHealthUrls has already said the config is not used.
    config = { prometheus: {}, signals: resolveSignalsConfig(undefined) };
  }
  return resolveSignalsSettings(flags, env.env, config);
}

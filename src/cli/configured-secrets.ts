import { registerSecretValues, secretValuesFromEnv } from '../incident/redact.js';

/**
 * Adds the values of the environment variables the config names under `redactEnv`, and those holding
 * the bearer tokens of Prometheus and Alertmanager (`tokenEnv`: whatever their names say), to what
 * every exit redacts: a proxy that answers `invalid token …` echoes the token whole. A config that
 * cannot be read is left to the commands that use it to report: this runs before every command,
 * and `inc sim` or `inc note` must not fail on it here.
 */
export async function registerConfiguredSecrets(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const { loadConfig } = await import('../config.js');
  let names: readonly string[];
  try {
    const config = loadConfig(env);
    names = [config.prometheus.tokenEnv, config.alertmanager.tokenEnv, ...config.redactEnv].filter(
      (name): name is string => Boolean(name),
    );
  } catch {
    return;
  }
  if (names.length > 0) registerSecretValues(secretValuesFromEnv(env, names));
}

import { parseDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';
import type { PrometheusConfig, SignalsConfig } from './signals-config.js';

/** Everything the signals source needs, resolved from flags, environment and config. */
export interface SignalsSettings {
  prometheusUrl?: string;
  token?: string;
  timeoutMs: number;
  windowMs: number;
  sampleMs: number;
  /** Data needed after a mitigation before verification judges it. */
  settleMs: number;
  config: SignalsConfig;
}

export const DEFAULT_WINDOW = '5m';
export const DEFAULT_SAMPLE = '10s';
export const DEFAULT_SETTLE = '30s';
export const DEFAULT_PROMETHEUS_TIMEOUT = '5s';

export interface SignalsFlags {
  prometheus?: string;
  window?: string;
  sample?: string;
}

/**
 * Flags first, then the environment (`INC_PROMETHEUS_URL`), then the config file. The token is
 * read from the variable `prometheus.tokenEnv` names; a named but empty variable is an error, so a
 * missing secret does not pass for an anonymous Prometheus.
 */
export function resolveSignalsSettings(
  flags: SignalsFlags,
  env: Readonly<Record<string, string | undefined>>,
  config: { prometheus: PrometheusConfig; signals: SignalsConfig },
): SignalsSettings {
  const prometheusUrl = flags.prometheus ?? (env.INC_PROMETHEUS_URL || undefined) ?? config.prometheus.url;
  if (prometheusUrl !== undefined && !/^https?:\/\/[^/]/.test(prometheusUrl))
    throw new UsageError(`invalid Prometheus URL "${prometheusUrl}"`, {
      hint: 'give an http:// or https:// URL, e.g. --prometheus http://prometheus.monitoring:9090',
    });
  const tokenEnv = config.prometheus.tokenEnv;
  const token = tokenEnv ? env[tokenEnv] : undefined;
  if (tokenEnv && prometheusUrl && !token)
    throw new UsageError(`prometheus.tokenEnv names ${tokenEnv}, which is not set`, {
      hint: `export ${tokenEnv}=… (the bearer token for Prometheus), or remove tokenEnv from the config`,
    });
  const windowMs = parseDuration(flags.window ?? config.signals.window ?? DEFAULT_WINDOW, '--window');
  const sampleMs = parseDuration(flags.sample ?? config.signals.sample ?? DEFAULT_SAMPLE, '--sample');
  if (windowMs < 10_000) throw new UsageError('--window must be at least 10s', { hint: 'e.g. --window 5m' });
  if (sampleMs < 1000 || sampleMs > 120_000)
    throw new UsageError('--sample must be between 1s and 2m', { hint: 'e.g. --sample 10s' });
  return {
    ...(prometheusUrl ? { prometheusUrl } : {}),
    ...(token ? { token } : {}),
    timeoutMs: parseDuration(config.prometheus.timeout ?? DEFAULT_PROMETHEUS_TIMEOUT, 'prometheus.timeout'),
    windowMs,
    sampleMs,
    settleMs: parseDuration(config.signals.settle ?? DEFAULT_SETTLE, 'signals.settle'),
    config: config.signals,
  };
}

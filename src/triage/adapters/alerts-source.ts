import type { Clock } from '../../clock.js';
import type { KubeAccess } from '../../kube/access.js';
import { ClusterUnreachableError } from '../../kube/errors.js';
import { redactUrl } from '../../redact-url.js';
import type { Alert, AlertSource, AlertsOutcome } from '../alerts/alert.js';
import type { AlertmanagerSettings } from '../alerts/alerts-settings.js';
import { AlertmanagerApi, directAlertmanagerTransport, proxiedAlertmanagerTransport } from './alertmanager-api.js';
import { discoverAlertmanager } from './alertmanager-discovery.js';
import type { GettableAlert } from './alertmanager-types.js';
import { withDeadline } from './with-deadline.js';

export interface ConnectedAlertmanager {
  api: AlertmanagerApi;
  source: AlertSource;
}

export const NO_ALERTMANAGER =
  'no Alertmanager given (--alertmanager, INC_ALERTMANAGER_URL or alertmanager.url in the config) and none found in the cluster';

/**
 * The Alertmanager to talk to: the URL given, else a Service found in the cluster and reached
 * through the API server's service proxy; undefined when there is neither.
 */
export async function connectAlertmanager(
  settings: AlertmanagerSettings,
  kube: KubeAccess | undefined,
  signal: AbortSignal,
): Promise<ConnectedAlertmanager | undefined> {
  if (settings.url) {
    const name = redactUrl(settings.url);
    const transport = directAlertmanagerTransport(settings.url, {
      token: settings.token,
      timeoutMs: settings.timeoutMs,
      signal,
    });
    return { api: new AlertmanagerApi(transport, `Alertmanager ${name}`), source: { kind: 'url', name } };
  }
  if (!kube) return undefined;
  const found = await discoverAlertmanager(kube, { timeoutMs: settings.timeoutMs });
  if (!found) return undefined;
  const name = `${found.namespace}/${found.name}:${found.port}`;
  const transport = proxiedAlertmanagerTransport(kube, found, settings.timeoutMs);
  return { api: new AlertmanagerApi(transport, `Alertmanager ${name}`), source: { kind: 'discovered', name } };
}

/** Reads the alerts (firing ones; silenced and inhibited too with `all`), bounded by the clock. */
export async function readAlerts(
  options: { settings: AlertmanagerSettings; kube: KubeAccess | undefined; clock: Clock; signal: AbortSignal },
  all = false,
): Promise<AlertsOutcome> {
  const work = async (): Promise<AlertsOutcome> => {
    const connected = await connectAlertmanager(options.settings, options.kube, options.signal);
    if (!connected) return { kind: 'unavailable', reason: NO_ALERTMANAGER };
    const alerts = await connected.api.alerts({ silenced: all, inhibited: all });
    return { kind: 'data', alerts: alerts.map(toAlert).sort(byStart), source: connected.source };
  };
  try {
    // Discovery, then one request: each bounded by the timeout.
    return await withDeadline(work(), 3 * options.settings.timeoutMs, options.clock, options.signal);
  } catch (error) {
    // A cluster out of reach is its own failure (exit 4), whatever Alertmanager would have said.
    if (options.signal.aborted || error instanceof ClusterUnreachableError) throw error;
    return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

function toAlert(alert: GettableAlert): Alert {
  return {
    name: alert.labels?.alertname ?? '(no alertname)',
    fingerprint: alert.fingerprint,
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    startsAt: alert.startsAt,
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    state: alert.status?.state ?? 'active',
    silencedBy: alert.status?.silencedBy ?? [],
    inhibitedBy: alert.status?.inhibitedBy ?? [],
  };
}

function byStart(a: Alert, b: Alert): number {
  return a.startsAt.localeCompare(b.startsAt) || a.name.localeCompare(b.name);
}

import type { KubeAccess } from '../../kube/access.js';
import { type DiscoveredService, discoverService, type ServiceSpec } from './service-discovery.js';

const ALERTMANAGER: ServiceSpec = {
  names: [
    'alertmanager-operated',
    'kube-prometheus-stack-alertmanager',
    'prometheus-kube-prometheus-alertmanager',
    'alertmanager-main',
    'prometheus-alertmanager',
    'alertmanager',
  ],
  label: 'app.kubernetes.io/name=alertmanager',
  portNames: ['web', 'http-web', 'http', 'alertmanager'],
  defaultPort: 9093,
};

/** A Service that looks like Alertmanager, in any namespace (see discoverService). */
export function discoverAlertmanager(
  kube: KubeAccess,
  options: { timeoutMs: number },
): Promise<DiscoveredService | undefined> {
  return discoverService(kube, ALERTMANAGER, options);
}

import type { KubeAccess } from '../../kube/access.js';
import { type DiscoveredService, discoverService, type ServiceSpec } from './service-discovery.js';

const PROMETHEUS: ServiceSpec = {
  names: [
    'prometheus-operated',
    'kube-prometheus-stack-prometheus',
    'prometheus-kube-prometheus-prometheus',
    'prometheus-k8s',
    'prometheus-server',
    'prometheus',
  ],
  label: 'app.kubernetes.io/name=prometheus',
  portNames: ['web', 'http-web', 'http', 'prometheus'],
  defaultPort: 9090,
};

export type DiscoveredPrometheus = DiscoveredService;

/** A Service that looks like Prometheus, in any namespace (see discoverService). */
export function discoverPrometheus(
  kube: KubeAccess,
  options: { timeoutMs: number },
): Promise<DiscoveredPrometheus | undefined> {
  return discoverService(kube, PROMETHEUS, options);
}

import type { KubeAccess } from '../../kube/access.js';
import { ClusterUnreachableError } from '../../kube/errors.js';
import type { Service } from '../k8s.js';

/** How a kind of monitoring server is recognised among a cluster's Services. */
export interface ServiceSpec {
  /** Names the usual installs give the Service, most specific first. */
  names: readonly string[];
  /** The well-known label selector, e.g. app.kubernetes.io/name=prometheus. */
  label: string;
  /** Port names to prefer, then `defaultPort` by number, then the first port. */
  portNames: readonly string[];
  defaultPort: number;
}

export interface DiscoveredService {
  namespace: string;
  name: string;
  /** The port's name, else its number, as the service proxy takes it. */
  port: string;
}

/**
 * Looks for a Service matching `spec`, in every namespace: by the label and by the names the common
 * charts and operators use (one small list each, in parallel). A list the kubeconfig may not do
 * counts as nothing found; a cluster that could not be reached at all is said, not taken for one
 * without the Service.
 */
export async function discoverService(
  kube: KubeAccess,
  spec: ServiceSpec,
  options: { timeoutMs: number },
): Promise<DiscoveredService | undefined> {
  const lists = [
    kube.list<Service>('/api/v1/services', { labelSelector: spec.label, timeoutMs: options.timeoutMs }),
    ...spec.names.map((name) =>
      kube.list<Service>('/api/v1/services', { fieldSelector: `metadata.name=${name}`, timeoutMs: options.timeoutMs }),
    ),
  ];
  const settled = await Promise.allSettled(lists);
  const unreachable = settled.map((result) => (result.status === 'rejected' ? result.reason : undefined));
  if (unreachable.every((reason) => reason instanceof ClusterUnreachableError)) throw unreachable[0];
  const found = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value.items : []));
  const rank = (service: Service) => {
    const index = spec.names.indexOf(service.metadata.name);
    return index < 0 ? spec.names.length : index;
  };
  const ranked = found
    .filter((service) => service.spec?.type !== 'ExternalName' && (service.spec?.ports?.length ?? 0) > 0)
    .sort((a, b) => rank(a) - rank(b) || key(a).localeCompare(key(b)));
  const best = ranked[0];
  if (!best) return undefined;
  return { namespace: best.metadata.namespace ?? 'default', name: best.metadata.name, port: portOf(best, spec) };
}

function key(service: Service): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}

function portOf(service: Service, spec: ServiceSpec): string {
  const ports = service.spec?.ports ?? [];
  const named = ports.find((port) => port.name && spec.portNames.includes(port.name));
  const chosen = named ?? ports.find((port) => port.port === spec.defaultPort) ?? ports[0];
  return chosen?.name || String(chosen?.port ?? spec.defaultPort);
}

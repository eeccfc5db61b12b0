import type { KubeAccess } from '../../kube/access.js';
import type { Service } from '../k8s.js';

/** Names the usual installs give the Prometheus Service, most specific first. */
const KNOWN_NAMES = [
  'prometheus-operated',
  'kube-prometheus-stack-prometheus',
  'prometheus-kube-prometheus-prometheus',
  'prometheus-k8s',
  'prometheus-server',
  'prometheus',
] as const;
const LABEL = 'app.kubernetes.io/name=prometheus';
const PORT_NAMES = ['web', 'http-web', 'http', 'prometheus'];

export interface DiscoveredPrometheus {
  namespace: string;
  name: string;
  /** The port's name, else its number, as the service proxy takes it. */
  port: string;
}

/**
 * Looks for a Service that looks like Prometheus, in every namespace: by the well-known label and
 * by the names the common charts and operators use (one small list each, in parallel). A list the
 * kubeconfig may not do counts as nothing found.
 */
export async function discoverPrometheus(
  kube: KubeAccess,
  options: { timeoutMs: number },
): Promise<DiscoveredPrometheus | undefined> {
  const lists = [
    kube.list<Service>('/api/v1/services', { labelSelector: LABEL, timeoutMs: options.timeoutMs }),
    ...KNOWN_NAMES.map((name) =>
      kube.list<Service>('/api/v1/services', { fieldSelector: `metadata.name=${name}`, timeoutMs: options.timeoutMs }),
    ),
  ];
  const found = (await Promise.allSettled(lists)).flatMap((result) =>
    result.status === 'fulfilled' ? result.value.items : [],
  );
  const ranked = found
    .filter((service) => service.spec?.type !== 'ExternalName' && (service.spec?.ports?.length ?? 0) > 0)
    .sort((a, b) => rank(a) - rank(b) || key(a).localeCompare(key(b)));
  const best = ranked[0];
  if (!best) return undefined;
  return { namespace: best.metadata.namespace ?? 'default', name: best.metadata.name, port: portOf(best) };
}

function rank(service: Service): number {
  const index = KNOWN_NAMES.indexOf(service.metadata.name as (typeof KNOWN_NAMES)[number]);
  return index < 0 ? KNOWN_NAMES.length : index;
}

function key(service: Service): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}

function portOf(service: Service): string {
  const ports = service.spec?.ports ?? [];
  const named = ports.find((port) => port.name && PORT_NAMES.includes(port.name));
  const chosen = named ?? ports.find((port) => port.port === 9090) ?? ports[0];
  return chosen?.name || String(chosen?.port ?? 9090);
}

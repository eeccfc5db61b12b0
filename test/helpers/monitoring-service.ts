import { stringify } from 'yaml';

/**
 * A Service and its Endpoints, as a monitoring install names them, pointing at a server on
 * 127.0.0.1:`port` (the simulator's service proxy forwards to loopback endpoints).
 */
export function monitoringServiceManifest(options: {
  name: string;
  /** app.kubernetes.io/name */
  app: string;
  servicePort: number;
  port: number;
  namespace?: string;
}): string {
  const metadata = {
    name: options.name,
    namespace: options.namespace ?? 'monitoring',
    labels: { 'app.kubernetes.io/name': options.app },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { ports: [{ name: 'web', port: options.servicePort, targetPort: 'web' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata,
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'web', port: options.port }] }],
    },
  ]
    .map((item) => stringify(item))
    .join('---\n');
}

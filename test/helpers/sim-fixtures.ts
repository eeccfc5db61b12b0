import type { SimObject } from '../../src/sim/cluster-state.js';

/** Small manifests for controller tests. */
export function node(name: string, cpu = '4', memory = '16Gi'): SimObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: { cpu, memory, pods: '110' }, allocatable: { cpu, memory, pods: '110' } },
  };
}

export interface DeploymentFixture {
  namespace?: string;
  name?: string;
  replicas?: number;
  image?: string;
  behavior?: string;
  cpu?: string;
  memory?: string;
  annotations?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

export function deployment(options: DeploymentFixture = {}): SimObject {
  const name = options.name ?? 'api';
  const templateAnnotations: Record<string, string> = {};
  if (options.behavior) templateAnnotations['sim.inc.dev/behavior'] = options.behavior;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: options.namespace ?? 'payments',
      labels: { app: name },
      annotations: options.annotations,
    },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      progressDeadlineSeconds: options.progressDeadlineSeconds,
      template: {
        metadata: { labels: { app: name }, annotations: templateAnnotations },
        spec: {
          containers: [
            {
              name,
              image: options.image ?? `${name}:2.3.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: options.cpu ?? '100m', memory: options.memory ?? '128Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** An autoscaling/v2 HorizontalPodAutoscaler of a Deployment, on 80% CPU (the API server's default metric). */
export function autoscaler(namespace: string, name: string, minReplicas: number, maxReplicas: number): SimObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas, maxReplicas },
  };
}

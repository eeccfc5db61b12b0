import { type Column, created, type Dict, name } from './table-columns.js';

/** `cpu: 45%/80%` per metric, as the API server's formatHPAMetrics prints Utilization targets. */
function formatMetrics(hpa: Dict): string {
  const specs: Dict[] = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const currents: Dict[] = hpa.status?.currentMetrics ?? [];
  return specs
    .map((metric) => {
      const resource = metric.resource ?? {};
      if (metric.type !== 'Resource' || resource.target?.type !== 'Utilization') return `<unknown>/${metric.type}`;
      const current = currents.find((c) => c.type === 'Resource' && c.resource?.name === resource.name);
      const value = current?.resource?.current?.averageUtilization;
      return `${resource.name}: ${value === undefined ? '<unknown>' : `${value}%`}/${resource.target.averageUtilization}%`;
    })
    .join(', ');
}

/** The columns of `kubectl get hpa` and `kubectl get pdb`. */
export const AUTOSCALING_PRINTERS: Record<string, Column[]> = {
  HorizontalPodAutoscaler: [
    name,
    {
      name: 'Reference',
      type: 'string',
      cell: (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
    },
    { name: 'Targets', type: 'string', cell: formatMetrics },
    {
      name: 'MinPods',
      type: 'string',
      cell: (o) => (o.spec?.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas)),
    },
    { name: 'MaxPods', type: 'integer', cell: (o) => o.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'integer', cell: (o) => o.status?.currentReplicas ?? 0 },
    created,
  ],
  PodDisruptionBudget: [
    name,
    {
      name: 'Min Available',
      type: 'string',
      cell: (o) => (o.spec?.minAvailable === undefined ? 'N/A' : String(o.spec.minAvailable)),
    },
    {
      name: 'Max Unavailable',
      type: 'string',
      cell: (o) => (o.spec?.maxUnavailable === undefined ? 'N/A' : String(o.spec.maxUnavailable)),
    },
    { name: 'Allowed Disruptions', type: 'integer', cell: (o) => o.status?.disruptionsAllowed ?? 0 },
    created,
  ],
};

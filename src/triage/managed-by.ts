import type { Application, Workload } from './k8s.js';

/** The Argo CD Application that manages a workload: its resource list, tracking id, or instance label. */
export function argoApplicationOf(workload: Workload, applications: readonly Application[]): Application | undefined {
  const { namespace, name, annotations, labels } = workload.metadata;
  const tracking = annotations?.['argocd.argoproj.io/tracking-id'];
  return (
    applications.find((app) =>
      (app.status?.resources ?? []).some(
        (r) => r.kind === (workload.kind ?? 'Deployment') && r.namespace === namespace && r.name === name,
      ),
    ) ??
    applications.find((app) => tracking?.startsWith(`${app.metadata.name}:`)) ??
    applications.find(
      (app) =>
        labels?.['app.kubernetes.io/instance'] === app.metadata.name &&
        (app.spec?.destination?.namespace ?? namespace) === namespace,
    )
  );
}

/** Auto-sync is on when `automated` is present and not explicitly disabled (Argo CD ≥ 3.1). */
export function autoSyncEnabled(app: Application): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

/**
 * The Helm release a workload belongs to: helm's release annotations, else the chart's labels. A chart
 * an Argo CD Application renders (`helm template`) carries the labels with no release behind them:
 * then only helm's annotations count.
 */
export function helmReleaseOf(
  workload: Workload,
  argoApplication?: Application,
): { name: string; namespace: string } | undefined {
  const { annotations, labels, namespace } = workload.metadata;
  const name = annotations?.['meta.helm.sh/release-name'];
  if (!name && (argoApplication || labels?.['app.kubernetes.io/managed-by'] !== 'Helm')) return undefined;
  const release = name ?? labels?.['app.kubernetes.io/instance'];
  if (!release) return undefined;
  return { name: release, namespace: annotations?.['meta.helm.sh/release-namespace'] ?? namespace ?? 'default' };
}

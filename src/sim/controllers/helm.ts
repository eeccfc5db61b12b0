/**
 * Helm 3 releases as helm itself stores them (HELM_DRIVER=secret): one Secret per revision,
 * `sh.helm.release.v1.<release>.v<N>`, type `helm.sh/release.v1`, labels owner=helm, name, status,
 * version, and `data.release` = base64(gzip(JSON release)), base64-encoded once more as all Secret
 * data is. A scenario installs and upgrades releases through `installHelmRevision`, which also
 * applies the manifests to the cluster like `helm upgrade` would, so the real `helm history` and
 * `helm rollback` work on the result.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { ClusterState, SimObject } from '../cluster-state.js';
import { clone, type Dict, deepEqual } from './util.js';

export interface HelmChart {
  name: string;
  version: string;
  appVersion?: string;
}

export interface HelmRevisionOptions {
  release: string;
  namespace: string;
  chart: HelmChart;
  manifests: SimObject[];
  values?: Dict;
  description?: string;
  /** The status this revision ends in (default deployed); failed revisions keep the previous one deployed. */
  status?: 'deployed' | 'failed';
}

/** Go's time.Time JSON: RFC 3339 with nanoseconds. */
function helmTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function releaseSecretName(release: string, version: number): string {
  return `sh.helm.release.v1.${release}.v${version}`;
}

export function encodeRelease(release: Dict): string {
  const payload = gzipSync(Buffer.from(JSON.stringify(release)), { level: 9 }).toString('base64');
  return Buffer.from(payload).toString('base64');
}

export function decodeRelease(data: string): Dict {
  const payload = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
  return JSON.parse(gunzipSync(payload).toString('utf8')) as Dict;
}

/** Renders manifests the way `helm template` prints them, one `# Source:` document each. */
function renderManifest(chart: HelmChart, manifests: SimObject[]): string {
  return manifests
    .map((m) => `---\n# Source: ${chart.name}/templates/${m.kind.toLowerCase()}.yaml\n${stringify(m)}`)
    .join('');
}

function withHelmLabels(manifest: SimObject, chart: HelmChart, release: string): SimObject {
  const copy = clone(manifest);
  copy.metadata.labels = {
    ...(copy.metadata.labels ?? {}),
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/instance': release,
    'helm.sh/chart': `${chart.name}-${chart.version}`,
  };
  return copy;
}

/** Creates or updates each object like a helm upgrade (the manifest's fields win). */
function applyToCluster(state: ClusterState, manifest: SimObject, release: string, namespace: string): void {
  const desired = clone(manifest);
  desired.metadata.namespace ??= namespace;
  desired.metadata.annotations = {
    ...(desired.metadata.annotations ?? {}),
    'meta.helm.sh/release-name': release,
    'meta.helm.sh/release-namespace': namespace,
  };
  const live = state.get(desired.kind, desired.metadata.namespace, desired.metadata.name);
  if (!live) {
    state.create(desired);
    return;
  }
  const next = clone(live);
  for (const [key, value] of Object.entries(desired)) {
    if (key !== 'metadata' && key !== 'status') next[key] = value;
  }
  next.metadata.labels = { ...(live.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) };
  next.metadata.annotations = { ...(live.metadata.annotations ?? {}), ...desired.metadata.annotations };
  if (!deepEqual(next, live)) state.update(next);
}

/** Writes the next revision of a release (install or upgrade), superseding the deployed one. */
export function installHelmRevision(state: ClusterState, options: HelmRevisionOptions): SimObject {
  const { release, namespace, chart } = options;
  const existing = state
    .list('Secret', namespace)
    .filter((s) => s.metadata.labels?.owner === 'helm' && s.metadata.labels?.name === release);
  const version = existing.reduce((top, s) => Math.max(top, Number(s.metadata.labels?.version ?? 0)), 0) + 1;
  const now = state.now();
  const first = existing.find((s) => s.metadata.labels?.version === '1');
  const firstInfo = first ? (decodeRelease(String((first.data as Dict).release)).info as Dict) : undefined;
  const firstDeployed = firstInfo ? String(firstInfo.first_deployed) : helmTime(now);
  const status = options.status ?? 'deployed';
  const manifests = options.manifests.map((m) => withHelmLabels(m, chart, release));
  if (status === 'deployed') {
    for (const secret of existing)
      if (secret.metadata.labels?.status === 'deployed') setStatus(state, secret, 'superseded', now);
  }
  for (const manifest of manifests) applyToCluster(state, manifest, release, namespace);
  const releaseJson: Dict = {
    name: release,
    info: {
      first_deployed: firstDeployed,
      last_deployed: helmTime(now),
      deleted: '',
      description: options.description ?? (version === 1 ? 'Install complete' : 'Upgrade complete'),
      status,
    },
    chart: {
      metadata: {
        name: chart.name,
        version: chart.version,
        description: `A Helm chart for ${chart.name}`,
        apiVersion: 'v2',
        appVersion: chart.appVersion ?? chart.version,
        type: 'application',
      },
      lock: null,
      templates: manifests.map((m) => ({
        name: `templates/${m.kind.toLowerCase()}.yaml`,
        data: Buffer.from(stringify(m)).toString('base64'),
      })),
      values: options.values ?? {},
      schema: null,
      files: null,
    },
    config: options.values ?? {},
    manifest: renderManifest(chart, manifests),
    version,
    namespace,
  };
  return state.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: releaseSecretName(release, version),
      namespace,
      labels: {
        name: release,
        owner: 'helm',
        status,
        version: String(version),
        createdAt: String(Math.floor(now.getTime() / 1000)),
      },
    },
    data: { release: encodeRelease(releaseJson) },
  });
}

function setStatus(state: ClusterState, secret: SimObject, status: string, now: Date): void {
  const release = decodeRelease(String((secret.data as Dict).release));
  (release.info as Dict).status = status;
  const next = clone(secret);
  next.metadata.labels = {
    ...(next.metadata.labels ?? {}),
    status,
    modifiedAt: String(Math.floor(now.getTime() / 1000)),
  };
  next.data = { release: encodeRelease(release) };
  state.update(next);
}

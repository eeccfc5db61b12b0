import { didYouMean } from '../../closest-match.js';
import { UsageError } from '../../errors.js';
import { isNotFound, type KubeAccess, type RawObject } from '../../kube/access.js';
import { listReleaseNames, namespacesOfRelease } from './helm-releases.js';

/** The namespaced objects a parameter can name (by its `choicesFrom`), and where the API serves them. */
const NAMESPACED: Record<string, { kind: string; api: string }> = {
  deployments: { kind: 'deployment', api: '/apis/apps/v1' },
  statefulsets: { kind: 'statefulset', api: '/apis/apps/v1' },
  daemonsets: { kind: 'daemonset', api: '/apis/apps/v1' },
  pods: { kind: 'pod', api: '/api/v1' },
  configmaps: { kind: 'configmap', api: '/api/v1' },
  applications: { kind: 'Argo CD Application', api: '/apis/argoproj.io/v1alpha1' },
};

/** How a run is pointed at the namespace that holds the target. */
const playbookRetry = (namespace: string) =>
  `pass -n ${namespace} (or --set namespace=${namespace}); nothing was changed`;

const names = (items: readonly RawObject[]) => items.map((item) => item.metadata.name);

/**
 * Checks, before the run banner and the first step, that the object a parameter names exists in
 * the namespace. When it does not but exists elsewhere, says "did you mean shop/web?" (a UsageError:
 * exit 2). A read that fails otherwise (forbidden) is left to the step, which names it precisely.
 */
export async function assertTargetExists(
  kube: KubeAccess,
  source: string,
  namespace: string | undefined,
  name: string,
  retry: (namespace: string) => string = playbookRetry,
): Promise<void> {
  if (source === 'nodes') return assertNodeExists(kube, name);
  if (!namespace) return;
  if (source === 'releases') return assertReleaseExists(kube, namespace, name);
  const target = NAMESPACED[source];
  if (!target) return;
  const inNamespace = `${target.api}/namespaces/${encodeURIComponent(namespace)}/${source}`;
  try {
    await kube.get(`${inNamespace}/${encodeURIComponent(name)}`);
    return;
  } catch (error) {
    if (!isNotFound(error)) return;
  }
  const what = `${target.kind} "${name}" not found in namespace ${namespace}`;
  const elsewhere = await kube
    .list<RawObject>(`${target.api}/${source}`, { fieldSelector: `metadata.name=${name}`, limit: 20 })
    .then(
      ({ items }) => items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`).sort(),
      () => [],
    );
  const here = await kube.list<RawObject>(inNamespace, { limit: 500 }).then(
    ({ items }) => names(items).sort(),
    () => [],
  );
  throw notFound({ what, source, namespace, name, elsewhere, here }, retry);
}

interface Missing {
  what: string;
  source: string;
  namespace: string;
  name: string;
  /** `namespace/name` of the objects of that name in other namespaces. */
  elsewhere: string[];
  /** The names that do exist in the namespace. */
  here: string[];
}

function notFound({ what, source, namespace, name, elsewhere, here }: Missing, retry: (namespace: string) => string) {
  if (elsewhere.length > 0) {
    const listed =
      elsewhere.length === 1 ? elsewhere[0] : `${elsewhere.slice(0, -1).join(', ')} or ${elsewhere.at(-1)}`;
    const first = (elsewhere[0] ?? '').split('/')[0] ?? '';
    return new UsageError(`${what}; did you mean ${listed}?`, {
      code: 'TARGET_NOT_FOUND',
      hint: retry(first),
    });
  }
  const close = didYouMean(name, here);
  return new UsageError(close ? `${what}; ${close}` : what, {
    code: 'TARGET_NOT_FOUND',
    hint:
      here.length > 0
        ? `${source} in ${namespace}: ${here.slice(0, 10).join(', ')}${here.length > 10 ? ', …' : ''}`
        : `there are no ${source} in namespace ${namespace} (is it the right namespace or context?)`,
  });
}

async function assertNodeExists(kube: KubeAccess, name: string): Promise<void> {
  try {
    await kube.get(`/api/v1/nodes/${encodeURIComponent(name)}`);
    return;
  } catch (error) {
    if (!isNotFound(error)) return;
  }
  const nodes = await kube.list<RawObject>('/api/v1/nodes', { limit: 500 }).then(
    ({ items }) => names(items).sort(),
    () => [],
  );
  const close = didYouMean(name, nodes);
  throw new UsageError(`node "${name}" not found${close ? `; ${close}` : ''}`, {
    code: 'TARGET_NOT_FOUND',
    hint: nodes.length > 0 ? `nodes: ${nodes.slice(0, 10).join(', ')}${nodes.length > 10 ? ', …' : ''}` : undefined,
  });
}

/**
 * A Helm release exists when its storage records do (Secrets, or ConfigMaps with that driver).
 * When they cannot be listed (a role without secrets/list), helm itself is left to say so.
 */
async function assertReleaseExists(kube: KubeAccess, namespace: string, name: string): Promise<void> {
  let here: string[];
  try {
    here = await listReleaseNames(kube, namespace);
  } catch {
    return;
  }
  if (here.includes(name)) return;
  const elsewhere = await namespacesOfRelease(kube, name).then(
    (namespaces) => namespaces.map((ns) => `${ns}/${name}`),
    () => [],
  );
  const what = `Helm release "${name}" not found in namespace ${namespace}`;
  throw notFound({ what, source: 'Helm releases', namespace, name, elsewhere, here }, playbookRetry);
}

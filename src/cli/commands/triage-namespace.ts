import { didYouMean } from '../../closest-match.js';
import { UsageError } from '../../errors.js';
import { isNotFound, type RawObject } from '../../kube/access.js';
import type { KubeClient } from '../../kube/index.js';

/**
 * The error for a namespace that does not exist, else undefined (also when that cannot be told, as
 * on a 403). A mistyped namespace lists nothing, and "no problems found" there is a false all-clear.
 */
export async function missingNamespace(kube: KubeClient, namespace: string): Promise<UsageError | undefined> {
  try {
    await kube.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}`);
    return undefined;
  } catch (error) {
    if (!isNotFound(error)) return undefined;
  }
  const names = await kube.list<RawObject>('/api/v1/namespaces', { limit: 500 }).then(
    ({ items }) => items.map((item) => item.metadata.name).sort(),
    () => [],
  );
  const close = didYouMean(namespace, names);
  const listed = `${names.slice(0, 15).join(', ')}${names.length > 15 ? ', …' : ''}`;
  return new UsageError(
    `namespace "${namespace}" does not exist in context ${kube.contextName}${close ? `; ${close}` : ''}`,
    {
      code: 'NAMESPACE_NOT_FOUND',
      hint: names.length > 0 ? `namespaces: ${listed} (or -A for all of them)` : 'is it the right context?',
    },
  );
}

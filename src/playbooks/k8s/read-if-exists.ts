import { isNotFound, type KubeAccess } from '../../kube/access.js';

/** The object at `path`, or undefined when the API server says there is none (404). */
export async function readIfExists<T>(kube: KubeAccess, path: string): Promise<T | undefined> {
  try {
    return await kube.get<T>(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * A CommonJS package loaded on demand. Bundled, a dynamic import of one puts its exports under
 * `default`; unbundled (tests), they are the module itself.
 */
export async function loadCommonJs<T>(loading: Promise<T>): Promise<T> {
  const loaded = await loading;
  return (loaded as { default?: T }).default ?? loaded;
}

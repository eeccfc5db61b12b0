/**
 * One copy of each repeated string (node names, times, namespaces across thousands of pods): decoded
 * JSON gives every occurrence its own. Anything that is not a string is passed through.
 */
export function createInterner(): <T>(value: T) => T {
  const strings = new Map<string, string>();
  return <T>(value: T): T => {
    if (typeof value !== 'string') return value;
    const known = strings.get(value);
    if (known !== undefined) return known as T;
    strings.set(value, value);
    return value;
  };
}

/** A metav1.LabelSelector: matchLabels and matchExpressions, ANDed. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector: matchLabels as k=v, expressions as in/notin/exists, joined by ",". */
export function selectorToString(selector: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`${key}=${value}`);
  }
  for (const expr of selector?.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    if (expr.operator === 'In') parts.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') parts.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') parts.push(expr.key);
    else if (expr.operator === 'DoesNotExist') parts.push(`!${expr.key}`);
  }
  return parts.join(',');
}

/**
 * Whether a LabelSelector selects these labels, as the API server decides: every matchLabels pair
 * and every expression (In, NotIn, Exists, DoesNotExist) must hold; `{}` selects everything. An
 * operator the API would have refused selects nothing.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const has = (key: string) => labels !== undefined && Object.hasOwn(labels, key);
  if (!Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has(key) && labels?.[key] === value))
    return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return has(key) && values.includes(labels?.[key] ?? '');
    if (operator === 'NotIn') return !has(key) || !values.includes(labels?.[key] ?? '');
    if (operator === 'Exists') return has(key);
    if (operator === 'DoesNotExist') return !has(key);
    return false;
  });
}

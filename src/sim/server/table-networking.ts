import { type Column, created, type Dict, name } from './table-columns.js';

const OPERATORS: Record<string, (key: string, values: string[]) => string> = {
  In: (key, values) => `${key} in (${values.join(',')})`,
  NotIn: (key, values) => `${key} notin (${values.join(',')})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/**
 * apimachinery's `FormatLabelSelector`: the requirements sorted by key, set values sorted, `<none>`
 * for the empty selector (which selects everything).
 */
export function formatLabelSelector(selector: Dict | undefined): string {
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries((selector?.matchLabels ?? {}) as Record<string, string>))
    requirements.push({ key, text: `${key}=${value}` });
  for (const expr of (selector?.matchExpressions ?? []) as Dict[]) {
    const format = OPERATORS[String(expr.operator)];
    if (!format) return '<error>';
    requirements.push({ key: String(expr.key), text: format(String(expr.key), [...(expr.values ?? [])].sort()) });
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',') || '<none>';
}

/** The printer's list of at most three values, then `+ N more...`; `<unset>` for none. */
function listWithMore(values: string[]): string {
  if (values.length > 3) return `${values.slice(0, 3).join(',')} + ${values.length - 3} more...`;
  return values.join(',') || '<unset>';
}

/** The columns of `kubectl get networkpolicies` and `kubectl get endpointslices`. */
export const NETWORKING_PRINTERS: Record<string, Column[]> = {
  NetworkPolicy: [
    name,
    { name: 'Pod-Selector', type: 'string', cell: (o) => formatLabelSelector(o.spec?.podSelector) },
    created,
  ],
  EndpointSlice: [
    name,
    { name: 'AddressType', type: 'string', cell: (o) => o.addressType ?? '' },
    {
      name: 'Ports',
      type: 'string',
      cell: (o) => listWithMore((o.ports ?? []).map((p: Dict) => (p.port != null ? String(p.port) : (p.name ?? '*')))),
    },
    {
      name: 'Endpoints',
      type: 'string',
      cell: (o) => listWithMore((o.endpoints ?? []).flatMap((e: Dict) => e.addresses ?? [])),
    },
    created,
  ],
};

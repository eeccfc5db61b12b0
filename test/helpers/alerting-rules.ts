import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

/** The alerting rules the README shows (test/fixtures/prometheus/alerting-rules.yml). */
export const ALERTING_RULES = fileURLToPath(new URL('../fixtures/prometheus/alerting-rules.yml', import.meta.url));

/**
 * The rules as a test can wait for them: `for` dropped and the 5m windows cut to 10s (promtool test
 * rules checks the real ones); with `keep`, that label is kept by every aggregation (one Prometheus
 * scraping several simulators, whose namespaces and services have the same names).
 */
export function compressedRules(keep?: string): string {
  const doc = parse(readFileSync(ALERTING_RULES, 'utf8')) as { groups: { rules: { for?: string; expr: string }[] }[] };
  for (const group of doc.groups)
    for (const rule of group.rules) {
      rule.for = '0s';
      rule.expr = rule.expr.replaceAll('[5m]', '[10s]');
      if (keep) rule.expr = rule.expr.replaceAll('by (', `by (${keep}, `);
    }
  return stringify(doc);
}

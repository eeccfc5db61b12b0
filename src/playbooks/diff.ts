import { stringify } from 'yaml';
import { redactValue } from '../incident/redact.js';

/** Turns {"spec.template": …} views into nested objects, so the YAML reads like the object. */
export function nestFields(view: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(view ?? {})) {
    const keys = path.split('.');
    let node = out;
    keys.forEach((key, index) => {
      if (index === keys.length - 1) node[key] = value;
      else {
        node[key] ??= {};
        node = node[key] as Record<string, unknown>;
      }
    });
  }
  return out;
}

export function toYaml(view: Record<string, unknown> | undefined): string[] {
  const nested = nestFields(view);
  if (Object.keys(nested).length === 0) return [];
  return stringify(nested, { lineWidth: 0, sortMapEntries: true }).trimEnd().split('\n');
}

/**
 * A compact unified diff ("-"/"+" lines with `context` lines around each change, "@@" hunk
 * headers) of two line lists; [] when they are equal.
 */
export function unifiedDiff(before: readonly string[], after: readonly string[], context = 2): string[] {
  const n = before.length;
  const m = after.length;
  // LCS table from the end, so the walk below emits lines in order.
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) ops.push({ kind: ' ', text: before[i++]!, a: i, b: ++j });
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ kind: '-', text: before[i++]!, a: i, b: j });
    else ops.push({ kind: '+', text: after[j++]!, a: i, b: j });
  }
  if (!ops.some((op) => op.kind !== ' ')) return [];
  const out: string[] = [];
  let index = 0;
  while (index < ops.length) {
    const change = ops.findIndex((op, k) => k >= index && op.kind !== ' ');
    if (change < 0) break;
    const start = Math.max(index, change - context);
    let end = change;
    // Extend the hunk while the next change is within 2×context lines.
    for (let k = change; k < ops.length; k += 1) {
      if (ops[k]!.kind !== ' ') end = k;
      else if (k - end > context * 2) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const aStart = hunk.find((op) => op.kind !== '+')?.a ?? 0;
    const bStart = hunk.find((op) => op.kind !== '-')?.b ?? 0;
    const aLen = hunk.filter((op) => op.kind !== '+').length;
    const bLen = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    index = stop;
  }
  return out;
}

/**
 * The diff of two field views as YAML, redacted as the log records them: a pod template's env values
 * and secret flags would otherwise be printed in the clear (as YAML lines, no text rule knows them).
 */
export function diffViews(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): string[] {
  return unifiedDiff(toYaml(redactValue(before)), toYaml(redactValue(after)));
}

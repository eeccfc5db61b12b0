import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));

/** Every file the entry loads before running any command: its static imports, transitively. */
function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const match of text.matchAll(/(?:^|[;\n])\s*import\s*(?:[^'"();]*?\sfrom\s*)?["']([^"']+)["']/g)) {
      const spec = match[1] ?? '';
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
    }
  };
  visit(entry);
  return seen;
}

describe('the bundle', () => {
  it('loads @kubernetes/client-node only through a dynamic import, so inc --version and inc note never pay for it', () => {
    const graph = staticGraph(join(DIST, 'inc.js'));
    expect(graph.size).toBeGreaterThan(0);
    for (const [file, text] of graph) {
      expect(text, file).not.toMatch(/import\s*(?:[^'"();]*?\sfrom\s*)?["']@kubernetes\/client-node["']/);
      expect(text, file).not.toMatch(/require\(["']@kubernetes\/client-node["']\)/);
    }
    // The library is still reachable, lazily, from the chunks the cluster commands load.
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    const lazy = chunks.filter((name) =>
      readFileSync(join(DIST, 'chunks', name), 'utf8').includes('import("@kubernetes/client-node")'),
    );
    expect(lazy.length).toBeGreaterThan(0);
    for (const name of lazy) expect(graph.has(join(DIST, 'chunks', name))).toBe(false);
  });
});

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

// A definition only the Kubernetes client has: the client is bundled into a chunk of its own.
const CLIENT_NODE = /\bKubeConfig\s*=\s*class\b/;

describe('the bundle', () => {
  it('loads @kubernetes/client-node only through a dynamic import, so inc --version and inc note never pay for it', () => {
    const graph = staticGraph(join(DIST, 'inc.js'));
    expect(graph.size).toBeGreaterThan(0);
    for (const [file, text] of graph) {
      expect(text, file).not.toMatch(CLIENT_NODE);
      expect(text, file).not.toMatch(/["']@kubernetes\/client-node["']/);
    }
    // The library is bundled, and reachable only from the chunks the cluster commands load.
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    const client = chunks.filter((name) => CLIENT_NODE.test(readFileSync(join(DIST, 'chunks', name), 'utf8')));
    expect(client).toHaveLength(1);
    expect(graph.has(join(DIST, 'chunks', client[0] ?? ''))).toBe(false);
  });

  it('loads vega only through the postmortem chart, so no other command pays for it', () => {
    const graph = staticGraph(join(DIST, 'inc.js'));
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    // A definition only vega has: its dataflow View.
    const vega = chunks.filter((name) => VEGA_VIEW.test(readFileSync(join(DIST, 'chunks', name), 'utf8')));
    expect(vega.length).toBeGreaterThan(0);
    for (const name of vega) expect(graph.has(join(DIST, 'chunks', name)), name).toBe(false);
    for (const [file, text] of graph) expect(text, file).not.toMatch(VEGA_VIEW);
  });
});

/** Every file a chunk may load, dynamic imports included: what a command can ever pull in. */
function fullGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.[^"']+)["']/g)) {
      visit(join(dirname(file), match[1] ?? ''));
    }
  };
  visit(entry);
  return seen;
}

describe('inc sync', () => {
  it('never loads @kubernetes/client-node: everything the sync chunk can load is free of it', () => {
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    const sync = chunks.filter((name) =>
      readFileSync(join(DIST, 'chunks', name), 'utf8').includes('the remote kept moving after'),
    );
    expect(sync).toHaveLength(1);
    const graph = fullGraph(join(DIST, 'chunks', sync[0] ?? ''));
    for (const [file, text] of graph) expect(text, file).not.toMatch(CLIENT_NODE);
  });
});

// A message only vega has (its View looking up a signal).
const VEGA_VIEW = /Unrecognized signal name/;

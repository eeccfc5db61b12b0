import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of a source folder and the rules of the house checked on it (docs/ARCHITECTURE.md).
 * Imports are read with the TypeScript preprocessor, so `import type`, re-exports and dynamic
 * `import()` all count, and text in comments and strings does not.
 */

/** One module: its path relative to the root, and what it imports (relative ones resolved to root paths). */
export interface ModuleImports {
  file: string;
  /** Root-relative paths of the modules it imports from the same tree. */
  local: string[];
  /** Bare package names (`@kubernetes/client-node`, `node:fs`). */
  packages: string[];
}

export interface Violation {
  rule: string;
  file: string;
  imports: string;
}

const DOMAIN = ['triage', 'playbooks', 'incident', 'report'];
/** The guided demo is the demo command's own: what other commands share with it lives in cli/. */
const DEMO = 'cli/demo/';
const DEMO_COMMAND = 'cli/commands/demo.ts';
/** Terminal and command-line packages: the CLI's and the terminal's own (STYLE.md, rule 1). */
const TERMINAL_PACKAGES = ['commander', 'chalk', 'ora', '@inquirer/prompts'];
/** The one process runner; ui/ copies to the clipboard with its own. */
const PROCESS_RUNNER = 'run-process.ts';
/** Root modules that hold no policy, only shared vocabulary (time, errors, durations, files shipped with inc). */
const SIM_MAY_USE = ['errors.ts', 'duration.ts', 'assets.ts'];

/** Every .ts file under root, sorted, as root-relative paths with forward slashes. */
export function listSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Reads the imports of every source file under root. */
export function readImportGraph(root: string): ModuleImports[] {
  return listSources(root).map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const local: string[] = [];
    const packages: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        packages.push(fileName);
        continue;
      }
      const target = resolve(join(root, dirname(file)), fileName).replace(/\.js$/, '.ts');
      const resolved = existsSync(target) ? target : `${target.replace(/\.ts$/, '')}/index.ts`;
      local.push(relative(root, resolved).split('\\').join('/'));
    }
    return { file, local: [...new Set(local)], packages: [...new Set(packages)] };
  });
}

/** The top-level folder of a module ("kube", "cli", …), or "" for a module at the root. */
export function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

/** The allowed arrows, as checks on one import each. */
export function checkArrows(graph: readonly ModuleImports[]): Violation[] {
  const violations: Violation[] = [];
  for (const { file, local, packages } of graph) {
    const from = layerOf(file);
    for (const target of local) {
      const to = layerOf(target);
      const add = (rule: string) => violations.push({ rule, file, imports: target });
      if (DOMAIN.includes(from) && (to === 'cli' || to === 'ui')) add('the domain never imports cli/ or ui/');
      if (from === 'kube' && !['kube', 'kubeconfig', ''].includes(to))
        add('kube/ imports nothing but itself, kubeconfig/ and the root modules');
      if (from === 'kubeconfig' && to !== 'kubeconfig' && to !== '')
        add('kubeconfig/ imports nothing but itself and the root modules');
      if (from === 'sim' && to !== 'sim' && !SIM_MAY_USE.includes(target))
        add(`sim/ imports only itself (and ${SIM_MAY_USE.join(', ')})`);
      if (from !== 'sim' && to === 'sim' && from !== 'cli') add('only cli/ starts the simulator');
      if (to === 'ui' && from !== 'cli' && from !== 'ui') add('only cli/ imports ui/');
      if (target.startsWith(DEMO) && !file.startsWith(DEMO) && file !== DEMO_COMMAND)
        add('only the demo command reaches into cli/demo/');
    }
    for (const name of packages) {
      const add = (rule: string) => violations.push({ rule, file, imports: name });
      if (name.startsWith('@kubernetes/client-node') && from !== 'kube')
        add('only kube/ imports @kubernetes/client-node');
      if (TERMINAL_PACKAGES.some((p) => name === p || name.startsWith(`${p}/`)) && from !== 'cli' && from !== 'ui')
        add(`only cli/ and ui/ import ${TERMINAL_PACKAGES.join(', ')}`);
      if (name === 'execa' && file !== PROCESS_RUNNER && from !== 'ui')
        add(`programs are started by ${PROCESS_RUNNER} only (and ui/'s clipboard)`);
    }
  }
  return violations;
}

/** Every import cycle (type-only ones included), each once, as the list of modules around it. */
export function findCycles(graph: readonly ModuleImports[]): string[][] {
  const edges = new Map(graph.map((m) => [m.file, m.local]));
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // One key per cycle whatever module it was entered from: rotate to start at the smallest name.
        const start = cycle.indexOf([...cycle].sort()[0] as string);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next) && edges.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

/** Lines that read the system time or set a timer outside the clock (and the simulator, which has its own). */
export function findClockBypasses(root: string): string[] {
  const found: string[] = [];
  for (const file of listSources(root)) {
    if (file === 'clock.ts' || layerOf(file) === 'sim') continue;
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const code = line.replace(/\/\/.*$/, '');
      if (/\bDate\.now\(\)|\bset(Timeout|Interval)\(|new Date\(\)/.test(code))
        found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  return found;
}

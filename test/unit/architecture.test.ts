import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArrows, findClockBypasses, findCycles, readImportGraph } from '../helpers/import-graph.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the rules of the house, on src/ (docs/ARCHITECTURE.md)', () => {
  const graph = readImportGraph(SRC);

  it('reads the whole tree', () => {
    expect(graph.length).toBeGreaterThan(200);
    const kube = graph.find((m) => m.file === 'kube/client.ts');
    expect(kube?.packages).toContain('@kubernetes/client-node');
  });

  it('keeps every arrow the allowed way', () => {
    expect(checkArrows(graph)).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('takes time only from the clock (the simulator has its own)', () => {
    expect(findClockBypasses(SRC)).toEqual([]);
  });
});

describe('the checker, on a small tree that breaks each rule', () => {
  const root = mkdtempSync(join(tmpdir(), 'inc-architecture-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('clock.ts', 'export const now = () => Date.now();\n');
  write('errors.ts', 'export class IncError extends Error {}\n');
  write(
    'cli/main.ts',
    "import { run } from '../triage/run.js';\nimport { theme } from '../ui/theme.js';\nrun(theme);\n",
  );
  write('ui/theme.ts', 'export const theme = {};\n');
  write(
    'triage/run.ts',
    [
      "// import { nothing } from '../cli/main.js' (a comment is not an import)",
      "import type { Theme } from '../ui/theme.js';",
      "export const run = async (t: Theme) => (await import('../cli/main.js'), t);",
      'export const at = () => setTimeout(() => {}, 10);',
      '',
    ].join('\n'),
  );
  write('report/k8s.ts', "export { KubeConfig } from '@kubernetes/client-node';\n");
  write(
    'kube/client.ts',
    "import { KubeConfig } from '@kubernetes/client-node';\nimport type { Plan } from '../playbooks/plan.js';\n",
  );
  write('playbooks/plan.ts', "import type { Step } from './step.js';\nexport interface Plan { step: Step }\n");
  write('playbooks/step.ts', "import type { Plan } from './plan.js';\nexport interface Step { plan?: Plan }\n");
  write(
    'sim/server.ts',
    "import { IncError } from '../errors.js';\nimport { now } from '../clock.js';\nsetTimeout(() => {}, 1);\n",
  );
  const graph = readImportGraph(root);

  it('names each broken arrow, and nothing else', () => {
    expect(checkArrows(graph)).toEqual([
      {
        rule: 'kube/ imports nothing but itself and the root modules',
        file: 'kube/client.ts',
        imports: 'playbooks/plan.ts',
      },
      { rule: 'only kube/ imports @kubernetes/client-node', file: 'report/k8s.ts', imports: '@kubernetes/client-node' },
      {
        rule: 'sim/ imports only itself (and errors.ts, duration.ts, assets.ts)',
        file: 'sim/server.ts',
        imports: 'clock.ts',
      },
      { rule: 'the domain never imports cli/ or ui/', file: 'triage/run.ts', imports: 'ui/theme.ts' },
      { rule: 'only cli/ imports ui/', file: 'triage/run.ts', imports: 'ui/theme.ts' },
      { rule: 'the domain never imports cli/ or ui/', file: 'triage/run.ts', imports: 'cli/main.ts' },
    ]);
  });

  it('finds cycles through type-only and dynamic imports', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([
      'cli/main.ts → triage/run.ts',
      'playbooks/plan.ts → playbooks/step.ts',
    ]);
  });

  it('finds timers and Date.now() outside the clock and the simulator', () => {
    expect(findClockBypasses(root)).toEqual(['triage/run.ts:4: export const at = () => setTimeout(() => {}, 10);']);
  });
});

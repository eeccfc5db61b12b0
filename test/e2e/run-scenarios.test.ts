import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

interface Culprit {
  kind: string;
  namespace: string;
  name: string;
  playbook: string;
  params: Record<string, string | number>;
}

function culpritOf(scenario: string): Culprit {
  const file = fileURLToPath(new URL(`../../src/sim/scenarios/${scenario}.yaml`, import.meta.url));
  return (parse(readFileSync(file, 'utf8')) as { culprit: Culprit }).culprit;
}

/** Each scenario names its culprit and the playbook that mitigates it: run exactly that. */
describe('the playbook each scenario names mitigates its culprit', () => {
  const worlds: SimWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });

  it.each(['image-pull', 'oom', 'pending-capacity', 'traffic-spike'])('%s', async (scenario) => {
    const culprit = culpritOf(scenario);
    const w = await openSimWorld(scenario);
    worlds.push(w);
    const before = w.object('Deployment', culprit.namespace, culprit.name);
    const sets = Object.entries(culprit.params).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
    const result = await w.inc(['run', culprit.playbook, ...sets, '--yes']);
    expectExit(result, 0);
    const after = w.object('Deployment', culprit.namespace, culprit.name);
    if (culprit.playbook === 'scale') {
      expect(after.spec.replicas).toBe(Number(culprit.params.replicas));
    } else {
      expect(after.spec.template).not.toEqual(before.spec.template);
      expect(result.stderr).toContain('successfully rolled out');
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSimWorld, type SimWorld } from '../playbooks-sim.js';
import { scaleArgs } from './scale-args.js';

let world: SimWorld;
beforeAll(async () => {
  // Every real write is applied by the server, then its answer's connection is cut.
  world = await openSimWorld('healthy', 60, { dropWriteRate: 1 });
});
afterAll(async () => world.close());

it('a write whose answer is lost is read back: recorded as applied, with its inverse', async () => {
  expect((await world.inc(['start', 'worker backlog', '--severity', 'SEV3'])).code).toBe(0);
  const result = await world.inc(scaleArgs('worker', '3', '--yes'));
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain('applied (confirmed after the answer was lost)');
  expect(world.object('Deployment', 'payments', 'worker').spec.replicas).toBe(3);
  const home = world.env.INC_HOME ?? '';
  const [incident] = readdirSync(join(home, 'incidents'));
  const events = readFileSync(join(home, 'incidents', incident ?? '', 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const applied = events.find((e) => e.type === 'action' && e.data.phase === 'applied');
  expect(applied?.data.inverse).toMatchObject({ action: 'scale', with: { replicas: 2 } });
  expect(events.some((e) => e.type === 'action' && e.data.phase === 'failed')).toBe(false);
});

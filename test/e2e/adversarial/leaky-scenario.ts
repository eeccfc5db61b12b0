import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { deployment } from '../../helpers/sim-fixtures.js';

/**
 * Writes a scenario where payments/api was rolled out seven minutes ago and crash-loops, logging `logError`
 * before every exit; its pod template passes `args` (a password after a flag, say). Returns the file.
 * Seven minutes puts "now" in the middle of a five-minute back-off, so a simulator at real speed shows the
 * pod waiting in CrashLoopBackOff (whose previous log triage reads) for minutes.
 */
export function writeLeakyScenario(dir: string, logError: string, args: string[] = []): string {
  const empty = parse(readFileSync(new URL('../../../src/sim/scenarios/empty.yaml', import.meta.url), 'utf8')) as {
    manifests: unknown[];
  };
  const api = deployment({ namespace: 'payments', name: 'api', replicas: 2 }) as unknown as {
    spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
  };
  const container = api.spec.template.spec.containers[0] as Record<string, unknown>;
  container.args = args;
  const scenario = {
    name: 'leaky',
    description: 'payments/api crash-loops and logs what it should not',
    manifests: [...empty.manifests, api],
    timeline: [
      {
        at: '-7m',
        patch: { namespace: 'payments', name: 'api', image: 'api:2.3.1', behavior: 'crashloop', logError },
      },
    ],
  };
  const file = join(dir, 'leaky.yaml');
  writeFileSync(file, stringify(scenario));
  return file;
}

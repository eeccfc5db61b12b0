import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { ALERTING_RULES, compressedRules } from '../helpers/alerting-rules.js';
import { PROMTOOL } from '../helpers/binaries.js';
import { type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../fixtures/prometheus/', import.meta.url));
const RULES = ALERTING_RULES;

/** Every built-in scenario, each scraped as its own job with a `scenario` label. */
const SCENARIOS = readdirSync(fileURLToPath(new URL('../../src/sim/scenarios/', import.meta.url)))
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.replace(/\.yaml$/, ''));

let dir: string;
const running: { stop(): Promise<void> }[] = [];
let prometheus: RunningPrometheus;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inc-rules-'));
  const sims: { name: string; sim: RunningSim }[] = [];
  for (const name of SCENARIOS) {
    const sim = await startSim({ scenario: name, speed: 1 });
    running.push(sim);
    sims.push({ name, sim });
  }
  const compressed = join(dir, 'rules.yml');
  await writeFile(compressed, compressedRules('scenario'));
  prometheus = await startPrometheus({
    targets: sims.map(({ name, sim }) => ({ job: name, url: sim.metricsUrl, labels: { scenario: name } })),
    ruleFiles: [compressed],
  });
  running.push(prometheus);
}, 60_000);
afterAll(async () => {
  for (const server of running.splice(0).reverse()) await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the alerting rules of test/fixtures/prometheus', () => {
  it('pass promtool check rules, and promtool test rules (each alert fires after its `for`, not below its threshold)', async () => {
    const checked = await run(PROMTOOL, ['check', 'rules', RULES], { timeout: 20_000 });
    expect(checked.stdout).toMatch(/SUCCESS: 4 rules found/);
    const tested = await run(PROMTOOL, ['test', 'rules', 'alerting-rules.test.yml'], {
      cwd: FIXTURES,
      timeout: 20_000,
    });
    expect(tested.stdout).toMatch(/SUCCESS/);
    // promtool does fail a wrong rule: the same file with a threshold that never holds.
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, readFileSync(RULES, 'utf8').replace('> 0.05', '> 5'));
    const brokenTest = join(dir, 'broken.test.yml');
    await writeFile(
      brokenTest,
      readFileSync(join(FIXTURES, 'alerting-rules.test.yml'), 'utf8').replace('alerting-rules.yml', broken),
    );
    const failed = await run(PROMTOOL, ['test', 'rules', brokenTest], { timeout: 20_000 }).then(
      () => 'passed',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(failed).toMatch(/FAILED/);
    expect(failed).toMatch(/alertname: HighErrorRate/);
  });

  it('are the rules the README shows', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const block = /```yaml\n(# rules\.yml[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a ```yaml block starting with "# rules.yml"').toBeDefined();
    expect(parse(block!)).toEqual(parse(readFileSync(RULES, 'utf8')));
  });

  it("fire in a real Prometheus on each scenario's metrics exactly the alerts the scenario names", async () => {
    const expected = Object.fromEntries(SCENARIOS.map((name) => [name, [...loadScenario(name).alerts].sort()]));
    expect(expected.healthy).toEqual([]);
    const firing = (samples: { metric: Record<string, string> }[]) => {
      const by: Record<string, string[]> = Object.fromEntries(SCENARIOS.map((name) => [name, []]));
      for (const { metric } of samples) {
        const names = by[metric.scenario ?? ''];
        if (names && !names.includes(metric.alertname ?? '')) names.push(metric.alertname ?? '');
      }
      for (const names of Object.values(by)) names.sort();
      return by;
    };
    const samples = await prometheus.waitFor(
      'ALERTS{alertstate="firing"}',
      (s) => SCENARIOS.every((name) => expected[name]!.every((alert) => firing(s)[name]!.includes(alert))),
      // A few seconds on a quiet machine; a loaded one scrapes and evaluates late, and a pending alert
      // whose expression missed one evaluation starts its `for` again.
      120_000,
    );
    expect(firing(samples)).toEqual(expected);
    // The labels link each alert to its workload: service for the signals, pod for the waiting reasons.
    const errors = samples.find((s) => s.metric.alertname === 'HighErrorRate');
    expect(errors?.metric).toMatchObject({ namespace: 'payments', service: 'api', severity: 'critical' });
    const crash = samples.find((s) => s.metric.alertname === 'PodCrashLooping' && s.metric.scenario === 'bad-deploy');
    expect(crash?.metric).toMatchObject({ namespace: 'payments', container: 'api' });
    expect(crash?.metric.pod).toMatch(/^api-/);
  }, 150_000);
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { compressedRules } from '../helpers/alerting-rules.js';
import { type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * The page end to end on bad-deploy-errors: Debian's Prometheus evaluates the README's alerting
 * rules (time-compressed) on the simulator's metrics and sends to Debian's Alertmanager; the built
 * inc lists the alert, declares from it, triages, silences it (amtool checks), lifts the silence,
 * rolls back, and resolves once the alert has resolved. Prometheus and Alertmanager keep real time,
 * so the simulator runs at real speed and inc's clock is not pinned; assertions compare times
 * between the tools, never with the time of day.
 */

interface AlertRow {
  name: string;
  fingerprint: string;
  startsAt: string;
  workload?: { kind: string; namespace: string; name: string };
}

let home: string;
let sim: RunningSim;
let alertmanager: RunningAlertmanager;
let prometheus: RunningPrometheus;
let config: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-alerts-flow-'));
  sim = await startSim({ scenario: 'bad-deploy-errors', speed: 1 });
  alertmanager = await startAlertmanager();
  const rules = join(home, 'rules.yml');
  await writeFile(rules, compressedRules());
  prometheus = await startPrometheus({
    targets: [{ job: 'inc-sim', url: sim.metricsUrl }],
    ruleFiles: [rules],
    alertmanagers: [`127.0.0.1:${alertmanager.port}`],
  });
  // inc measures its signals on the same Prometheus; scraping every second, 10 s of data after the
  // rollback are enough to verify it (the usual 30 s is for slower scrapes).
  config = join(home, 'config.yaml');
  await writeFile(config, `prometheus:\n  url: ${prometheus.url}\nsignals:\n  settle: 10s\n`);
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await sim?.stop();
  await rm(home, { recursive: true, force: true });
});

function inc(args: string[]) {
  return runInc([...args, '--kubeconfig', sim.kubeconfigPath], {
    env: {
      INC_HOME: join(home, 'inc'),
      HOME: home,
      INC_ACTOR: 'dana',
      INC_ALERTMANAGER_URL: alertmanager.url,
      INC_CONFIG: config,
    },
    timeoutMs: 120_000,
  });
}

async function alertRows(): Promise<AlertRow[]> {
  const listed = await inc(['alerts', '-o', 'json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as AlertRow[];
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const errorRate = (rows: AlertRow[]) => rows.find((row) => row.name === 'HighErrorRate');

describe('from the rule to the postmortem', () => {
  it('fires, pages, triages, silences, rolls back, resolves and records the page', async () => {
    const [alert] = [errorRate(await until(alertRows, (rows) => errorRate(rows) !== undefined, 60_000))!];
    expect(alert).toMatchObject({ workload: { kind: 'Service', namespace: 'payments', name: 'api' } });
    const text = await inc(['alerts']);
    expect(text.stdout).toMatch(
      /^HighErrorRate\s+critical\s+\S+\s+service payments\/api\s+5xx ratio of payments\/api above 5 %$/m,
    );

    const started = await inc(['start', '--from-alert', 'HighErrorRate', '-o', 'json']);
    expect(started.code, started.stderr).toBe(0);
    const declared = JSON.parse(started.stdout) as { id: string; event: { data: Record<string, unknown> } };
    expect(declared.event.data).toMatchObject({
      title: 'HighErrorRate: 5xx ratio of payments/api above 5 %',
      severity: 'SEV2',
      impactStartedAt: new Date(alert.startsAt).toISOString(),
    });

    const triage = await inc(['triage', '-n', 'payments', '-o', 'json', '--prometheus', prometheus.url]);
    const report = JSON.parse(triage.stdout) as TriageReport;
    const api = (f: TriageReport['findings'][number]) =>
      f.workload?.namespace === 'payments' && f.workload.name === 'api';
    expect(report.findings.find((f) => f.check === 'alerts' && api(f))?.title).toMatch(/HighErrorRate/);
    expect(report.findings.some((f) => f.reason === 'HighErrorRate' && f.check !== 'alerts' && api(f))).toBe(true);
    expect(report.suspects[0]?.workload).toMatchObject({ kind: 'Deployment', namespace: 'payments', name: 'api' });

    const silenced = await inc(['run', 'silence-alert', '--set', 'alertname=HighErrorRate', '--yes']);
    expect(silenced.code, silenced.stderr).toBe(0);
    const query = await alertmanager.amtool(['silence', 'query', '-o', 'json']);
    const [silence] = JSON.parse(query.stdout) as { id: string; comment: string; createdBy: string }[];
    expect(silence).toMatchObject({
      comment: `${declared.id}: silenced while the incident is handled`,
      createdBy: 'dana',
    });
    expect((await inc(['undo', '--yes'])).code).toBe(0);
    expect(JSON.parse((await alertmanager.amtool(['silence', 'query', '-o', 'json'])).stdout)).toEqual([]);

    const rollback = ['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api'];
    const rolledBack = await inc([...rollback, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    // The 10 s window forgets the 5xx of 2.3.1; Prometheus sends the resolved alert to Alertmanager.
    await until(alertRows, (rows) => errorRate(rows) === undefined, 90_000);
    const resolved = await inc(['resolve', '--summary', 'rolled back api to 2.3.0']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toMatch(/linked alerts: none still firing \(HighErrorRate\)/);

    const postmortem = await inc(['postmortem', '--file', '-']);
    expect(postmortem.code, postmortem.stderr).toBe(0);
    const timeline = postmortem.stdout.slice(postmortem.stdout.indexOf('## Timeline'));
    const firstRow = timeline.split('\n').find((line) => /^\| 20\d\d-/.test(line));
    expect(firstRow).toMatch(
      /\| First alert fired: HighErrorRate \| Alertmanager \| 5xx ratio of payments\/api above 5 %/,
    );
    expect(postmortem.stdout).toMatch(/\| Time to acknowledge \| first alert fired \| acknowledged \| \S+ \|/);
  }, 300_000);
});

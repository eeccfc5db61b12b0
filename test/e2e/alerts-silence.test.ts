import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * Silences from a playbook, checked by the independent client: the built inc runs silence-alert
 * against Debian's real Alertmanager, and amtool from the same package reads what it created and
 * what `inc undo` expired. Alertmanager refuses silences that end in the past, so inc's clock is
 * not pinned here; no assertion depends on the time of day.
 */

interface AmtoolSilence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

const PAYMENTS = { alertname: 'HighErrorRate', namespace: 'payments', service: 'api', severity: 'critical' };
const SHOP = { alertname: 'HighErrorRate', namespace: 'shop', service: 'web', severity: 'critical' };

let home: string;
let sim: RunningSim;
let alertmanager: RunningAlertmanager;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-silence-'));
  sim = await startSim({ scenario: 'bad-deploy-errors' });
  alertmanager = await startAlertmanager();
  await alertmanager.postAlerts([
    { labels: PAYMENTS, annotations: { summary: '5xx ratio of payments/api above 5 %' } },
    { labels: SHOP, annotations: { summary: '5xx ratio of shop/web above 5 %' } },
  ]);
});
afterAll(async () => {
  await alertmanager?.stop();
  await sim?.stop();
  await rm(home, { recursive: true, force: true });
});

function inc(args: string[], incHome: string) {
  return runInc([...args, '--kubeconfig', sim.kubeconfigPath], {
    env: { INC_HOME: incHome, HOME: home, INC_ACTOR: 'dana', INC_ALERTMANAGER_URL: alertmanager.url },
    timeoutMs: 60_000,
  });
}

async function silences(...flags: string[]): Promise<AmtoolSilence[]> {
  const { stdout } = await alertmanager.amtool(['silence', 'query', '-o', 'json', ...flags]);
  return JSON.parse(stdout) as AmtoolSilence[];
}

async function startFromPaymentsAlert(incHome: string): Promise<string> {
  const listed = await inc(['alerts', '-o', 'json'], incHome);
  const row = (JSON.parse(listed.stdout) as { fingerprint: string; labels: Record<string, string> }[]).find(
    (r) => r.labels.namespace === 'payments',
  );
  expect(row, listed.stderr).toBeDefined();
  const started = await inc(['start', '--from-alert', row!.fingerprint, '-o', 'json'], incHome);
  expect(started.code, started.stderr).toBe(0);
  return (JSON.parse(started.stdout) as { id: string }).id;
}

describe('inc run silence-alert', () => {
  it('silences the alert of the incident with its labels, named and signed; inc undo expires it', async () => {
    const incHome = join(home, 'first');
    const id = await startFromPaymentsAlert(incHome);

    const planned = await inc(['run', 'silence-alert', '--set', 'alertname=HighErrorRate', '--dry-run'], incHome);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/silence alertname="HighErrorRate", namespace="payments", service="api" for 1h/);
    expect(planned.stdout).toMatch(/covers HighErrorRate \{namespace="payments", service="api", severity="critical"\}/);
    expect(planned.stdout).not.toMatch(/namespace="shop"/);
    expect(await silences()).toEqual([]);

    const run = await inc(
      ['run', 'silence-alert', '--set', 'alertname=HighErrorRate', '--set', 'comment=rolling back', '--yes'],
      incHome,
    );
    expect(run.code, run.stderr).toBe(0);
    const [silence, ...others] = await silences();
    expect(others).toEqual([]);
    expect(silence).toMatchObject({
      createdBy: 'dana',
      comment: `${id}: rolling back`,
      status: { state: 'active' },
    });
    expect(silence!.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual([
      'alertname=HighErrorRate',
      'namespace=payments',
      'service=api',
    ]);
    // An hour from inc's apply; Alertmanager moves a start already past to its own receipt.
    const length = Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt);
    expect(length).toBeGreaterThan(3_590_000);
    expect(length).toBeLessThanOrEqual(3_600_000);
    // Alertmanager now counts the payments alert as silenced, the shop one still fires.
    const firing = await alertmanager.amtool(['alert', 'query', '-o', 'json']);
    expect((JSON.parse(firing.stdout) as { labels: Record<string, string> }[]).map((a) => a.labels.namespace)).toEqual([
      'shop',
    ]);

    const log = await inc(['log', '--json'], incHome);
    const applied = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .find((e) => e.type === 'action' && e.data.phase === 'applied');
    expect(applied?.data).toMatchObject({
      action: 'alertmanager.silence',
      inverse: { action: 'alertmanager.silence', with: { expire: silence!.id } },
    });

    const undone = await inc(['undo', '--yes'], incHome);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stderr).toContain(`expired silence ${silence!.id}`);
    expect(await silences()).toEqual([]);
    const expired = await silences('--expired');
    expect(expired.map((s) => [s.id, s.status.state])).toEqual([[silence!.id, 'expired']]);
  }, 120_000);

  it('a silence covering alerts the incident did not link needs its own confirmation, even with --yes', async () => {
    const incHome = join(home, 'second');
    await startFromPaymentsAlert(incHome);
    const broad = ['run', 'silence-alert', '--set', 'alertname=HighErrorRate', '--set', 'matchers=severity=critical'];
    const refused = await inc([...broad, '--yes'], incHome);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs explicit confirmation, even with --yes/);
    expect(refused.stderr).toMatch(/covers 1 alert\(s\) not linked to the incident/);
    expect(refused.stderr).toMatch(/--set broad=true/);
    expect(await silences()).toEqual([]);

    const confirmed = await inc([...broad, '--set', 'broad=true', '--yes'], incHome);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const [silence] = await silences();
    expect(silence!.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual([
      'alertname=HighErrorRate',
      'severity=critical',
    ]);

    // Resolving while the silence still hides the alert names it and how to lift it (the resolve
    // itself is refused here: the linked alert still fires and there is no terminal).
    const early = await inc(['resolve'], incHome);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/1 silence\(s\) created during this incident still hide alerts/);
    expect(early.stderr).toMatch(
      new RegExp(
        `silence ${silence!.id} \\(alertname="HighErrorRate", severity="critical"\\) until \\S+; lift it: inc undo \\S+`,
      ),
    );
    expect((await inc(['undo', '--yes'], incHome)).code).toBe(0);
    expect(await silences()).toEqual([]);
    const later = await inc(['resolve'], incHome);
    expect(later.stderr).not.toMatch(/still hide alerts/);
  }, 120_000);

  it('an incident that links no alert does not silence an alert firing in several namespaces on --yes', async () => {
    const incHome = join(home, 'third');
    const started = await inc(['start', 'payments errors', '--severity', 'SEV2', '--yes'], incHome);
    expect(started.code, started.stderr).toBe(0);
    const refused = await inc(
      ['run', 'silence-alert', '-n', 'payments', '--set', 'alertname=HighErrorRate', '--yes'],
      incHome,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs explicit confirmation, even with --yes/);
    expect(refused.stderr).toMatch(/covers alerts in 2 namespaces \(payments, shop\)/);
    expect(await silences()).toEqual([]);

    const narrowed = await inc(
      ['run', 'silence-alert', '--set', 'alertname=HighErrorRate', '--set', 'matchers=namespace=payments', '--yes'],
      incHome,
    );
    expect(narrowed.code, narrowed.stderr).toBe(0);
    const [silence] = await silences();
    expect(silence!.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual([
      'alertname=HighErrorRate',
      'namespace=payments',
    ]);
    expect((await inc(['undo', '--yes'], incHome)).code).toBe(0);
    expect(await silences()).toEqual([]);
  }, 120_000);
});

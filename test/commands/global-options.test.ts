import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { HONOURED_GLOBAL_OPTIONS } from '../../src/cli/global-options.js';
import { runCli } from '../../src/cli/run-cli.js';
import { type Clock, FakeClock } from '../../src/clock.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { SpyOutput } from '../../src/ui/output.js';
import { commandContext } from '../helpers/command-context.js';

/**
 * The table of global options each command honours, checked against what the commands do: every
 * command it says takes `-o` prints JSON that parses with `-o json`, and every other one refuses it.
 * One incident is worked through in order, so each command has something to print.
 */
let root: string;
let sim: RunningSim;
let alertmanager: Server;
let alertmanagerUrl: string;
let incidentId = '';
let firing: object[] = [];
const clock = new FakeClock('2026-03-02T10:05:00Z');
/** For a command bounded by a deadline on the clock around a real request: the fake clock would pass it at once. */
const stalled: Clock = { now: () => clock.now(), sleep: () => new Promise<void>(() => {}) };

function context(output: SpyOutput, at: Clock, env: NodeJS.ProcessEnv): CliContext {
  return commandContext({
    env: {
      INC_HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'config'),
      INC_ACTOR: 'alice',
      KUBECONFIG: sim.kubeconfigPath,
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      ...env,
    },
    cwd: root,
    clock: at,
    output,
  });
}

async function inc(
  args: readonly string[],
  at: Clock = clock,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = new SpyOutput();
  const code = await runCli(context(output, at, env), args);
  return { code, stdout: output.stdout, stderr: output.stderr };
}

/** The JSON of stdout: one document, or one per line (`inc log`). */
function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    const lines = stdout.split('\n').filter(Boolean);
    if (lines.length < 2) throw new Error(`not JSON: ${stdout.slice(0, 200)}`);
    return lines.map((line) => JSON.parse(line) as unknown);
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'inc-global-options-'));
  execFileSync('git', ['init', '--bare', '--quiet', join(root, 'shared.git')]);
  sim = await startSim({ scenario: 'healthy', speed: 0 });
  // An Alertmanager that answers every request with the alerts firing now.
  alertmanager = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(firing)),
  );
  await new Promise<void>((done) => alertmanager.listen(0, '127.0.0.1', () => done()));
  alertmanagerUrl = `http://127.0.0.1:${(alertmanager.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await sim?.stop();
  await new Promise<void>((done) => (alertmanager ? alertmanager.close(() => done()) : done()));
  rmSync(root, { recursive: true, force: true });
});

/** A run of each command that prints a result, in the order of an incident. */
const PRINTS_JSON: readonly [string, () => string[], Clock?][] = [
  ['start', () => ['start', 'checkout errors', '-s', 'SEV2']],
  ['note', () => ['note', 'error rate 18% on checkout']],
  ['sev', () => ['sev', 'SEV1', '-r', 'every region']],
  ['role', () => ['role', 'commander', 'alice']],
  ['role', () => ['role']],
  ['ack', () => ['ack']],
  ['impact', () => ['impact', '--started', '10 minutes ago']],
  ['escalate', () => ['escalate', '--dry-run']],
  ['escalate', () => ['escalate']],
  ['status', () => ['status']],
  ['alerts', () => ['alerts', '--alertmanager', alertmanagerUrl], stalled],
  ['triage', () => ['triage', '-n', 'payments', '--check', 'pods,rollouts']],
  ['run', () => ['run', 'scale', '-n', 'shop', '--set', 'deployment=web', '--set', 'replicas=2', '--dry-run']],
  ['run', () => ['run', 'scale', '-n', 'shop', '--set', 'deployment=web', '--set', 'replicas=2', '--yes']],
  ['undo', () => ['undo', '--dry-run']],
  ['mitigated', () => ['mitigated']],
  ['playbooks', () => ['playbooks']],
  ['playbooks', () => ['playbooks', 'show', 'scale']],
  ['playbooks', () => ['playbooks', 'validate', join(process.cwd(), 'playbooks', 'scale.yaml')]],
  ['playbooks', () => ['playbooks', 'schema']],
  ['update', () => ['update', '--message', 'scaled web down']],
  ['postmortem', () => ['postmortem']],
  ['resolve', () => ['resolve', '--summary', 'scaled down']],
  ['handoff', () => ['handoff']],
  ['handoff', () => ['handoff', 'add', 'drill on Thursday']],
  ['handoff', () => ['handoff', 'list']],
  ['handoff', () => ['handoff', 'clear', '--all']],
  ['log', () => ['log']],
  ['list', () => ['list']],
  ['use', () => ['use', incidentId]],
  ['sync', () => ['sync', '--remote', join(root, 'shared.git')]],
  ['stats', () => ['stats']],
  ['demo', () => ['demo', '--list']],
  ['demo', () => ['demo', '--stop']],
];

/** A run of each command that prints text only; refused before it does anything. */
const TEXT_ONLY: readonly [string, string[]][] = [
  ['logs', ['logs', 'deployment/api', '-n', 'payments']],
  ['sim', ['sim', '--scenario', 'healthy']],
  ['completion', ['completion', 'bash']],
];

const withOutput = (honours: boolean) =>
  Object.entries(HONOURED_GLOBAL_OPTIONS)
    .filter(([, options]) => options.includes('output') === honours)
    .map(([name]) => name)
    .sort();

describe('-o json, as the table of global options says', () => {
  it('is tried on every command, the ones that take it and the ones that do not', () => {
    expect([...new Set(PRINTS_JSON.map(([name]) => name))].sort()).toEqual(withOutput(true));
    expect(TEXT_ONLY.map(([name]) => name).sort()).toEqual(withOutput(false));
  });

  it.each(PRINTS_JSON)('inc %s prints JSON that parses', async (_name, args, at) => {
    const run = await inc([...args(), '-o', 'json'], at);
    expect(run.code, run.stderr).toBe(0);
    const json = parseJson(run.stdout);
    expect(json).toBeTypeOf('object');
    if (args()[0] === 'start') incidentId = (json as { id: string }).id;
  });

  it.each(TEXT_ONLY)('inc %s refuses it (exit 2) and prints nothing', async (name, args) => {
    const run = await inc([...args, '-o', 'json']);
    expect(run.stderr).toMatch(new RegExp(`^inc: error: inc ${name} has no json output: `));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect((await inc([...args, '-o', 'markdown'])).code).toBe(2);
  });
});

describe('a setting to add is a usage error (exit 2), as the exit codes say', () => {
  it('inc alerts with no Alertmanager given or found', async () => {
    const run = await inc(['alerts'], stalled);
    expect(run.stderr).toMatch(/^inc: error: no Alertmanager given .* and none found in the cluster/);
    expect(run.code).toBe(2);
  });

  it('inc sync with no remote, inc update --post with no webhook', async () => {
    const sync = await inc(['sync'], clock, { XDG_CONFIG_HOME: join(root, 'no-config') });
    expect(sync.stderr).toMatch(/^inc: error: no sync remote is configured/);
    expect(sync.code).toBe(2);
    const post = await inc(['update', '--post', '--message', 'x']);
    expect(post.stderr).toMatch(/^inc: error: --post needs INC_SLACK_WEBHOOK/);
    expect(post.code).toBe(2);
  });

  it('inc resolve still resolves when no Alertmanager can tell whether the linked alerts fire', async () => {
    firing = [
      {
        labels: { alertname: 'HighErrorRate', severity: 'critical', namespace: 'shop' },
        annotations: { summary: 'checkout 5xx above 5%' },
        startsAt: '2026-03-02T10:00:00Z',
        fingerprint: '3f9a1c2b7d4e5f60',
        status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      },
    ];
    const started = await inc(['start', '--from-alert', 'HighErrorRate', '--alertmanager', alertmanagerUrl], stalled);
    expect(started.code, started.stderr).toBe(0);
    firing = [];
    const resolved = await inc(['resolve', '--summary', 'recovered'], stalled);
    expect(resolved.stderr).toContain('could not check the linked alerts: no Alertmanager given');
    expect(resolved.code, resolved.stderr).toBe(0);
  });
});

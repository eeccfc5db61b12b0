import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/sim/scenario.js';
import { HELM } from '../helpers/binaries.js';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

interface DemoJson {
  scenario: string;
  server: string;
  incHome: string;
  incidentId?: string;
  steps: Array<{ command: string; exitCode: number }>;
  culprit?: { kind: string; namespace?: string; name: string; reason: string; playbook: string };
  mitigated: boolean;
  culpritFixed?: boolean;
  postmortem?: string;
}

function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

describe('inc demo without a terminal', () => {
  it('lists the scenarios', async () => {
    const result = await runInc(['demo', '--list']);
    expect(result.code).toBe(0);
    for (const scenario of listScenarios()) expect(result.stdout).toContain(scenario.name);
  });

  it('refuses an unknown scenario and lists the known ones', async () => {
    const result = await runInc(['demo', '--scenario', 'nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scenario "nosuch"');
    expect(result.stderr).toContain('bad-deploy');
  });

  it('takes the scenario as its argument too, and refuses two different ones', async () => {
    const unknown = await runInc(['demo', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown scenario "nosuch"');
    const two = await runInc(['demo', 'oom', '--scenario', 'bad-deploy']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('two scenarios given: oom and --scenario bad-deploy');
    const listed = await runInc(['demo', '--list']);
    expect(listed.stderr).toContain('play one: inc demo NAME');
  });

  it('walks through bad-deploy step by step, as the user would type it', async () => {
    const result = await runInc(['demo', '--no-pause'], { env: { INC_HELM: HELM }, timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout + result.stderr;
    for (const line of [
      '$ inc start',
      '$ inc triage -A',
      '$ inc run rollback --set namespace=payments --set deployment=api --yes',
      '$ inc update',
      '$ inc resolve',
      '$ inc postmortem',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('Suspect: deployment payments/api');
    expect(text).toContain('Try next:');
    // Every check runs against the simulator: NetworkPolicies are served.
    expect(text).not.toContain('is not served by this cluster');
  });

  // Every scenario `inc demo --list` offers, those seen only in the error rate or the latency (scraped
  // from the pods) and bad-config (restored from the git repository the demo lays out) included.
  const demoScenarios = listScenarios().map((s) => s.name);
  describe.concurrent.each(demoScenarios)('scenario %s', (name) => {
    it('mitigates the planted culprit, writes the postmortem and leaves nothing running', async () => {
      const result = await runInc(['demo', name, '-o', 'json'], {
        env: { INC_HELM: HELM },
        timeoutMs: 120_000,
      });
      expect(result.code, result.stderr).toBe(0);
      const demo = JSON.parse(result.stdout) as DemoJson;
      try {
        expect(demo.scenario).toBe(name);
        for (const step of demo.steps) expect(step.exitCode, step.command).toBe(0);
        expect(demo.mitigated).toBe(true);
        if (demo.culprit) {
          expect(demo.culpritFixed).toBe(true);
          expect(demo.steps.some((step) => step.command.startsWith('inc run '))).toBe(true);
        }
        expect(demo.postmortem).toBeDefined();
        const postmortem = readFileSync(demo.postmortem!, 'utf8');
        expect(postmortem).toMatch(/^# Postmortem/m);
        const events = readFileSync(join(demo.incHome, 'incidents', demo.incidentId!, 'events.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { type: string; data: { phase?: string } });
        const types = new Set(events.map((event) => event.type));
        for (const type of ['declared', 'triage', 'update', 'resolved', 'postmortem']) expect(types).toContain(type);
        if (demo.culprit) expect(events.some((e) => e.type === 'action' && e.data.phase === 'verified')).toBe(true);
        if (demo.culprit?.reason === 'HighErrorRate') {
          // The update states the measured impact; resolve measured it back at baseline first.
          const update = events.find((e) => e.type === 'update') as { data: { text?: string } } | undefined;
          expect(update?.data.text).toMatch(/5xx ratio (2\d|3\d) % → \d(\.\d+)? %/);
        }
        if (demo.culprit?.reason === 'HighErrorRate' || demo.culprit?.reason === 'HighLatency') {
          // The postmortem links the chart of the signals, written beside it as SVG.
          expect(postmortem).toContain('](postmortem-signals.svg)');
          const svg = readFileSync(join(demo.postmortem!, '..', 'postmortem-signals.svg'), 'utf8');
          expect(svg).toMatch(/^<svg /);
          for (const text of ['5xx ratio (%)', 'p99 latency (ms)', 'declared', 'rollback', 'resolved'])
            expect(svg).toContain(`>${text}</text>`);
        }
        expect(await portClosed(demo.server)).toBe(true);
      } finally {
        await rm(demo.incHome, { recursive: true, force: true });
      }
    }, 120_000);
  });

  it('bad-config restores the ConfigMap from the git repository that holds its history, as on a real cluster', async () => {
    const result = await runInc(['demo', 'bad-config', '-o', 'json'], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const demo = JSON.parse(result.stdout) as DemoJson;
    try {
      const repo = join(demo.incHome, 'config-repo');
      expect(result.stderr).toContain(`The ConfigMaps' git repository is ${repo}`);
      const log = execFileSync('git', ['-C', repo, 'log', '--format=%s'], { encoding: 'utf8' });
      expect(log.trim().split('\n')).toEqual([
        'checkout-config: remove PAYMENTS_URL, add PAYMENTS_API_URL',
        'checkout-config: as first applied',
      ]);
      const run = demo.steps.find((step) => step.command.startsWith('inc run '));
      expect(run?.command).toBe(
        `inc run configmap-rollback --set namespace=shop --set configmap=checkout-config --set file=shop/checkout-config.yaml --set repo=${repo} --yes`,
      );
      expect(run?.exitCode).toBe(0);
      expect(demo.mitigated).toBe(true);
      expect(demo.culpritFixed).toBe(true);
    } finally {
      await rm(demo.incHome, { recursive: true, force: true });
    }
  }, 120_000);

  it('bad-config without git: stops before starting and says to install it', async () => {
    const result = await runInc(['demo', 'bad-config'], { env: { PATH: '/nonexistent' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'the bad-config scenario restores a ConfigMap from its git repository, and no git was found',
    );
    expect(result.stderr).not.toContain('The simulated cluster is up');
  });
});

describe('inc demo stopped with Ctrl-C', () => {
  it('says nothing of a triage it interrupted: never "healthy"', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'inc-demo-int-'));
    const child = spawn(process.execPath, [INC_BIN, 'demo', 'oom', '--no-pause'], {
      env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp, INC_HOME: join(tmp, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let interrupted = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // The visible triage has ended; the demo now reads triage's findings for itself: Ctrl-C amid that.
      if (/recorded in INC-/.test(out) && !interrupted) {
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      expect(out).toContain('CRITICAL');
      expect(code).not.toBe(0);
      expect(out).not.toContain('this cluster is healthy');
      expect(out).toContain('demo stopped');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});

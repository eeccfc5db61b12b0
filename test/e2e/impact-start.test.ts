import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

describe('dating the impact from what triage finds', () => {
  let w: SimWorld;
  beforeAll(async () => {
    // Speed 1: the simulated clock keeps to inc's, so the crash loop stays minutes before the declaration.
    w = await openSimWorld('bad-deploy', 1);
  });
  afterAll(async () => w.close());

  it('triage names the failure that began before the declaration; its inc impact command, pasted, dates the metrics from it', async () => {
    expectExit(await w.inc(['start', 'payments errors', '-s', 'P2']), 0);
    const triage = await w.inc(['triage', '-n', 'payments']);
    const hint = triage.stderr.match(
      /"(1\/\d pods of deployment payments\/api crash-looping since [\d:]+)" began (\d+)m(?:\d+s)? before the declaration, at ([\d:]+); if users were affected from then, date the impact: inc impact --started ([\d:]+)\n/,
    );
    expect(hint, triage.stderr).not.toBeNull();
    const [, , minutes, , argument] = hint as RegExpMatchArray;
    expect(Number(minutes)).toBeGreaterThanOrEqual(5);

    const dated = await w.inc(['impact', '--started', String(argument), '--reason', 'the crash loop triage found']);
    expectExit(dated, 0);
    expect(dated.stdout).toMatch(/: impact started [\d:]+: the crash loop triage found\n/);
    const status = JSON.parse((await w.inc(['status', '-o', 'json'])).stdout);
    const declare = status.metrics.find((metric: { key: string }) => metric.key === 'timeToDeclare');
    expect(declare.ms).toBeGreaterThanOrEqual(Number(minutes) * 60_000);
    expect(status.impactStartGiven).toBe(true);

    // Dated, the next triage says nothing more of it; the postmortem counts from it.
    expect((await w.inc(['triage', '-n', 'payments'])).stderr).not.toContain('inc impact');
    const postmortem = await w.inc(['postmortem', '--file', '-']);
    expect(postmortem.stdout).toMatch(/\| Impact started \| \d{4}-\d\d-\d\d [\d:]+ UTC \|/);
    expect(postmortem.stdout).not.toContain('not recorded; declaration time');
  });

  it('triage recorded into another incident than the current one names it in the command', async () => {
    const second = JSON.parse((await w.inc(['start', 'payments errors again', '-s', 'P2', '-o', 'json'])).stdout).id;
    expectExit(await w.inc(['start', 'something else', '-s', 'P3']), 0);
    const triage = await w.inc(['triage', '-n', 'payments', '--incident', second]);
    const command = triage.stderr.match(/date the impact: (inc impact --started [\d:]+ --incident \S+)\n/)?.[1];
    expect(command, triage.stderr).toBe(`inc impact --started ${command?.split(' ')[3]} --incident ${second}`);
    expectExit(await w.inc((command as string).split(' ').slice(1)), 0);
    expect(JSON.parse((await w.inc(['status', '--incident', second, '-o', 'json'])).stdout).impactStartGiven).toBe(
      true,
    );
    expect(JSON.parse((await w.inc(['status', '-o', 'json'])).stdout).impactStartGiven).toBe(false);
  });

  it('refuses a start after the declaration, naming it, with nothing recorded', async () => {
    const before = (await w.inc(['log', '-o', 'json'])).stdout;
    const refused = await w.inc(['impact', '--started', 'in 1 minute']);
    expectExit(refused, 2);
    // After the declaration (a moment ago), so in the past: the impact is what the declaration answers.
    const declaredAt = JSON.parse((await w.inc(['status', '-o', 'json'])).stdout).times.declaredAt;
    const late = await w.inc(['impact', '--started', new Date(Date.parse(declaredAt) + 1000).toISOString()]);
    expectExit(late, 2);
    expect(late.stderr).toMatch(
      /the impact starting at .* would be after the incident was declared .*; nothing was recorded/,
    );
    expect((await w.inc(['log', '-o', 'json'])).stdout).toBe(before);
    const missing = await w.inc(['impact']);
    expectExit(missing, 2);
    expect(missing.stderr).toContain("required option '--started <time>' not specified");
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

describe('the time-box in inc triage', () => {
  let w: SimWorld;
  beforeAll(async () => {
    w = await openSimWorld('bad-deploy');
  });
  afterAll(async () => w.close());

  it('past 30 minutes without a mitigation, triage says to roll back if unsure and names the rollback it suggests', async () => {
    // Declared 31 minutes ago (inc's clock for this one command); triage then runs on the real clock.
    const declared = new Date(Date.now() - 31 * 60_000).toISOString();
    expectExit(await w.inc(['start', 'payments errors', '-s', 'P2'], { INC_NOW: declared }), 0);
    const triage = await w.inc(['triage', '-n', 'payments']);
    expect(triage.stderr).toMatch(
      /Time-box: investigating for 3[12]m(\d\ds)? without a mitigation \(time-box 30 min\): roll back if unsure\./,
    );
    expect(triage.stderr).toContain('  inc run rollback --set namespace=payments --set deployment=api');
    // The suggestion is this triage's own: its findings name the same command.
    expect(triage.stdout).toContain('inc run rollback --set namespace=payments --set deployment=api');
  });
});

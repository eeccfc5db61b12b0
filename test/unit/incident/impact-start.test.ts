import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { DEFAULT_SEVERITIES } from '../../../src/config.js';
import { declareIncident } from '../../../src/incident/declare.js';
import { impactStartHint } from '../../../src/incident/impact-hint.js';
import { acknowledgeIncident, dateImpactStart, resolveIncident } from '../../../src/incident/lifecycle.js';
import { appendToLog, openIncidentLog, stateOf, type WriteContext } from '../../../src/incident/log.js';
import { mergeIncidentLog } from '../../../src/incident/merge.js';

let home: string;
let clock: FakeClock;
let ctx: WriteContext;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'inc-impact-'));
  clock = new FakeClock('2026-05-01T14:05:00Z');
  ctx = { env: { INC_HOME: home, INC_ACTOR: 'alice' }, clock, severities: DEFAULT_SEVERITIES };
  await declareIncident({ env: ctx.env, clock, title: 'Checkout errors', severity: 'SEV2' });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const open = () => openIncidentLog({ env: ctx.env });
const at = (time: string) => new Date(`2026-05-01T${time}Z`);
const metric = (log: Awaited<ReturnType<typeof open>>, key: string) =>
  stateOf(log, ctx).metrics.find((entry) => entry.key === key)?.ms;

describe('inc impact --started', () => {
  it('dates the impact before the declaration, and every metric counts from it', async () => {
    const log = await open();
    expect(stateOf(log, ctx).impactStartGiven).toBe(false);
    expect(metric(log, 'timeToDeclare')).toBe(0);
    const outcome = await dateImpactStart(log, ctx, { at: at('13:55:00'), reason: 'first 5xx on the dashboard' });
    expect(outcome.kind).toBe('recorded');
    const state = stateOf(log, ctx);
    expect(state.impactStartGiven).toBe(true);
    expect(state.times.impactStartedAt).toBe('2026-05-01T13:55:00.000Z');
    expect(metric(log, 'timeToDeclare')).toBe(10 * 60_000);
    clock.set('2026-05-01T14:20:00Z');
    await resolveIncident(log, ctx);
    expect(metric(log, 'timeToResolve')).toBe(25 * 60_000);
    expect(stateOf(log, ctx).elapsedMs).toBe(25 * 60_000);
  });

  it('takes a later dating over an earlier one, and says so when nothing changes', async () => {
    const log = await open();
    await dateImpactStart(log, ctx, { at: at('13:40:00') });
    clock.advance(60_000);
    await dateImpactStart(log, ctx, { at: at('13:50:00') });
    expect(stateOf(log, ctx).times.impactStartedAt).toBe('2026-05-01T13:50:00.000Z');
    const again = await dateImpactStart(log, ctx, { at: at('13:50:00') });
    expect(again).toMatchObject({ kind: 'unchanged', reason: expect.stringContaining('already dated') });
  });

  it('refuses a start after the declaration, the first alert or the acknowledgement, with nothing written', async () => {
    const log = await open();
    await expect(dateImpactStart(log, ctx, { at: at('14:06:00') })).rejects.toThrow(
      /the impact starting at .* would be after the incident was declared/,
    );
    await appendToLog(log, ctx, 'alert', {
      name: 'CheckoutErrors',
      fingerprint: 'f1',
      labels: {},
      annotations: {},
      startsAt: '2026-05-01T14:00:00.000Z',
    });
    const before = readFileSync(log.file);
    await expect(dateImpactStart(log, ctx, { at: at('14:06:00') })).rejects.toThrow(
      /would be after the first alert fired/,
    );
    await expect(dateImpactStart(log, ctx, { at: at('14:02:00') })).rejects.toThrow(
      /would be after the first alert fired/,
    );
    expect(readFileSync(log.file).equals(before)).toBe(true);
    await dateImpactStart(log, ctx, { at: at('13:59:00') });
    expect(metric(log, 'timeToDetect')).toBe(60_000);
  });

  it('still dates the impact of a resolved incident, as its postmortem is written', async () => {
    const log = await open();
    clock.set('2026-05-01T14:30:00Z');
    await acknowledgeIncident(log, ctx, { at: at('14:06:00') });
    await resolveIncident(log, ctx);
    clock.set('2026-05-02T09:00:00Z');
    expect((await dateImpactStart(log, ctx, { at: at('13:30:00') })).kind).toBe('recorded');
    expect(metric(log, 'timeToResolve')).toBe(60 * 60_000);
  });

  it("reads a teammate's dating merged from a copy of the log", async () => {
    const log = await open();
    const ours = readFileSync(log.file, 'utf8').trim();
    const theirs = `${ours}\n${JSON.stringify({
      v: 1,
      id: '01THEIRSIMPACT',
      at: '2026-05-01T14:08:00.000Z',
      type: 'impact',
      actor: 'bob',
      data: { startedAt: '2026-05-01T13:45:00.000Z', reason: 'graph' },
    })}\n`;
    const file = join(home, 'theirs.jsonl');
    writeFileSync(file, theirs);
    const merged = await mergeIncidentLog(log, file);
    expect(merged.added.map((event) => event.id)).toEqual(['01THEIRSIMPACT']);
    expect(stateOf(await open(), ctx).times.impactStartedAt).toBe('2026-05-01T13:45:00.000Z');
  });
});

describe('the impact start hint after a triage', () => {
  const declared = {
    impactStartGiven: false,
    times: { impactStartedAt: '2026-05-01T14:05:00.000Z', declaredAt: '2026-05-01T14:05:00.000Z' },
  };
  const now = Date.parse('2026-05-01T14:10:00Z');
  const crashLoop = { severity: 'critical' as const, title: 'pods crash-looping', since: '2026-05-01T13:52:30.000Z' };

  it('names the earliest critical failure dated before the declaration, as inc impact takes it', () => {
    const later = { severity: 'critical' as const, title: 'node down', since: '2026-05-01T14:00:00.000Z' };
    const warning = { severity: 'warning' as const, title: 'restarts', since: '2026-05-01T13:00:00.000Z' };
    const hint = impactStartHint(
      declared,
      [later, warning, crashLoop, { severity: 'critical', title: 'undated' }],
      now,
    );
    expect(hint).toMatchObject({
      at: '2026-05-01T13:52:30.000Z',
      title: 'pods crash-looping',
      beforeDeclarationMs: 750_000,
    });
    // The local clock time, which `inc impact --started` reads as today.
    const local = new Date(hint?.at ?? '');
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(hint?.argument).toBe(`${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`);
  });

  it('says nothing once the impact is dated, for a failure within a minute of the declaration, or of info only', () => {
    expect(impactStartHint({ ...declared, impactStartGiven: true }, [crashLoop], now)).toBeUndefined();
    const atDeclaration = { ...crashLoop, since: '2026-05-01T14:04:30.000Z' };
    expect(impactStartHint(declared, [atDeclaration], now)).toBeUndefined();
    expect(impactStartHint(declared, [{ ...crashLoop, severity: 'info' }], now)).toBeUndefined();
  });

  it("names a fleet finding's context", () => {
    expect(impactStartHint(declared, [{ ...crashLoop, context: 'eu-west' }], now)?.context).toBe('eu-west');
  });

  it('gives a failure older than a day as ISO, which reads the same on any day', () => {
    const old = { ...crashLoop, since: '2026-04-29T10:00:00.000Z' };
    expect(impactStartHint(declared, [old], now)?.argument).toBe('2026-04-29T10:00:00.000Z');
  });
});

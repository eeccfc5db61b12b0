import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { RESOURCES } from '../../../src/sim/resources.js';
import { humanDuration, renderTable, wantsTable } from '../../../src/sim/server/table.js';

const pods = RESOURCES.find((r) => r.kind === 'Pod')!;
const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('humanDuration (as kubectl prints ages)', () => {
  it.each([
    [-5000, '<invalid>'],
    [-500, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 60_000, '3h1m'],
    [30 * 3600_000, '30h'],
    [3 * 86_400_000 + 3600_000, '3d1h'],
    [400 * 86_400_000, '400d'],
  ])('%i ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('server-side tables', () => {
  it('prints a crash-looping pod as kubectl shows it', () => {
    const pod: SimObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'payments', creationTimestamp: '2026-06-01T11:50:00Z' },
      spec: { containers: [{ name: 'api' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIP: '10.0.0.7',
        containerStatuses: [
          {
            name: 'api',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-06-01T11:59:00Z' } },
          },
        ],
      },
    };
    const table = JSON.parse(renderTable(pods, [pod], { resourceVersion: '7' }, NOW));
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' } });
    expect(
      table.columnDefinitions
        .filter((c: { priority: number }) => c.priority === 0)
        .map((c: { name: string }) => c.name),
    ).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.rows[0].cells.slice(0, 7)).toEqual([
      'api-1',
      '0/1',
      'CrashLoopBackOff',
      '4 (60s ago)',
      '10m',
      '10.0.0.7',
      'node-1',
    ]);
    expect(table.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod.metadata,
    });
    expect(JSON.parse(renderTable(pods, [pod], {}, NOW, 'Object')).rows[0].object).toEqual(pod);
  });

  it('is served only when asked for, and only for kinds with a printer', () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    expect(wantsTable(accept, pods)).toBe(true);
    expect(wantsTable('application/json', pods)).toBe(false);
    expect(wantsTable(accept, RESOURCES.find((r) => r.kind === 'ServiceAccount')!)).toBe(false);
  });
});

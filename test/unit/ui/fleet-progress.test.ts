import { describe, expect, it } from 'vitest';
import { fleetWaitingText, startFleetProgress } from '../../../src/ui/fleet-progress.js';

describe('fleet progress', () => {
  it('counts what was read and names the first three contexts still awaited', () => {
    expect(fleetWaitingText(3, ['ap-south'])).toBe('2 of 3 contexts read; waiting for ap-south');
    expect(fleetWaitingText(10, ['a', 'b', 'c', 'd', 'e'])).toBe(
      '5 of 10 contexts read; waiting for a, b, c and 2 more',
    );
  });

  it('without a terminal, prints each context line as it finishes and nothing else', async () => {
    const lines: string[] = [];
    const notTerminal = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
    const progress = await startFleetProgress({
      output: { out: () => {}, err: (text) => lines.push(text) },
      contexts: ['eu-west', 'us-east'],
      stream: notTerminal,
    });
    progress.finished('us-east', 'us-east: 0 critical, 0 warning (0.1s)');
    progress.finished('eu-west', 'eu-west: 1 critical, 0 warning (0.2s)');
    progress.stop();
    expect(lines).toEqual(['us-east: 0 critical, 0 warning (0.1s)', 'eu-west: 1 critical, 0 warning (0.2s)']);
  });
});

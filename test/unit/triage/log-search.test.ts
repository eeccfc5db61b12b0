import { describe, expect, it } from 'vitest';
import { mergeLogStreams, searchLogs } from '../../../src/triage/log-search.js';

describe('log search', () => {
  it('merges streams in time order whatever the fraction length, keeping equal times in stream order', () => {
    const merged = mergeLogStreams([
      { pod: 'a', container: 'c', body: '2026-03-10T14:00:01.5Z second\n2026-03-10T14:00:03Z fourth\n' },
      {
        pod: 'b',
        container: 'c',
        body: '2026-03-10T14:00:00.999999999Z first\n2026-03-10T14:00:01.500000000Z third\n',
      },
    ]);
    expect(merged.map((line) => line.text)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('filters by the pattern on the message and counts per pod, zero included', () => {
    const result = searchLogs(
      [
        { pod: 'a', container: 'c', body: '2026-03-10T14:00:01Z ERROR x\n2026-03-10T14:00:02Z INFO y\n' },
        { pod: 'b', container: 'c', body: '2026-03-10T14:00:00Z INFO z\n' },
      ],
      /ERROR/,
    );
    expect(result.lines.map((line) => `${line.pod} ${line.text}`)).toEqual(['a ERROR x']);
    expect(result.counts).toEqual([
      { pod: 'a', matches: 1 },
      { pod: 'b', matches: 0 },
    ]);
  });
});

import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { spinnerLine } from '../../../src/ui/spinner-line.js';

describe('spinnerLine', () => {
  it('keeps a long running text on one line of a 60-column terminal, frame included', () => {
    const text = 'checking pods, events, top, rollouts, nodes, services, logs, network, signals…';
    const line = spinnerLine(text, { columns: 60 } as unknown as NodeJS.WritableStream);
    expect(line).not.toContain('\n');
    expect(stringWidth(line) + 2).toBeLessThan(60);
    expect(line.startsWith('checking pods, events')).toBe(true);
  });

  it('leaves a short text as it is, colours included, and folds line breaks', () => {
    const stream = { columns: 60 } as unknown as NodeJS.WritableStream;
    expect(spinnerLine('\u001b[36mrollout\u001b[39m 2/3', stream)).toBe('\u001b[36mrollout\u001b[39m 2/3');
    expect(spinnerLine('waiting\nfor pods', stream)).toBe('waiting for pods');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStepProgress } from '../../../src/ui/ora-step-progress.js';
import { createTheme } from '../../../src/ui/theme.js';

/** A terminal stream of a known width that keeps what is written to it. */
function terminal() {
  const writes: string[] = [];
  const stream = {
    isTTY: true,
    columns: 80,
    write: (chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    },
    on: () => stream,
    once: () => stream,
    removeListener: () => stream,
    off: () => stream,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  };
  return { stream: stream as unknown as NodeJS.WritableStream, writes };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('step progress on a terminal', () => {
  let ci: string | undefined;
  beforeEach(() => {
    ci = process.env.CI;
    delete process.env.CI;
  });
  afterEach(() => {
    if (ci !== undefined) process.env.CI = ci;
  });

  it('starts no spinner for a step that ended before the spinner was ready', async () => {
    const { stream, writes } = terminal();
    const lines: string[] = [];
    const progress = createStepProgress({
      output: { out: () => {}, err: (text) => lines.push(text) },
      theme: createTheme(false),
      interactive: true,
      stream,
    })('waiting 0s');
    progress.succeed('waited 0s');
    await sleep(300);
    expect(lines).toEqual(['✓ waited 0s']);
    expect(writes.filter((w) => w.includes('waiting 0s'))).toEqual([]);
  });
});

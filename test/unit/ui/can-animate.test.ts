import { describe, expect, it } from 'vitest';
import { canAnimate } from '../../../src/ui/can-animate.js';

const stream = (isTTY: boolean, columns?: number) => ({ isTTY, columns }) as unknown as NodeJS.WritableStream;

describe('canAnimate', () => {
  it('animates only on a terminal with a known width, outside CI and TERM=dumb', () => {
    expect(canAnimate(stream(true, 120), {})).toBe(true);
    expect(canAnimate(stream(false, 120), {})).toBe(false);
    // A pseudo-terminal without a size: a spinner would redraw forever.
    expect(canAnimate(stream(true, 0), {})).toBe(false);
    expect(canAnimate(stream(true), {})).toBe(false);
    expect(canAnimate(stream(true, 120), { CI: 'true' })).toBe(false);
    expect(canAnimate(stream(true, 120), { TERM: 'dumb' })).toBe(false);
  });
});

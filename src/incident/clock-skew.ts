/**
 * How far apart two responders' clocks may be: a moment "before" a teammate's milestone by less is
 * the same moment seen on another clock; further, it is another moment (or another incident's).
 */
export const CLOCK_SKEW_MS = 15 * 60_000;

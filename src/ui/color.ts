import { Chalk, type ChalkInstance } from 'chalk';

export interface ColorDecisionInput {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  noColorFlag: boolean;
}

/**
 * Decides once whether to colour a stream. chalk does not read NO_COLOR itself,
 * so the whole rule lives here: FORCE_COLOR wins, then --no-color, NO_COLOR, TERM=dumb, non-TTY.
 */
export function shouldUseColor({ env, isTTY, noColorFlag }: ColorDecisionInput): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function makeChalk(useColor: boolean): ChalkInstance {
  return new Chalk({ level: useColor ? 1 : 0 });
}

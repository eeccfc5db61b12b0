/**
 * Credential plugins inc stopped waiting for (a login left waiting in a browser). Such a plugin is
 * client-node's child and would hold the process open after the command is done, until it ends by
 * itself; the entry point reads this to leave at once instead.
 */
let stalled = 0;

export function noteStalledPlugin(): void {
  stalled += 1;
}

export function stalledPlugins(): number {
  return stalled;
}

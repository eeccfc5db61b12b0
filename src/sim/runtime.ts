import type { SimClock } from './clock.js';
import type { Controller } from './cluster-state.js';
import type { SimStore } from './store.js';

export interface SimRuntimeOptions {
  /** Real milliseconds between ticks (default 100); `false`: no ticks, passes only after writes and clock steps. */
  intervalMs?: number | false;
  /** Where a failing controller is reported (once per controller and message). */
  onError?: (controller: string, error: unknown) => void;
}

/**
 * Drives the controllers: every tick of real time, soon after API writes (batched), and after each step
 * of a clock fast-forward. Garbage collection runs on every pass, as the real garbage collector would.
 */
export class SimRuntime {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private started = false;
  private running = false;
  private lastEnd = 0;
  private lastDuration = 0;
  private readonly reported = new Set<string>();
  private readonly detachClock: () => void;

  constructor(
    private readonly store: SimStore,
    clock: SimClock,
    private readonly controllers: readonly Controller[],
    private readonly options: SimRuntimeOptions = {},
  ) {
    this.detachClock = clock.onStep(() => this.reconcile());
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.scheduleTick();
  }

  /**
   * Runs a pass at most `delayMs` from now. Passes are spaced by at least three times the last one's
   * duration, so however large the cluster, the API server keeps most of the event loop.
   */
  private schedule(delayMs: number): void {
    if (!this.started) return;
    const earliest = this.lastEnd + 3 * this.lastDuration;
    const at = Math.max(Date.now() + delayMs, earliest);
    if (this.timer && at >= this.dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = Number.POSITIVE_INFINITY;
        if (this.options.intervalMs === false) this.settle();
        else this.reconcile();
        this.scheduleTick();
      },
      Math.max(0, at - Date.now()),
    );
    this.timer.unref();
  }

  /** The next periodic pass, unless the runtime was asked for none (a frozen cluster has nothing to do between writes). */
  private scheduleTick(): void {
    if (this.options.intervalMs !== false) this.schedule(this.options.intervalMs ?? 100);
  }

  /** Runs every controller once, then collects garbage. Re-entrant calls (a write inside a controller) are ignored. */
  reconcile(): void {
    if (this.running) return;
    this.running = true;
    const startedAt = Date.now();
    try {
      for (const controller of this.controllers) {
        try {
          controller.reconcile(this.store);
        } catch (error) {
          this.report(controller.name, error);
        }
      }
      this.store.collectGarbage();
    } finally {
      this.running = false;
      this.lastEnd = Date.now();
      this.lastDuration = this.lastEnd - startedAt;
    }
  }

  /**
   * Runs passes until one changes nothing (at most `maxPasses`): without ticks, the chain a write starts
   * (Deployment → ReplicaSet → Pods → statuses) must finish in one go. Returns the passes run.
   */
  settle(maxPasses = 10): number {
    for (let pass = 1; pass <= maxPasses; pass++) {
      const before = this.store.resourceVersion;
      this.reconcile();
      if (this.store.resourceVersion === before) return pass;
    }
    return maxPasses;
  }

  /** Asks for a reconcile soon (after the current request is answered); many writes make one pass. */
  requestReconcile(): void {
    this.schedule(0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.started = false;
    this.detachClock();
  }

  private report(name: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const key = `${name}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.onError?.(name, error);
  }
}

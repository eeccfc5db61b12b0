import type { Controller } from './cluster-state.js';
import type { SimClock } from './clock.js';
import type { SimStore } from './store.js';

export interface SimRuntimeOptions {
  /** Real milliseconds between ticks (default 100). */
  intervalMs?: number;
  /** Where a failing controller is reported (once per controller and message). */
  onError?: (controller: string, error: unknown) => void;
}

/**
 * Drives the controllers: every tick of real time, after each API write (batched), and after each step
 * of a clock fast-forward. Garbage collection runs on every pass, as the real garbage collector would.
 */
export class SimRuntime {
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Immediate | undefined;
  private running = false;
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
    if (this.timer) return;
    this.timer = setInterval(() => this.reconcile(), this.options.intervalMs ?? 100);
    this.timer.unref();
  }

  /** Runs every controller once, then collects garbage. Re-entrant calls (a write inside a controller) are ignored. */
  reconcile(): void {
    if (this.running) return;
    this.running = true;
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
    }
  }

  /** Asks for a reconcile soon (after the current request is answered); many writes make one pass. */
  requestReconcile(): void {
    if (this.pending || !this.timer) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.reconcile();
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearImmediate(this.pending);
    this.timer = undefined;
    this.pending = undefined;
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

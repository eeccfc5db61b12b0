import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { SimClock } from './clock.js';
import { bootstrapCluster } from './cluster-bootstrap.js';
import type { ClusterState, Controller } from './cluster-state.js';
import { createControllers } from './controllers/index.js';
import { FaultInjector, type SimFaults } from './faults.js';
import { generateLoad } from './generate-load.js';
import { SIM_CONTEXT, writeKubeconfig } from './kubeconfig.js';
import { SimRuntime } from './runtime.js';
import { applyScenario, loadScenario, scenarioHistoryMs } from './scenario.js';
import { ApiServer, CLUSTER_METRICS_PATH } from './server/api-server.js';
import { SimStore } from './store.js';
import { TrafficMeter } from './traffic/meter.js';

export { SimClock } from './clock.js';
export type { SimFaults } from './faults.js';

export interface StartSimOptions {
  /** A built-in scenario name or a scenario file. */
  scenario?: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  clock?: SimClock;
  /** Simulated ms per real ms when no clock is given (default 10); 0 freezes the cluster: controllers run only after writes. */
  speed?: number;
  faults?: SimFaults;
  /** Adds this many generated pods (with their workloads and events), for benchmarks. */
  pods?: number;
  /** The kubeconfig's context (and cluster and user) name (default `inc-sim`). */
  contextName?: string;
  /** Where to write the kubeconfig (default: a file in a new temp folder, removed on stop). */
  kubeconfigPath?: string;
  /** Replaces the built-in controllers (tests of the API alone pass `[]`). */
  controllers?: readonly Controller[];
  /** Real milliseconds between watch bookmarks (default 1000). */
  bookmarkIntervalMs?: number;
  /** Reports a controller that threw (once per message); default: ignored. */
  onControllerError?: (controller: string, error: unknown) => void;
}

export interface RunningSim {
  url: string;
  /** The scrape URL of every simulated pod's application metrics (`namespace`, `pod`, `service` labels). */
  metricsUrl: string;
  kubeconfigPath: string;
  context: string;
  /** The cluster as controllers see it (also the store: `store` has the richer API). */
  state: ClusterState;
  store: SimStore;
  clock: SimClock;
  /** Fast-forwards the simulated clock, running the controllers at each step. */
  advance(ms: number, stepMs?: number): void;
  /** Runs the controllers once now. */
  reconcile(): void;
  stop(): Promise<void>;
}

/**
 * Starts the simulated cluster: store, controllers on the accelerated clock, the HTTP API on 127.0.0.1
 * and a kubeconfig (context `inc-sim`) pointing at it.
 */
export async function startSim(options: StartSimOptions = {}): Promise<RunningSim> {
  const scenario = options.scenario ? loadScenario(options.scenario) : undefined;
  // The scenario's history is played from this far back, so it ends at the real "now".
  const historyMs = scenario ? scenarioHistoryMs(scenario) : 0;
  const clock = options.clock ?? new SimClock({ speed: options.speed ?? 10, start: new Date(Date.now() - historyMs) });
  const store = new SimStore(clock);
  bootstrapCluster(store);

  const faults = new FaultInjector({ ...(scenario?.faults ?? {}), ...(options.faults ?? {}) });
  const traffic = new TrafficMeter();
  const controllers =
    options.controllers ??
    createControllers({ metrics: faults.metricsServed, traffic: { meter: traffic, rates: scenario?.traffic } });
  // A frozen cluster built here (inc sim --speed 0) has nothing to tick for; an injected clock is advanced by its test.
  const frozen = options.clock === undefined && clock.speed === 0;
  const runtime = new SimRuntime(store, clock, controllers, {
    onError: options.onControllerError,
    intervalMs: frozen ? false : undefined,
  });
  const api = new ApiServer({
    store,
    clock,
    faults,
    onWrite: () => runtime.requestReconcile(),
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    traffic,
  });

  if (scenario) applyScenario(scenario, { state: store, advance: (ms, stepMs) => clock.advance(ms, stepMs) });
  if (options.pods) generateLoad(store, options.pods);

  let port: number;
  try {
    port = await api.listen(options.port ?? 0);
  } catch (error) {
    runtime.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} on 127.0.0.1 is already in use`, {
        hint: 'choose another with --port, or leave it out to use a free one',
        cause: error,
      });
    }
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const tempDir = options.kubeconfigPath ? undefined : await mkdtemp(join(tmpdir(), 'inc-sim-'));
  const kubeconfigPath = options.kubeconfigPath ?? join(tempDir!, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, url, options.contextName ?? SIM_CONTEXT);
  if (frozen) runtime.settle();
  else runtime.reconcile();
  runtime.start();

  let stopped = false;
  return {
    url,
    metricsUrl: `${url}${CLUSTER_METRICS_PATH}`,
    kubeconfigPath,
    context: options.contextName ?? SIM_CONTEXT,
    state: store,
    store,
    clock,
    advance: (ms, stepMs) => clock.advance(ms, stepMs),
    reconcile: () => runtime.reconcile(),
    async stop() {
      if (stopped) return;
      stopped = true;
      runtime.stop();
      await api.close();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/**
 * The simulator's controllers, in the order one reconcile pass runs them: workload controllers
 * first, so a pod created in a pass is scheduled, started and counted in the same pass.
 */
import type { Controller } from '../cluster-state.js';
import type { TrafficMeter } from '../traffic/meter.js';
import type { TrafficRates } from '../traffic/profile.js';
import { trafficController } from '../traffic/traffic-controller.js';
import { argoController } from './argo.js';
import { configKeysController } from './config-keys.js';
import { cronJobController } from './cronjob.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { disruptionController } from './disruption.js';
import { endpointSliceController } from './endpoint-slices.js';
import { endpointsController } from './endpoints.js';
import { eventTtlController } from './events.js';
import { hpaController } from './hpa.js';
import { jobController } from './job.js';
import { metricsController } from './metrics.js';
import { namespaceDefaultsController } from './namespace-defaults.js';
import { nodeController } from './node.js';
import { kubeletController } from './pod.js';
import { podGcController } from './pod-gc.js';
import { replicaSetController } from './replicaset.js';
import { schedulerController } from './scheduler.js';
import { statefulSetController } from './statefulset.js';

export interface ControllerOptions {
  /** Leave metrics-server out (the scenario's `noMetrics` fault): no PodMetrics/NodeMetrics objects. */
  metrics?: boolean;
  /** Counts the Services' traffic into this meter (left out: no traffic is simulated). */
  traffic?: { meter: TrafficMeter; rates?: TrafficRates };
}

export function createControllers(options: ControllerOptions = {}): Controller[] {
  const controllers: Controller[] = [
    nodeController,
    namespaceDefaultsController,
    argoController,
    deploymentController,
    replicaSetController,
    statefulSetController,
    daemonSetController,
    configKeysController,
    cronJobController,
    jobController,
    schedulerController,
    kubeletController,
    podGcController,
    endpointsController,
    endpointSliceController,
    disruptionController,
    eventTtlController,
  ];
  if (options.metrics !== false) controllers.push(metricsController);
  // The autoscaler reads metrics-server's numbers, so it runs after them (without them it still keeps the bounds).
  controllers.push(hpaController);
  if (options.traffic) controllers.push(trafficController(options.traffic.meter, options.traffic.rates));
  return controllers;
}

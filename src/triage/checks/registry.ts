import type { CheckName } from '../types.js';
import { alertsCheck } from './alerts.js';
import type { Check } from './check.js';
import { eventsCheck } from './events.js';
import { logsCheck } from './logs.js';
import { networkCheck } from './network.js';
import { nodesCheck } from './nodes.js';
import { podsCheck } from './pods.js';
import { rolloutsCheck } from './rollouts.js';
import { servicesCheck } from './services.js';
import { signalsCheck } from './signals.js';
import { topCheck } from './top.js';

/** The checks that read the cluster snapshot, in report order; health and changes run outside it. */
export const CLUSTER_CHECKS = [
  podsCheck,
  eventsCheck,
  topCheck,
  rolloutsCheck,
  nodesCheck,
  servicesCheck,
  logsCheck,
  networkCheck,
  signalsCheck,
  alertsCheck,
] as const satisfies readonly Check[];

export function clusterCheck(name: CheckName): Check | undefined {
  return CLUSTER_CHECKS.find((check) => check.name === name);
}

import type { Alert } from './alert.js';

/** The alerts among `alerts` that have the fingerprint of one linked to the incident. */
export function stillFiring(linked: readonly { fingerprint: string }[], alerts: readonly Alert[]): Alert[] {
  const fingerprints = new Set(linked.map((entry) => entry.fingerprint));
  return alerts.filter((alert) => fingerprints.has(alert.fingerprint));
}

import { formatAge } from '../time.js';
import type { ObjectRef } from '../types.js';
import { type Alert, alertTarget, describeTarget, isFiring } from './alert.js';

/** An alert as `inc alerts` lists it (and prints with -o json). */
export interface AlertRow {
  name: string;
  /** The alert's `severity` label. */
  severity?: string;
  startsAt: string;
  age: string;
  /** What its labels point at ("service payments/api"), "-" for nothing. */
  target: string;
  workload?: ObjectRef;
  summary?: string;
  state: 'firing' | 'silenced' | 'inhibited';
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL?: string;
}

/** The rows of `inc alerts`, oldest first; ages against `nowMs`. */
export function alertRows(alerts: readonly Alert[], nowMs: number): AlertRow[] {
  return alerts.map((alert) => {
    const workload = alertTarget(alert.labels);
    return {
      name: alert.name,
      ...(alert.labels.severity ? { severity: alert.labels.severity } : {}),
      startsAt: alert.startsAt,
      age: formatAge(nowMs - Date.parse(alert.startsAt)),
      target: describeTarget(workload),
      ...(workload ? { workload } : {}),
      ...(alert.annotations.summary ? { summary: alert.annotations.summary } : {}),
      state: isFiring(alert) ? 'firing' : alert.silencedBy.length > 0 ? 'silenced' : 'inhibited',
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      annotations: alert.annotations,
      ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    };
  });
}

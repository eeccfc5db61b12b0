import type { EvidencePart } from '../incident/compressed-evidence.js';
import { summarizeHealthy } from './pod-census.js';
import { RESOURCE_KEYS, type Snapshot } from './snapshot.js';
import type { TriageReport } from './types.js';

/**
 * The evidence of one run, as parts to stream: the report, then the snapshot with every object in
 * full except the plainly healthy pods, which are summarised per shape (owner, images, count, nodes),
 * and their usage figures, kept only for pods that are in full or named by a finding.
 */
export function* triageEvidenceParts(report: TriageReport, snapshot: Snapshot): Generator<EvidencePart> {
  yield* triageEvidenceObject(report, snapshot);
  yield { text: '\n' };
}

/** `{"report":…,"snapshot":…}` of one run, without the line's end: a fleet's file holds one per context. */
export function* triageEvidenceObject(report: TriageReport, snapshot: Snapshot): Generator<EvidencePart> {
  yield { text: '{"report":' };
  yield { json: report };
  const { pods: _pods, healthyPods, podMetrics: _metrics, ...rest } = snapshot;
  const scalars = Object.entries(rest).filter(([key]) => !(RESOURCE_KEYS as readonly string[]).includes(key));
  yield { text: ',"snapshot":{' };
  let first = true;
  for (const [key, value] of scalars) {
    if (value === undefined) continue;
    yield { text: `${first ? '' : ','}${JSON.stringify(key)}:` };
    yield { json: value };
    first = false;
  }
  for (const key of RESOURCE_KEYS) {
    yield { text: `${first ? '' : ','}${JSON.stringify(key)}:[` };
    first = false;
    const items: readonly unknown[] = key === 'podMetrics' ? metricsWorthKeeping(report, snapshot) : snapshot[key];
    for (let i = 0; i < items.length; i++) {
      if (i > 0) yield { text: ',' };
      yield { json: items[i] };
    }
    yield { text: ']' };
  }
  if (healthyPods) {
    yield { text: ',"healthyPods":' };
    yield { json: summarizeHealthy(healthyPods) };
  }
  yield { text: '}}' };
}

function metricsWorthKeeping(report: TriageReport, snapshot: Snapshot): Snapshot['podMetrics'] {
  if (!snapshot.healthyPods) return snapshot.podMetrics;
  const key = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
  const wanted = new Set(snapshot.pods.map((pod) => key(pod.metadata.namespace, pod.metadata.name)));
  for (const finding of report.findings)
    for (const object of finding.objects) if (object.kind === 'Pod') wanted.add(key(object.namespace, object.name));
  return snapshot.podMetrics.filter((m) => wanted.has(key(m.metadata.namespace, m.metadata.name)));
}

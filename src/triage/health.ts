import type { Finding, HealthProbe } from './types.js';

/** A health endpoint slower than this is worth a note even when it answers 200. */
export const SLOW_MS = 2000;

/** Findings for failing, erroring or slow health endpoints. */
export function healthFindings(probes: readonly HealthProbe[]): Finding[] {
  const findings: Finding[] = [];
  for (const probe of probes) {
    const timing = describeTimings(probe);
    const ref = { kind: 'URL', name: probe.url };
    const base = { check: 'health' as const, workload: ref, objects: [ref], count: 1 };
    if (probe.error || (probe.status ?? 0) >= 500) {
      findings.push({
        ...base,
        id: `health/HealthCheckFailed/-/URL/${probe.url}`,
        severity: 'critical',
        reason: 'HealthCheckFailed',
        title: `${probe.url} ${probe.error ? `failed: ${probe.error}` : `answered ${probe.status}`}`,
        evidence: [timing, probe.body ? `body: ${probe.body}` : ''].filter(Boolean),
      });
    } else if ((probe.status ?? 0) >= 400) {
      findings.push({
        ...base,
        id: `health/HealthCheckFailed/-/URL/${probe.url}`,
        severity: 'warning',
        reason: 'HealthCheckFailed',
        title: `${probe.url} answered ${probe.status}`,
        evidence: [timing, probe.body ? `body: ${probe.body}` : ''].filter(Boolean),
      });
    } else if (probe.timings.totalMs > SLOW_MS) {
      findings.push({
        ...base,
        id: `health/HealthCheckSlow/-/URL/${probe.url}`,
        severity: 'warning',
        reason: 'HealthCheckSlow',
        title: `${probe.url} is slow: ${probe.timings.totalMs} ms`,
        evidence: [timing],
      });
    }
  }
  return findings;
}

/** "dns 3 ms, connect 1 ms, tls 12 ms, first byte 40 ms, total 41 ms", like curl -w. */
export function describeTimings(probe: HealthProbe): string {
  const t = probe.timings;
  const parts = [
    t.dnsMs === undefined ? undefined : `dns ${t.dnsMs} ms`,
    t.connectMs === undefined ? undefined : `connect ${t.connectMs} ms`,
    t.tlsMs === undefined ? undefined : `tls ${t.tlsMs} ms`,
    t.firstByteMs === undefined ? undefined : `first byte ${t.firstByteMs} ms`,
    `total ${t.totalMs} ms`,
  ];
  return parts.filter(Boolean).join(', ');
}

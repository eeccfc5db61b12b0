/**
 * What the ingress controller in front of the Services counts, as ingress-nginx exports
 * `nginx_ingress_controller_requests`: per backend Service and status. A request it forwards is
 * answered by the pod (200, or the pod's 5xx); one a NetworkPolicy drops times out on connect, and
 * nginx answers 504.
 */
export interface IngressCount {
  namespace: string;
  service: string;
  status: string;
  count: number;
}

export class IngressMeter {
  private readonly counts = new Map<string, IngressCount>();

  /** Counts `requests` (may be fractional) for the Service, answered with `status`. */
  record(namespace: string, service: string, status: string, requests: number): void {
    if (!(requests > 0)) return;
    const key = `${namespace}/${service}/${status}`;
    const entry = this.counts.get(key) ?? { namespace, service, status, count: 0 };
    entry.count += requests;
    this.counts.set(key, entry);
  }

  /** Drops the series of Services that no longer exist. */
  retain(exists: (namespace: string, service: string) => boolean): void {
    for (const [key, entry] of this.counts) if (!exists(entry.namespace, entry.service)) this.counts.delete(key);
  }

  /** The counts, by Service and status; `perRealSecond` as TrafficMeter.read takes it. */
  read(perRealSecond?: number): IngressCount[] {
    const scale = perRealSecond === undefined || !(perRealSecond > 0) ? 1 : 1 / perRealSecond;
    return [...this.counts.values()]
      .map((entry) => ({
        ...entry,
        count: perRealSecond === undefined ? Math.floor(entry.count) : entry.count * scale,
      }))
      .sort((a, b) =>
        `${a.namespace}/${a.service}/${a.status}`.localeCompare(`${b.namespace}/${b.service}/${b.status}`),
      );
  }
}

import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PROFILES,
  renderQuery,
  type SignalProfile,
  targetOf,
  templateProblem,
} from '../../../../src/triage/signals/signal-profiles.js';

const profile = (name: string) => BUILT_IN_PROFILES.find((p) => p.name === name) as SignalProfile;

describe('signal profiles', () => {
  it('render one query per signal for every workload, grouped by namespace and service', () => {
    const client = profile('client-library');
    expect(renderQuery(client.queries.errors, client, { windowSeconds: 300 })).toBe(
      'sum by (namespace, service) (rate(http_requests_total{code=~"5..", namespace!="" }[300s]))',
    );
    expect(renderQuery(client.queries.latency, client, { windowSeconds: 300, namespace: 'payments' })).toBe(
      'histogram_quantile(0.99, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{ namespace="payments" }[300s])))',
    );
  });

  it('narrow a query to some targets with one regex per label (values escaped)', () => {
    const client = profile('client-library');
    const targets = [
      { namespace: 'payments', service: 'api' },
      { namespace: 'shop', service: 'web.v2' },
    ];
    expect(renderQuery(client.queries.requests, client, { windowSeconds: 60, targets })).toBe(
      'sum by (namespace, service) (rate(http_requests_total{ namespace=~"payments|shop", service=~"api|web\\\\.v2" }[60s]))',
    );
  });

  it('put the baseline an hour long, ending where the window starts', () => {
    const client = profile('client-library');
    expect(renderQuery(client.queries.requests, client, { windowSeconds: 3600, offsetSeconds: 300 })).toBe(
      'sum by (namespace, service) (rate(http_requests_total{ namespace!="" }[3600s] offset 300s))',
    );
  });

  it('use the labels of ingress-nginx and Istio for the namespace and the target', () => {
    const nginx = profile('ingress-nginx');
    expect(renderQuery(nginx.queries.errors, nginx, { windowSeconds: 60, namespace: 'shop' })).toBe(
      'sum by (exported_namespace, service) (rate(nginx_ingress_controller_requests{status=~"5..", exported_namespace="shop" }[60s]))',
    );
    const istio = profile('istio');
    expect(renderQuery(istio.queries.latency, istio, { windowSeconds: 60 })).toContain(
      'sum by (destination_workload_namespace, destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace!="" }[60s]))',
    );
    expect(istio.latencyUnit).toBe('ms');
    expect(targetOf(istio, { destination_workload_namespace: 'shop', destination_workload: 'web' })).toEqual({
      namespace: 'shop',
      service: undefined,
      pod: undefined,
      workload: 'web',
    });
  });

  it('escape a namespace in the matcher and leave series without a namespace out', () => {
    const client = profile('client-library');
    expect(renderQuery('{{match}} {{by}}', client, { windowSeconds: 60, namespace: 'a"b' })).toBe(
      'namespace="a\\"b" namespace, service',
    );
    expect(targetOf(client, { service: 'api' })).toBeUndefined();
  });

  it('check custom templates for the placeholders the baseline and the grouping need', () => {
    expect(templateProblem('sum by ({{by}}) (rate(x[{{window}}]{{offset}}))')).toBeUndefined();
    expect(templateProblem('sum by ({{by}}) (rate(x[{{window}}]))')).toBe('missing {{offset}}');
    expect(templateProblem('sum by ({{by}}) (rate(x{ {{ns}} }[{{window}}]{{offset}}))')).toMatch(
      /unknown placeholder \{\{ns\}\}/,
    );
    for (const p of BUILT_IN_PROFILES)
      for (const t of Object.values(p.queries)) expect(templateProblem(t)).toBeUndefined();
  });
});

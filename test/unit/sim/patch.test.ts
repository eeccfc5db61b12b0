// biome-ignore-all lint/suspicious/noExplicitAny: the tests inspect patched documents freely
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from '../../../src/sim/patch/json-patch.js';
import { applyMergePatch, type Json } from '../../../src/sim/patch/merge-patch.js';
import { applyStrategicMergePatch, StrategicPatchError } from '../../../src/sim/patch/strategic-merge-patch.js';

const deployment = (): Json => ({
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'web:1',
            args: ['--a', '--b'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80, name: 'http' }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

describe('JSON merge patch', () => {
  it('merges maps, deletes on null and replaces lists', () => {
    const result = applyMergePatch(deployment(), {
      metadata: { labels: { tier: null, new: 'x' } },
      spec: { replicas: 5, template: { spec: { volumes: [] } } },
    }) as any;
    expect(result.metadata.labels).toEqual({ app: 'web', new: 'x' });
    expect(result.spec.replicas).toBe(5);
    expect(result.spec.template.spec.volumes).toEqual([]);
    expect(result.spec.template.spec.containers).toHaveLength(2);
  });

  it('does not change its inputs', () => {
    const original = deployment();
    applyMergePatch(original, { spec: { replicas: 0 } });
    expect((original as any).spec.replicas).toBe(2);
  });
});

describe('JSON patch', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const ops = parseJsonPatch([
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' },
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'C', value: '3' } },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': 'x' } },
      { op: 'copy', from: '/metadata/annotations/a~0b~1c', path: '/metadata/labels/copied' },
      { op: 'move', from: '/spec/template/spec/containers/1', path: '/spec/template/spec/containers/0' },
    ]);
    const result = applyJsonPatch(deployment(), ops) as any;
    const containers = result.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['sidecar', 'web']);
    expect(containers[1].image).toBe('web:2');
    expect(containers[1].env.map((e: any) => e.name)).toEqual(['A', 'B', 'C']);
    expect(result.metadata.labels).toEqual({ app: 'web', copied: 'x' });
  });

  it('fails on a missing path, a failed test and a bad document', () => {
    expect(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '/metadata/annotations', value: {} }])).toThrow(
      /missing path/,
    );
    expect(() => applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 3 }])).toThrow(
      JsonPatchError,
    );
    expect(() => applyJsonPatch(deployment(), [{ op: 'remove', path: '/spec/template/spec/volumes/5' }])).toThrow(
      /out of bounds/,
    );
    expect(() => parseJsonPatch({ op: 'add' })).toThrow(JsonPatchError);
    expect(() => parseJsonPatch([{ op: 'frobnicate', path: '/a' }])).toThrow(/Unexpected kind/);
  });
});

describe('strategic merge patch', () => {
  const smp = (patch: Json) => applyStrategicMergePatch(deployment(), patch) as any;
  const web = (result: any) => result.spec.template.spec.containers.find((c: any) => c.name === 'web');

  it('merges containers by name and env by name, keeping the others', () => {
    const result = smp({
      spec: {
        template: { spec: { containers: [{ name: 'web', image: 'web:2', env: [{ name: 'B', value: '20' }] }] } },
      },
    });
    expect(result.spec.template.spec.containers).toHaveLength(2);
    expect(web(result).image).toBe('web:2');
    expect(web(result).env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '20' },
    ]);
    expect(web(result).args).toEqual(['--a', '--b']);
  });

  it('appends new elements, merges ports by containerPort and volumeMounts by mountPath', () => {
    const result = smp({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090 }],
                volumeMounts: [{ mountPath: '/data', readOnly: true }],
              },
              { name: 'new', image: 'n:1' },
            ],
            volumes: [{ name: 'cache', emptyDir: {} }],
          },
        },
      },
    });
    expect(web(result).ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 9090 }]);
    expect(web(result).volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
    expect(result.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'sidecar', 'new']);
    expect(result.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['data', 'cache']);
  });

  it('merges service ports by port', () => {
    const service: Json = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const result = applyStrategicMergePatch(service, { spec: { ports: [{ port: 80, targetPort: 9000 }] } }) as any;
    expect(result.spec.ports).toEqual([{ port: 80, targetPort: 9000 }, { port: 443 }]);
  });

  it('replaces lists without a merge key (args) and deletes fields set to null', () => {
    const result = smp({
      metadata: { labels: { tier: null } },
      spec: { template: { spec: { containers: [{ name: 'web', args: ['--c'] }] } } },
    });
    expect(web(result).args).toEqual(['--c']);
    expect(result.metadata.labels).toEqual({ app: 'web' });
  });

  it('honours $patch: delete on a list element and on a map', () => {
    const result = smp({
      spec: {
        strategy: { rollingUpdate: { $patch: 'delete' } },
        template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } },
      },
    });
    expect(result.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web']);
    expect(result.spec.strategy).toEqual({ type: 'RollingUpdate' });
  });

  it('honours $patch: replace on a map and on a list', () => {
    const result = smp({
      metadata: { labels: { $patch: 'replace', only: 'this' } },
      spec: { template: { spec: { volumes: [{ $patch: 'replace' }, { name: 'fresh', emptyDir: {} }] } } },
    });
    expect(result.metadata.labels).toEqual({ only: 'this' });
    expect(result.spec.template.spec.volumes).toEqual([{ name: 'fresh', emptyDir: {} }]);
  });

  it('honours $retainKeys (switching a strategy to Recreate drops rollingUpdate)', () => {
    const result = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('honours $setElementOrder and $deleteFromPrimitiveList', () => {
    const result = smp({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['b'] },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [{ name: 'web', image: 'web:3' }],
          },
        },
      },
    });
    expect(result.metadata.finalizers).toEqual(['b']);
    expect(result.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['sidecar', 'web']);
    expect(web(result).image).toBe('web:3');
  });

  it('unions merged primitive lists (finalizers) and strips directives from new elements', () => {
    const result = smp({
      metadata: { finalizers: ['a', 'z'] },
      spec: { template: { spec: { containers: [{ name: 'x', env: [{ name: 'E', value: '1', $patch: 'merge' }] }] } } },
    });
    expect(result.metadata.finalizers).toEqual(['a', 'z']);
    expect(result.spec.template.spec.containers[2]).toEqual({ name: 'x', env: [{ name: 'E', value: '1' }] });
  });

  it('rejects malformed directives', () => {
    expect(() => smp({ metadata: { $patch: 'explode' } })).toThrow(StrategicPatchError);
    expect(() => smp({ spec: { strategy: { $retainKeys: 'type' } } })).toThrow(StrategicPatchError);
    expect(() => applyStrategicMergePatch({}, [] as Json)).toThrow(StrategicPatchError);
  });
});

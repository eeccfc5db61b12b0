/** A ConfigMap or Secret a pod template reads, by kind and name (in the pod's namespace). */
export interface ConfigRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
}

type Dict = Record<string, unknown>;

/** The ConfigMaps and Secrets a pod template reads, by kind and name. */
export function configRefsOf(template: { spec?: unknown } | undefined): ConfigRef[] {
  const refs = new Map<string, ConfigRef>();
  const add = (kind: ConfigRef['kind'], name: unknown) => {
    if (typeof name === 'string' && name) refs.set(`${kind}/${name}`, { kind, name });
  };
  const spec = (template?.spec ?? {}) as Dict;
  const containers = [...((spec.containers as Dict[]) ?? []), ...((spec.initContainers as Dict[]) ?? [])];
  for (const container of containers) {
    for (const env of (container.env as Dict[] | undefined) ?? []) {
      const from = env.valueFrom as Dict | undefined;
      add('ConfigMap', (from?.configMapKeyRef as Dict | undefined)?.name);
      add('Secret', (from?.secretKeyRef as Dict | undefined)?.name);
    }
    for (const source of (container.envFrom as Dict[] | undefined) ?? []) {
      add('ConfigMap', (source.configMapRef as Dict | undefined)?.name);
      add('Secret', (source.secretRef as Dict | undefined)?.name);
    }
  }
  for (const volume of (spec.volumes as Dict[] | undefined) ?? []) {
    add('ConfigMap', (volume.configMap as Dict | undefined)?.name);
    add('Secret', (volume.secret as Dict | undefined)?.secretName);
    for (const source of ((volume.projected as Dict | undefined)?.sources as Dict[] | undefined) ?? []) {
      add('ConfigMap', (source.configMap as Dict | undefined)?.name);
      add('Secret', (source.secret as Dict | undefined)?.name);
    }
  }
  return [...refs.values()];
}

/** `inc run scale` for a deployment of payments, with the extra arguments given. */
export function scaleArgs(deployment: string, replicas: string, ...extra: string[]): string[] {
  return [
    'run',
    'scale',
    '--set',
    'namespace=payments',
    '--set',
    `deployment=${deployment}`,
    '--set',
    `replicas=${replicas}`,
    ...extra,
  ];
}

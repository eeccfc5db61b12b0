import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { askParamWith, inferParamWith } from '../../../src/playbooks/ask-param.js';
import { parseParamValue, resolveParams } from '../../../src/playbooks/params.js';
import { renderStepWith, renderTemplate, shouldRun } from '../../../src/playbooks/render-with.js';
import { type Playbook, type PlaybookParam, paramSchema } from '../../../src/playbooks/schema.js';
import { ScriptedPrompter } from '../../../src/prompter.js';

const param = (p: Partial<PlaybookParam> & { name: string }): PlaybookParam => paramSchema.parse(p);

const playbook: Playbook = {
  apiVersion: 'inc/v1',
  kind: 'Playbook',
  metadata: { name: 'scale', title: 'Scale' },
  params: [
    param({ name: 'namespace', format: 'dns1123-label', required: true }),
    param({ name: 'deployment', format: 'dns1123', required: true, choicesFrom: 'deployments' }),
    param({ name: 'replicas', type: 'integer', min: 0, required: true }),
    param({ name: 'timeout', type: 'duration', default: '5m' }),
  ],
  steps: [
    {
      id: 'scale',
      action: 'scale',
      with: {
        namespace: '{{namespace}}',
        deployment: '{{deployment}}',
        replicas: '{{replicas}}',
        currentReplicas: '{{current}}',
      },
    },
  ],
};

describe('parameters', () => {
  it('refuses names that are not DNS-1123, including shell text', () => {
    const name = param({ name: 'deployment', format: 'dns1123' });
    for (const bad of ['shop;rm -rf /', 'API', '../etc', 'a b', '$(reboot)', '-api', 'api\nevil']) {
      expect(() => parseParamValue(name, bad), bad).toThrow(UsageError);
    }
    expect(parseParamValue(name, 'api.v2-canary')).toBe('api.v2-canary');
  });

  it('types integers, booleans, durations and enums', () => {
    expect(parseParamValue(param({ name: 'r', type: 'integer', min: 0 }), '3')).toBe(3);
    expect(() => parseParamValue(param({ name: 'r', type: 'integer', min: 0 }), '-1')).toThrow('an integer ≥ 0');
    expect(() => parseParamValue(param({ name: 'r', type: 'integer' }), '3;reboot')).toThrow('is not an integer');
    expect(parseParamValue(param({ name: 'b', type: 'boolean' }), 'yes')).toBe(true);
    expect(parseParamValue(param({ name: 'd', type: 'duration' }), '1h30m')).toBe('1h30m');
    expect(() => parseParamValue(param({ name: 'd', type: 'duration' }), 'forever')).toThrow('a duration');
    expect(() => parseParamValue(param({ name: 'e', type: 'enum', values: ['on', 'off'] }), 'maybe')).toThrow(
      'one of: on, off',
    );
  });

  it('resolves --set values, defaults and the namespace from the context', async () => {
    const values = await resolveParams({
      playbook,
      sets: ['deployment=api', 'replicas=4'],
      defaultNamespace: 'payments',
    });
    expect(values).toEqual({ namespace: 'payments', deployment: 'api', replicas: 4, timeout: '5m' });
  });

  it("takes the config's values over the playbook's defaults, --set over both, and checks them as --set values", async () => {
    const configured = { replicas: 6, timeout: '10m', deployment: 'web' };
    const values = await resolveParams({
      playbook,
      sets: ['deployment=api'],
      defaultNamespace: 'payments',
      configured,
    });
    expect(values).toEqual({ namespace: 'payments', deployment: 'api', replicas: 6, timeout: '10m' });
    await expect(
      resolveParams({ playbook, sets: [], defaultNamespace: 'payments', configured: { replica: 3 } }),
    ).rejects.toThrow('playbookDefaults.scale.replica in the config: playbook scale has no parameter "replica"');
    await expect(
      resolveParams({ playbook, sets: [], defaultNamespace: 'payments', configured: { replicas: -1 } }),
    ).rejects.toThrow('playbookDefaults.scale.replicas in the config: invalid value for parameter "replicas"');
  });

  it('names the known parameters for an unknown --set key and the missing ones without a terminal', async () => {
    await expect(resolveParams({ playbook, sets: ['replica=4'] })).rejects.toThrow(
      'playbook scale has no parameter "replica"',
    );
    await expect(resolveParams({ playbook, sets: ['replica=4'] })).rejects.toMatchObject({
      hint: 'parameters: namespace, deployment, replicas, timeout',
    });
    await expect(resolveParams({ playbook, sets: [], defaultNamespace: 'payments' })).rejects.toThrow(
      'playbook scale needs "deployment", "replicas"',
    );
  });

  it('asks for missing ones on a terminal, offering the cluster objects as choices', async () => {
    const prompter = new ScriptedPrompter(['web', 'x', true, '5']);
    const ask = askParamWith(prompter, async (source, values) =>
      source === 'deployments' && values.namespace === 'shop' ? ['api', 'web'] : [],
    );
    const values = await resolveParams({ playbook, sets: [], defaultNamespace: 'shop', ask });
    expect(values).toMatchObject({ namespace: 'shop', deployment: 'web', replicas: 5 });
    // "x" was not an integer: it asked whether to try again, then took 5.
    expect(prompter.asked).toHaveLength(4);
  });
});

describe('parameter prompts against the cluster', () => {
  const pin: Playbook = {
    ...playbook,
    metadata: { name: 'pin-image', title: 'Pin' },
    params: [
      param({ name: 'deployment', format: 'dns1123', required: true, choicesFrom: 'deployments' }),
      param({ name: 'container', format: 'dns1123-label', required: true, choicesFrom: 'containers' }),
      param({ name: 'namespace', format: 'dns1123-label', required: true }),
    ],
  };
  const cluster: Record<string, Record<string, string[]>> = {
    default: {},
    payments: { api: ['api', 'proxy'] },
    shop: { web: ['web'] },
  };
  const lister = async (source: string, values: Readonly<Record<string, unknown>>) => {
    const ns = cluster[String(values.namespace)] ?? {};
    if (source === 'namespaces') return Object.keys(cluster).sort();
    if (source === 'deployments') return Object.keys(ns);
    if (source === 'containers') return ns[String(values.deployment)] ?? [];
    return [];
  };

  it('asks the namespace first (the context’s offered first), then the deployment, and takes the only container', async () => {
    const prompter = new ScriptedPrompter(['shop', 'web']);
    const said: string[] = [];
    const checked: string[] = [];
    const values = await resolveParams({
      playbook: pin,
      sets: [],
      ask: askParamWith(prompter, lister, 'payments'),
      infer: inferParamWith(lister, (line) => said.push(line)),
      check: async (p, v) => {
        checked.push(`${p.name}=${v[p.name]}`);
      },
    });
    expect(values).toEqual({ namespace: 'shop', deployment: 'web', container: 'web' });
    expect(prompter.asked).toEqual(['namespace', 'deployment']);
    expect(said).toEqual(['container: web (the only container)']);
    // Each value is checked as soon as it is known, in the order asked.
    expect(checked).toEqual(['namespace=shop', 'deployment=web', 'container=web']);
  });

  it('offers the context’s namespace first (Enter takes it), and asks for a container when there are several', async () => {
    const offered: string[][] = [];
    const prompter = new ScriptedPrompter([]);
    prompter.choose = async (_message, choices) => {
      offered.push(choices.map((c) => c.name));
      return (offered.length === 1 ? choices[0]?.value : choices.at(-1)?.value) as never;
    };
    const said: string[] = [];
    const values = await resolveParams({
      playbook: pin,
      sets: ['deployment=api'],
      ask: askParamWith(prompter, lister, 'payments'),
      infer: inferParamWith(lister, (line) => said.push(line)),
    });
    expect(offered).toEqual([
      ["payments (the context's namespace)", 'default', 'shop'],
      ['api', 'proxy'],
    ]);
    expect(values).toEqual({ namespace: 'payments', deployment: 'api', container: 'proxy' });
    expect(said).toEqual([]);
  });

  it('without a terminal: a wrong target is reported before a missing parameter, and one container is no question', async () => {
    const check = async (p: PlaybookParam, v: Readonly<Record<string, unknown>>) => {
      if (p.name === 'deployment' && !cluster[String(v.namespace)]?.[String(v.deployment)]) {
        throw new UsageError(`deployment "${v.deployment}" not found`);
      }
    };
    const infer = inferParamWith(lister, () => undefined);
    await expect(
      resolveParams({ playbook: pin, sets: ['deployment=web'], defaultNamespace: 'default', infer, check }),
    ).rejects.toThrow('deployment "web" not found');
    await expect(
      resolveParams({ playbook: pin, sets: ['deployment=api'], defaultNamespace: 'payments', infer, check }),
    ).rejects.toThrow('playbook pin-image needs "container"');
    expect(
      await resolveParams({ playbook: pin, sets: ['deployment=web'], defaultNamespace: 'shop', infer, check }),
    ).toEqual({ namespace: 'shop', deployment: 'web', container: 'web' });
  });
});

describe('templating', () => {
  it('keeps a whole-field reference typed and drops unset ones; never evaluates', () => {
    expect(
      renderTemplate({ replicas: '{{replicas}}', other: '{{unset}}', text: 'to {{replicas}} now' }, { replicas: 4 }),
    ).toEqual({
      replicas: 4,
      text: 'to 4 now',
    });
    expect(renderTemplate(['run', '{{cmd}}'], { cmd: '$(reboot); rm -rf /' })).toEqual(['run', '$(reboot); rm -rf /']);
  });

  it('validates the rendered values against the action before anything runs', () => {
    const step = playbook.steps[0]!;
    expect(renderStepWith(step, { namespace: 'payments', deployment: 'api', replicas: 2 })).toEqual({
      namespace: 'payments',
      deployment: 'api',
      replicas: 2,
    });
    expect(() => renderStepWith(step, { namespace: 'payments', deployment: 'API!', replicas: 2 })).toThrow(
      'step "scale" (scale): deployment: must be a DNS-1123 name',
    );
  });

  it('evaluates when as a templated flag', () => {
    const step = { ...playbook.steps[0]!, when: '{{enabled}}' };
    expect(shouldRun(step, { enabled: true })).toBe(true);
    expect(shouldRun(step, { enabled: false })).toBe(false);
    expect(shouldRun(step, {})).toBe(false);
  });
});

describe('workload aliases: --set statefulset=NAME', () => {
  const workloads: Playbook = {
    ...playbook,
    params: [
      param({ name: 'namespace', required: true }),
      param({ name: 'deployment', format: 'dns1123', required: true, choicesFrom: 'workloads' }),
      param({ name: 'kind', type: 'enum', values: ['deployment', 'statefulset'], default: 'deployment' }),
      param({ name: 'statefulset', format: 'dns1123', aliasOf: 'deployment', implies: { kind: 'statefulset' } }),
    ],
  };

  it('stands for the parameter it aliases and sets the kind it implies', async () => {
    const values = await resolveParams({ playbook: workloads, sets: ['statefulset=db'], defaultNamespace: 'data' });
    expect(values).toMatchObject({ namespace: 'data', deployment: 'db', kind: 'statefulset' });
    const plain = await resolveParams({ playbook: workloads, sets: ['deployment=api'], defaultNamespace: 'data' });
    expect(plain).toMatchObject({ deployment: 'api', kind: 'deployment' });
    const both = await resolveParams({
      playbook: workloads,
      sets: ['kind=statefulset', 'statefulset=db'],
      defaultNamespace: 'data',
    });
    expect(both).toMatchObject({ deployment: 'db', kind: 'statefulset' });
  });

  it('refuses an alias given with a different value of what it stands for', async () => {
    await expect(
      resolveParams({ playbook: workloads, sets: ['statefulset=db', 'deployment=api'], defaultNamespace: 'x' }),
    ).rejects.toThrow('--set statefulset=db means deployment=db, but deployment=api was given too');
    await expect(
      resolveParams({ playbook: workloads, sets: ['statefulset=db', 'kind=deployment'], defaultNamespace: 'x' }),
    ).rejects.toThrow('means kind=statefulset, but kind=deployment was given too');
  });

  it('names the aliases when the workload is missing', async () => {
    await expect(resolveParams({ playbook: workloads, sets: [], defaultNamespace: 'x' })).rejects.toMatchObject({
      hint: 'pass --set deployment=… (or --set statefulset=…) (or run it in a terminal to be asked)',
    });
  });
});

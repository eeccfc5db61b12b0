import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { askParamWith } from '../../../src/playbooks/ask-param.js';
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
    const ask = askParamWith(prompter, async (source, namespace) =>
      source === 'deployments' && namespace === 'shop' ? ['api', 'web'] : [],
    );
    const values = await resolveParams({ playbook, sets: [], defaultNamespace: 'shop', ask });
    expect(values).toMatchObject({ namespace: 'shop', deployment: 'web', replicas: 5 });
    // "x" was not an integer: it asked whether to try again, then took 5.
    expect(prompter.asked).toHaveLength(4);
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

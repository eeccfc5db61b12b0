import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { ConfirmationNeededError, IncError, InterruptedError } from '../../../src/errors.js';
import type { ActionContext, ActionPlan, MutatingAction, ReadAction } from '../../../src/playbooks/action-types.js';
import { type RunObserver, runPlaybook } from '../../../src/playbooks/engine.js';
import type { Playbook } from '../../../src/playbooks/schema.js';
import { NonInteractivePrompter, type Prompter, ScriptedPrompter } from '../../../src/prompter.js';

class SpyRecorder {
  readonly incidentId = 'INC-20260101-0000-test';
  readonly events: { type: string; data: Record<string, unknown> }[] = [];
  async record(type: string, data: Record<string, unknown>) {
    this.events.push({ type, data: data as Record<string, unknown> });
    return {};
  }
  phases() {
    return this.events.filter((e) => e.type === 'action').map((e) => `${e.data.step}:${e.data.phase}`);
  }
}

/** A fake scale action over an in-memory replica count. */
function fakeScale(
  cluster: { replicas: number },
  calls: string[],
  options: { failApply?: boolean } = {},
): MutatingAction<'scale'> {
  return {
    name: 'scale',
    description: 'fake scale',
    mutating: true,
    async plan(_ctx, w) {
      calls.push(`plan ${w.replicas}`);
      const plan: ActionPlan = {
        action: 'scale',
        summary: `scale ${w.deployment} from ${cluster.replicas} to ${w.replicas}`,
        target: { kind: 'Deployment', namespace: w.namespace, name: w.deployment },
        namespace: w.namespace,
        before: { 'spec.replicas': cluster.replicas },
        after: { 'spec.replicas': w.replicas },
        diff: [],
        dryRun: 'passed',
        inverse: {
          action: 'scale',
          with: { namespace: w.namespace, deployment: w.deployment, replicas: cluster.replicas },
        },
      };
      return plan;
    },
    async apply(_ctx, _plan, w) {
      calls.push(`apply ${w.replicas}`);
      if (options.failApply) throw new IncError('the API server said no');
      cluster.replicas = w.replicas;
      return { message: 'scaled' };
    },
    async verify() {
      calls.push('verify');
      return 'replicas ready';
    },
  };
}

const note: ReadAction<'note'> = {
  name: 'note',
  description: 'fake note',
  mutating: false,
  run: async (_c, w) => [w.text],
};

const playbook: Playbook = {
  apiVersion: 'inc/v1',
  kind: 'Playbook',
  metadata: { name: 'two-scales', title: 'Two scales' },
  params: [],
  steps: [
    { id: 'first', action: 'scale', with: { namespace: 'payments', deployment: 'api', replicas: 5 } },
    { id: 'say', action: 'note', with: { text: 'between' } },
    { id: 'second', action: 'scale', with: { namespace: 'payments', deployment: 'api', replicas: 6 } },
  ],
};

const quietObserver: RunObserver = {
  banner: () => {},
  stepStarted: () => {},
  plan: () => {},
  lines: () => {},
  warn: () => {},
};

function setup(options: { prompter?: Prompter; context?: string; failApply?: boolean; abortAfter?: string } = {}) {
  const cluster = { replicas: 3 };
  const calls: string[] = [];
  const recorder = new SpyRecorder();
  const abort = new AbortController();
  let ids = 0;
  const ctx = {
    kube: async () => {
      throw new Error('the fake actions never open the cluster');
    },
    cluster: async () => ({
      context: options.context ?? 'staging',
      cluster: 'c1',
      server: 'https://k',
      namespace: 'payments',
    }),
    env: {},
    clock: new FakeClock(),
    signal: abort.signal,
    prompter: options.prompter ?? new ScriptedPrompter([]),
    progress: () => ({ update: () => {}, succeed: () => {}, fail: () => {} }),
    recorder,
    runProcess: async () => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false }),
    actor: 'tester',
    yes: false,
    info: () => {},
  } satisfies ActionContext;
  const observer: RunObserver = {
    ...quietObserver,
    stepStarted: (step) => {
      if (step.id === options.abortAfter) abort.abort(new Error('interrupted'));
    },
  };
  const input = {
    playbook,
    params: {},
    dryRun: false,
    yes: false,
    interactive: true,
    protectedContexts: ['prod'],
    ctx,
    observer,
    newId: () => `A${++ids}`,
    actions: { scale: fakeScale(cluster, calls, options), note },
  };
  return { cluster, calls, recorder, input };
}

describe('runPlaybook', () => {
  it('plans, confirms, applies, verifies and records each change with its inverse', async () => {
    const prompter = new ScriptedPrompter([true, true]);
    const { cluster, calls, recorder, input } = setup({ prompter });
    const result = await runPlaybook(input);
    expect(cluster.replicas).toBe(6);
    expect(calls).toEqual(['plan 5', 'apply 5', 'verify', 'plan 6', 'apply 6', 'verify']);
    expect(prompter.asked).toEqual(['Apply: scale api from 3 to 5?', 'Apply: scale api from 5 to 6?']);
    expect(recorder.phases()).toEqual([
      'first:planned',
      'first:applied',
      'first:verified',
      'second:planned',
      'second:applied',
      'second:verified',
    ]);
    const applied = recorder.events.find((e) => e.data.phase === 'applied')!.data;
    expect(applied).toMatchObject({
      actionId: 'A1',
      playbook: 'two-scales',
      action: 'scale',
      context: 'staging',
      before: { 'spec.replicas': 3 },
      inverse: { action: 'scale', with: { replicas: 3 } },
    });
    expect(result.steps.map((s) => s.status)).toEqual(['verified', 'done', 'verified']);
  });

  it('stops at a declined confirmation with nothing applied by that step', async () => {
    const { cluster, calls, recorder, input } = setup({ prompter: new ScriptedPrompter([false]) });
    await expect(runPlaybook(input)).rejects.toThrow('stopped at step "first": not confirmed');
    expect(cluster.replicas).toBe(3);
    expect(calls).toEqual(['plan 5']);
    expect(recorder.phases()).toEqual(['first:planned', 'first:stopped']);
  });

  it('needs the context name typed on a protected context', async () => {
    const wrong = setup({ context: 'prod-eu', prompter: new ScriptedPrompter(['prod']) });
    await expect(runPlaybook(wrong.input)).rejects.toThrow('the context name was not typed');
    expect(wrong.cluster.replicas).toBe(3);

    const right = setup({ context: 'prod-eu', prompter: new ScriptedPrompter(['prod-eu', 'prod-eu']) });
    await runPlaybook(right.input);
    expect(right.cluster.replicas).toBe(6);
  });

  it('refuses without a terminal and without --yes before planning anything', async () => {
    const { calls, recorder, input } = setup({ prompter: new NonInteractivePrompter('inc run') });
    await expect(runPlaybook({ ...input, interactive: false })).rejects.toBeInstanceOf(ConfirmationNeededError);
    expect(calls).toEqual([]);
    expect(recorder.events).toEqual([]);
  });

  it('--yes applies without asking; --dry-run plans every step and applies none', async () => {
    const yes = setup({ prompter: new NonInteractivePrompter('inc run') });
    await runPlaybook({ ...yes.input, interactive: false, yes: true });
    expect(yes.cluster.replicas).toBe(6);

    const dry = setup({ prompter: new NonInteractivePrompter('inc run') });
    const result = await runPlaybook({ ...dry.input, interactive: false, dryRun: true });
    expect(dry.cluster.replicas).toBe(3);
    expect(dry.calls).toEqual(['plan 5', 'plan 6']);
    expect(result.status).toBe('planned');
    expect(dry.recorder.events.every((e) => e.data.phase === 'planned' && e.data.dryRun === true)).toBe(true);
  });

  it("refuses a later step's invalid timeout before the first change", async () => {
    const { cluster, calls, recorder, input } = setup();
    const steps = [playbook.steps[0]!, { ...playbook.steps[2]!, timeout: '{{wait}}' }];
    const run = runPlaybook({ ...input, yes: true, params: { wait: '5x' }, playbook: { ...playbook, steps } });
    await expect(run).rejects.toThrow('step "second" (scale): invalid timeout "5x"');
    expect(cluster.replicas).toBe(3);
    expect(calls).toEqual([]);
    expect(recorder.events).toEqual([]);
  });

  it('stops when Ctrl-C cuts a triage step short, rather than report its verdict', async () => {
    const { input } = setup();
    const abort = new AbortController();
    const ctx = { ...input.ctx, signal: abort.signal };
    const cutShort: ReadAction<'triage'> = {
      name: 'triage',
      description: 'fake triage',
      mutating: false,
      run: async () => {
        abort.abort(new Error('interrupted'));
        return ['triage: no critical findings remain', 'signals not measured: interrupted'];
      },
    };
    const steps = [playbook.steps[0]!, { id: 'check', action: 'triage' as const, with: {} }];
    const run = runPlaybook({
      ...input,
      ctx,
      yes: true,
      playbook: { ...playbook, steps },
      actions: { ...input.actions, triage: cutShort },
    });
    await expect(run).rejects.toThrow('stopped during step "check"; 1 change(s) had been applied');
  });

  it('records a failed apply and rethrows it', async () => {
    const { recorder, input } = setup({ failApply: true });
    await expect(runPlaybook({ ...input, yes: true })).rejects.toThrow('the API server said no');
    expect(recorder.phases()).toEqual(['first:planned', 'first:failed']);
    expect(recorder.events.at(-1)?.data.error).toBe('the API server said no');
  });

  it('stops cleanly between steps on Ctrl-C and records where', async () => {
    const { cluster, recorder, input } = setup({ abortAfter: 'say' });
    const run = runPlaybook({ ...input, yes: true });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    await expect(run).rejects.toThrow('stopped before step "second"; 1 change(s) had been applied');
    expect(cluster.replicas).toBe(5);
    const stopped = recorder.events.at(-1)!.data;
    expect(stopped).toMatchObject({
      phase: 'stopped',
      step: 'second',
      action: 'scale',
      target: { kind: 'Deployment', name: 'api' },
    });
  });
});

import type { Clock } from '../clock.js';
import type { ActingAs } from '../incident/acting-as.js';
import type { KubeAccess } from '../kube/access.js';
import type { ActionName, ActionWith } from './action-with.js';
import type { MutationPlan } from './k8s/mutation.js';
import type { ActionRecorder, PriorChange, Progress, Prompter, SilenceApi } from './ports.js';

/** The cluster a run acts on, as the banner shows it. */
export interface ClusterInfo {
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  /** Whom changes act as when the kubeconfig or --as impersonates (a break-glass identity). */
  actingAs?: ActingAs;
}

/** Runs triage for a namespace and says whether a workload is still failing. Wired from src/triage. */
export type TriageCheck = (options: {
  namespace?: string;
  workload?: string;
}) => Promise<{ healthy: boolean; lines: string[] }>;

/** Runs a program with an argument array (no shell). */
export type ProcessRunner = (
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number; signal?: AbortSignal; cwd?: string; env?: NodeJS.ProcessEnv },
) => Promise<{ exitCode: number | undefined; stdout: string; stderr: string; timedOut: boolean; startError?: string }>;

/** An alert linked to the current incident, as its log records it. */
export interface LinkedAlert {
  name: string;
  fingerprint: string;
  labels: Record<string, string>;
}

/** Everything an action may use. Kubernetes is opened lazily: note, wait, http and exec never touch it. */
export interface ActionContext {
  kube(): Promise<KubeAccess & { serverNow?(): Date }>;
  cluster(): Promise<ClusterInfo>;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  prompter: Prompter;
  progress(title: string): Progress;
  recorder: ActionRecorder;
  runProcess: ProcessRunner;
  triage?: TriageCheck;
  /** The changes already applied in the current incident and not undone (none without an incident). */
  priorChanges?: () => Promise<readonly PriorChange[]>;
  /** The Alertmanager silences go to (given, configured or found in the cluster); opened when a step needs it. */
  alertmanager?: () => Promise<SilenceApi>;
  /** The alerts linked to the current incident (none without an incident). */
  incidentAlerts?: () => Promise<readonly LinkedAlert[]>;
  /**
   * In a dry run, the plans of the run's earlier steps, none of them applied: a step whose change
   * depends on theirs (the pod a rollback leaves stuck) previews it as if they had been.
   */
  plannedEarlier?: () => readonly ActionPlan[];
  /** Whether a person is at a terminal to answer a question that even --yes does not answer. */
  interactive?: boolean;
  /** helm flags: --kube-context / --kubeconfig. */
  kubeconfigPath?: string;
  /** The kubeconfig files the run's cluster was read from, for the programs an `exec` step runs. */
  kubeconfigFiles?: () => Promise<readonly string[]>;
  /** Who acts, for Argo CD's operation.initiatedBy and the log. */
  actor: string;
  yes: boolean;
  info(text: string): void;
}

/**
 * An action bound to its step's validated `with` values. The engine runs steps of every action in
 * one loop; binding each definition to its own input here, where both still carry the action's
 * name in their type, lets the engine call it without losing that type.
 */
export type BoundAction =
  | { mutating: false; run(ctx: ActionContext): Promise<string[]> }
  | {
      mutating: true;
      defaultTimeout?: string;
      plan(ctx: ActionContext): Promise<ActionPlan>;
      apply(ctx: ActionContext, plan: ActionPlan): Promise<ApplyResult>;
      verify?(ctx: ActionContext, plan: ActionPlan, timeoutMs: number): Promise<string>;
      /** The changes a step stands for, found when it runs (see MutatingAction.expand). */
      expand?(ctx: ActionContext): Promise<ExpandedStep[]>;
    };

/** One of the changes an expanding step stands for: its action, bound to its values. */
export interface ExpandedStep {
  action: ActionName;
  with: Record<string, unknown>;
  bound: BoundAction;
}

/** A planned change, serialisable: shown, dry-run on the server, then applied and recorded. */
export interface ActionPlan {
  action: ActionName;
  summary: string;
  target: { kind: string; namespace?: string; name: string };
  namespace?: string;
  before?: Record<string, unknown>;
  /** The object's fields as the server's dry run says they will be. */
  after?: Record<string, unknown>;
  diff: string[];
  dryRun: 'passed' | 'not-applicable';
  resourceVersion?: string;
  inverse?: { action: string; with: Record<string, unknown>; summary?: string };
  /** Why there is no inverse, said plainly in the plan and recorded (a deleted Node cannot be put back). */
  irreversible?: string;
  skip?: string;
  warnings?: string[];
  /** What apply needs: the exact request or the helm arguments. */
  mutation?: MutationPlan;
  detail?: Record<string, unknown>;
}

export interface ApplyResult {
  message: string;
  after?: Record<string, unknown>;
}

export interface ReadAction<N extends ActionName> {
  name: N;
  description: string;
  mutating: false;
  run(ctx: ActionContext, w: ActionWith<N>): Promise<string[]>;
}

export interface MutatingAction<N extends ActionName> {
  name: N;
  description: string;
  mutating: true;
  /** Reads, computes the change, and dry-runs it on the server; throws when it must not go ahead. */
  plan(ctx: ActionContext, w: ActionWith<N>): Promise<ActionPlan>;
  apply(ctx: ActionContext, plan: ActionPlan, w: ActionWith<N>): Promise<ApplyResult>;
  /** Waits until the change took effect (bounded by timeoutMs), returning the final status line. */
  verify?(ctx: ActionContext, plan: ActionPlan, w: ActionWith<N>, timeoutMs: number): Promise<string>;
  defaultTimeout?: string;
  /**
   * Set by a step that stands for several changes found only when it runs (each workload reading a
   * ConfigMap): the engine runs each as its own step of the named action, confirmed and recorded alone.
   */
  expand?(ctx: ActionContext, w: ActionWith<N>): Promise<ExpandedStep[]>;
}

export type ActionDefinition<N extends ActionName = ActionName> = ReadAction<N> | MutatingAction<N>;

/** Every action by name, each with its own input type. */
export type ActionTable = { [N in ActionName]: ActionDefinition<N> };

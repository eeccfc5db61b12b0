import type { ActionContext, ActionPlan, ActionTable, ClusterInfo } from './action-types.js';
import type { ActionName } from './action-with.js';
import type { BoundAction } from './bind-action.js';
import type { ParamValues } from './params.js';
import type { Playbook, PlaybookStep } from './schema.js';

/** `stuck`: applied, but its rollout cannot finish by itself; a later step fixes it (the step's `onStuck: continue`). */
export type StepStatus = 'done' | 'skipped' | 'planned' | 'unchanged' | 'verified' | 'applied' | 'stuck';

export interface StepOutcome {
  id: string;
  action: ActionName;
  status: StepStatus;
  summary?: string;
  actionId?: string;
  plan?: ActionPlan;
  lines: string[];
}

export interface RunResult {
  playbook: string;
  cluster?: ClusterInfo;
  dryRun: boolean;
  status: 'completed' | 'planned';
  steps: StepOutcome[];
  incidentId?: string;
  /** For `inc undo`: the action this run reverted. */
  undoes?: string;
  /** For `inc undo` of an undo: the run made the change again (a redo), so it is reverted like a change. */
  redo?: boolean;
}

/** What the engine tells the person while it works (rendered on stderr by the CLI). */
export interface RunObserver {
  banner(cluster: ClusterInfo, protectedContext: boolean, dryRun: boolean): void;
  stepStarted(step: PlaybookStep, index: number, total: number): void;
  plan(step: PlaybookStep, plan: ActionPlan, dryRun: boolean): void;
  lines(step: PlaybookStep, lines: readonly string[]): void;
  warn(text: string): void;
}

export interface RunPlaybookInput {
  playbook: Playbook;
  params: ParamValues;
  dryRun: boolean;
  yes: boolean;
  interactive: boolean;
  /** Regular expressions naming contexts whose changes need the context name typed. */
  protectedContexts: readonly string[];
  /** The context name given with --confirm-context: the typed confirmation of a protected context, for scripts. */
  confirmContext?: string;
  ctx: ActionContext;
  observer: RunObserver;
  newId: () => string;
  /** For `inc undo`: the action id this run reverts. */
  undoes?: string;
  /** For `inc undo` of an undo: the run makes the change again (a redo), which a plain inc undo reverts. */
  redo?: boolean;
  /** A test hook between the dry run and the apply (a deterministic window for a concurrent change). */
  beforeApply?: (step: PlaybookStep) => Promise<void>;
  actions?: Partial<ActionTable>;
}

export interface Prepared {
  step: PlaybookStep;
  /** The step's action, bound to its validated values. */
  action: BoundAction;
  /** The same values, read by field (namespace, timeout, the target) where the action does not matter. */
  w: Record<string, unknown>;
  mutating: boolean;
  /** Set once the change is applied, so a Ctrl-C during its verification counts it. */
  applied?: boolean;
  /** The applied change, so a step whose verification found it stuck still names what reverts it. */
  change?: { actionId: string; plan: ActionPlan };
}

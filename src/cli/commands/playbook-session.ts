import { withClusterFlags } from '../../cluster-flags.js';
import { loadConfig } from '../../config.js';
import { actorFrom } from '../../incident/paths.js';
import { openRecorder, type Recorder } from '../../incident/recorder.js';
import { redactValue } from '../../incident/redact.js';
import type { KubeClient } from '../../kube/client.js';
import type { ActionContext, ClusterInfo } from '../../playbooks/action-types.js';
import type { RunObserver } from '../../playbooks/engine.js';
import type { Playbook } from '../../playbooks/schema.js';
import { NonInteractivePrompter, type Prompter } from '../../prompter.js';
import { runProcess } from '../../run-process.js';
import { InquirerPrompter } from '../../ui/inquirer-prompter.js';
import { createStepProgress } from '../../ui/ora-step-progress.js';
import { renderBanner, renderPlan } from '../../ui/render-plan.js';
import type { CommandEnv } from '../context.js';
import { openCluster } from '../open-cluster.js';
import { loadIncidentAlerts, loadIncidentChanges } from './incident-changes.js';

/** Everything `inc run` and `inc undo` share: config, the lazily opened cluster, prompts, progress, the recorder. */
export interface PlaybookSession {
  config: ReturnType<typeof loadConfig>;
  prompter: Prompter;
  kube(): Promise<KubeClient>;
  ctx: ActionContext;
  observer: RunObserver;
  /** Where the playbook comes from, for the banner ("./.inc/playbooks/rollback.yaml (this folder; …)"). */
  origin?: string;
  close(): void;
}

/** Where a run's changes go, and as whom when the kubeconfig or --as impersonates. */
function clusterInfoOf(k: KubeClient): ClusterInfo {
  const actingAs = k.impersonation && { user: k.impersonation.user, groups: k.impersonation.groups };
  return {
    context: k.contextName,
    cluster: k.clusterName,
    server: k.server,
    namespace: k.namespace,
    ...(actingAs && { actingAs }),
  };
}

export async function openPlaybookSession(
  env: CommandEnv,
  what: string,
  confirmContext?: string,
): Promise<PlaybookSession> {
  const config = loadConfig(env.env);
  const prompter: Prompter = env.interactive
    ? new InquirerPrompter({ signal: env.signal, output: process.stderr })
    : new NonInteractivePrompter(what);
  let client: Promise<KubeClient> | undefined;
  const kube = () => {
    client ??= openCluster(env);
    return client;
  };
  const cluster = async (): Promise<ClusterInfo> => clusterInfoOf(await kube());
  const recorder = await openRecorder({ env: env.env, clock: env.clock, incident: env.globals.incident });
  const err = (text: string) => env.output.err(text);
  let silences: ReturnType<NonNullable<ActionContext['alertmanager']>> | undefined;
  const alertmanager = () => {
    silences ??= import('./silence-alertmanager.js').then(({ openSilenceApi }) => openSilenceApi(env, kube));
    return silences;
  };
  const ctx: ActionContext = {
    kube,
    cluster,
    env: env.env,
    clock: env.clock,
    signal: env.signal,
    prompter,
    progress: createStepProgress({ output: env.output, theme: env.errTheme, interactive: env.stderrIsTTY }),
    recorder: recorder as ActionContext['recorder'],
    runProcess,
    triage: triageCheck(env, kube, recorder),
    priorChanges: async () => loadIncidentChanges(env, (await kube()).contextName),
    alertmanager,
    incidentAlerts: () => loadIncidentAlerts(env),
    interactive: env.interactive,
    kubeconfigPath: env.globals.kubeconfig,
    kubeconfigFiles: async () => (await kube()).kubeconfigFiles,
    actor: actorFrom(env.env),
    yes: env.globals.yes,
    info: (text) => err(text),
  };
  const theme = env.errTheme;
  const session: Partial<PlaybookSession> = {};
  const observer: RunObserver = {
    banner: (c, protectedContext, dryRun) => {
      const byName = confirmContext !== undefined && confirmContext === c.context;
      for (const line of renderBanner(c, protectedContext, dryRun, theme, byName, session.origin)) err(line);
    },
    stepStarted: (step, index, total) => err(theme.dim(`[${index + 1}/${total}] ${step.id}: ${step.action}`)),
    // A dry run's plans are its result (stdout); with -o json the result is the JSON alone.
    plan: (step, plan, dryRun) => {
      const toStdout = dryRun && env.globals.output !== 'json';
      for (const line of renderPlan(step, plan, toStdout ? env.theme : theme)) (toStdout ? env.output.out : err)(line);
    },
    lines: (_step, lines) => {
      for (const line of lines) err(`  ${line}`);
    },
    warn: (text) => err(theme.warn(`warning: ${withClusterFlags(text, env.globals)}`)),
  };
  return Object.assign(session, {
    config,
    prompter,
    kube,
    ctx,
    observer,
    close: () => {
      void client?.then((c) => c.close()).catch(() => undefined);
    },
  });
}

/**
 * The playbook `triage` step, on the session's cluster; loaded only when a playbook has one. What it
 * found is recorded as a triage run, so the status update after a fix quotes the figures measured
 * since, not the last ones before it.
 */
function triageCheck(env: CommandEnv, kube: () => Promise<KubeClient>, recorder: Recorder): ActionContext['triage'] {
  return async (options) => {
    const { triageWorkload } = await import('../../triage/triage-session.js');
    const { signalsSettingsFor } = await import('./triage-signals.js');
    // A bad signals setting must not stop the verification of a change already made.
    const signals = await signalsSettingsFor(env, {}).catch(() => undefined);
    // As inc triage does: this incident's changes are mitigations, so the step never suggests undoing them.
    const client = await kube();
    const mitigations = await loadIncidentChanges(env, client.contextName);
    const verdict = await triageWorkload(client, env.clock, env.signal, { ...options, mitigations }, signals);
    const { recordTriage } = await import('../../triage/record-triage.js');
    await recordTriage(recorder, verdict.report, undefined);
    return { healthy: verdict.healthy, lines: verdict.lines };
  };
}

export interface ExecuteRunOptions {
  /** A playbook name or file; or an already loaded playbook (inc undo builds one). */
  playbook: string | Playbook;
  sets: readonly string[];
  what: string;
  undoes?: string;
  /** --confirm-context: the context's name, typed in advance (scripts on protected contexts). */
  confirmContext?: string;
  /** For `inc undo` of an undo: the run is a redo. */
  redo?: boolean;
  /** --trust: run a playbook from this folder or a file path without its hash recorded as trusted. */
  trust?: boolean;
}

/** Loads the playbook, resolves its parameters (asking on a terminal), runs it, renders the result. */
export async function executeRun(env: CommandEnv, options: ExecuteRunOptions): Promise<void> {
  const { findPlaybook, playbookSearchPath } = await import('../../playbooks/load-playbooks.js');
  const { describeOrigin } = await import('../../playbooks/trust.js');
  const { runPlaybook } = await import('../../playbooks/engine.js');
  const { pauseHookFromEnv } = await import('../../playbooks/pause-hook.js');
  const { renderRunResult } = await import('../../ui/render-plan.js');
  const { newEventId } = await import('../../incident/ids.js');
  const session = await openPlaybookSession(env, options.what, options.confirmContext);
  try {
    const path = playbookSearchPath({ env: env.env, cwd: env.cwd, playbookDirs: session.config.playbookDirs });
    const entry = typeof options.playbook === 'string' ? findPlaybook(options.playbook, path, env.cwd) : undefined;
    if (entry) {
      const { establishTrust } = await import('./playbook-trust.js');
      await establishTrust(env, session, entry, options.trust === true);
      session.origin = `${entry.name}  ${describeOrigin(entry, env.cwd)}`;
    }
    const playbook = entry?.playbook ?? (options.playbook as Playbook);
    const { resolveRunParams } = await import('./run-params.js');
    // A named playbook's targets are checked; inc undo's own plan targets what it recorded.
    const params = await resolveRunParams(env, session, playbook, options.sets, entry !== undefined);
    const { assertStepTargetsExist } = await import('../../playbooks/preflight-targets.js');
    await assertStepTargetsExist(playbook, params, session.kube);
    const result = await runPlaybook({
      playbook,
      params,
      dryRun: env.globals.dryRun,
      yes: env.globals.yes,
      interactive: env.interactive,
      protectedContexts: session.config.protectedContexts,
      confirmContext: options.confirmContext,
      ctx: session.ctx,
      observer: session.observer,
      newId: () => newEventId(env.clock),
      undoes: options.undoes,
      redo: options.redo,
      beforeApply: pauseHookFromEnv(env.env, env.clock, env.signal),
    });
    if (options.redo) result.redo = true;
    if (!session.ctx.recorder.incidentId) {
      env.output.err(env.errTheme.dim('no incident is open; nothing was recorded (inc start TITLE to declare one)'));
    }
    // Redacted as a whole, as the log records it: the plans hold pod templates, env values and all.
    if (env.globals.output === 'json') env.output.out(JSON.stringify(redactValue(result), null, 2));
    else for (const line of renderRunResult(result, env.theme, env.globals)) env.output.out(line);
  } finally {
    session.close();
  }
}

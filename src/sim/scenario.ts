/**
 * Scenarios: YAML files that describe a cluster and the history that led to an incident.
 *
 *   name, description
 *   culprit:  {kind, namespace, name, reason, change, playbook, params, followUp?: [{playbook, params}]}
 *             what triage should report, what changed, and the built-in playbook(s) that mitigate it
 *   faults:   SimFaults (latency, error rate, forbidden resources, noMetrics, dropped connections)
 *   manifests: objects created at the start of the history
 *   timeline: [{at: -10m, <one change>}]   changes relative to "now", oldest first; a change is one of
 *     patch {kind?, namespace, name, image?, container?, behavior?, changeCause?, replicas?, cpu?, memory?,
 *            logError?, templateAnnotations?, annotations?, merge?, restart?}
 *            (a ConfigMap or Secret takes `merge` only; `restart: true` is `kubectl rollout restart`)
 *     scale {kind?, namespace, name, replicas} · nodeBehavior {name, behavior|null} · cordon {name}
 *     create <object> · delete {kind, namespace?, name}
 *     helm {release, namespace, chart {name, version, appVersion?}, manifests, values?, description?}
 *     gitCommit {application, namespace?, revision, manifests, refs?}   (a commit in an Argo CD app's repo)
 *
 * Writes are recorded in managedFields as kubectl's (`kubectl-client-side-apply`, `kubectl-rollout`).
 *
 * `applyScenario` builds the history for real: the caller starts the simulator's clock
 * `scenarioHistoryMs(scenario)` before the wanted "now"; the manifests are created, then the clock is
 * advanced (running the controllers) to each change and on to "now", so ReplicaSets, revisions,
 * restart counts and events are those a real cluster would show.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, LineCounter, parseDocument, stringify } from 'yaml';
import { assetPath } from '../assets.js';
import { parseDuration } from '../duration.js';
import { FileFormatError, UsageError } from '../errors.js';
import type { ClusterState, SimObject } from './cluster-state.js';
import { installHelmRevision } from './controllers/helm.js';
import {
  BEHAVIOR_ANNOTATION,
  CPU_ANNOTATION,
  clone,
  type Dict,
  MEMORY_ANNOTATION,
  NODE_BEHAVIOR_ANNOTATION,
} from './controllers/util.js';
import type { SimFaults } from './faults.js';
import { type Scenario, type ScenarioChange, scenarioSchema } from './scenario-schema.js';

export type { Scenario, ScenarioChange };

/** Where the built-in scenarios are: src/sim/scenarios/ in the package, from the sources or the bundle. */
export function builtinScenarioDir(): string {
  return assetPath('src', 'sim', 'scenarios');
}

export interface ScenarioSummary {
  name: string;
  description: string;
}

/** The built-in scenarios, by name. */
export function listScenarios(): ScenarioSummary[] {
  const dir = builtinScenarioDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const scenario = parseScenario(readFileSync(join(dir, file), 'utf8'), join(dir, file));
      return { name: scenario.name, description: scenario.description };
    });
}

/** Loads a built-in scenario by name, or a scenario file by path. */
export function loadScenario(nameOrFile: string): Scenario {
  const looksLikeFile = nameOrFile.includes('/') || nameOrFile.endsWith('.yaml') || nameOrFile.endsWith('.yml');
  const file = looksLikeFile ? nameOrFile : join(builtinScenarioDir(), `${nameOrFile}.yaml`);
  if (!existsSync(file)) {
    const known = listScenarios().map((s) => s.name);
    if (looksLikeFile) throw new UsageError(`scenario file ${nameOrFile} does not exist`);
    throw new UsageError(`unknown scenario "${nameOrFile}"`, {
      hint: `known scenarios: ${known.join(', ')} (or pass a scenario file)`,
    });
  }
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/** Parses and validates scenario YAML; errors name file:line:col. */
export function parseScenario(text: string, file = 'scenario.yaml'): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    throw new FileFormatError(file, position?.line, position?.col, error.message.split('\n')[0]!);
  }
  if (!isMap(document.contents))
    throw new FileFormatError(file, 1, 1, 'a scenario is a YAML mapping (name, description, manifests, timeline)');
  const result = scenarioSchema.safeParse(document.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    for (let i = path.length - 1; !node?.range && i >= 0; i--)
      node = document.getIn(path.slice(0, i), true) as typeof node;
    const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    const missing = /^Invalid input: expected (\w+), received undefined$/.exec(issue.message);
    const detail = missing ? `is required (${missing[1]})` : issue.message;
    throw new FileFormatError(file, position?.line, position?.col, `${where}${detail}`);
  }
  for (const [index, change] of result.data.timeline.entries()) {
    try {
      changeOffsetMs(change);
    } catch {
      const node = document.getIn(['timeline', index, 'at'], true) as { range?: [number, number, number] } | undefined;
      const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
      throw new FileFormatError(
        file,
        position?.line,
        position?.col,
        `timeline.${index}.at: "${change.at}" is not a time relative to now (e.g. -10m, -90s, 0)`,
      );
    }
  }
  return { ...result.data, file };
}

/** The change's time relative to now, in ms (negative: in the past). */
export function changeOffsetMs(change: ScenarioChange): number {
  if (typeof change.at === 'number') return change.at * 1000;
  const text = change.at.trim();
  if (text === 'now' || text === '0') return 0;
  const negative = text.startsWith('-');
  const value = parseDuration(negative ? text.slice(1) : text.replace(/^\+/, ''), 'time');
  return negative ? -value : value;
}

/** How far back the history starts: two minutes before the earliest change, time for the manifests to roll out. */
export function scenarioHistoryMs(scenario: Scenario): number {
  const earliest = Math.min(0, ...scenario.timeline.map(changeOffsetMs));
  return -earliest + 2 * 60_000;
}

export interface ApplyScenarioOptions {
  state: ClusterState;
  /** Moves the clock forward by ms, running the controllers after each step (SimClock.advance with the runtime attached). */
  advance: (ms: number, stepMs?: number) => void;
  /** Step of the fast-forward (default 5 s of sim time; the kubelet's timeline is exact at any step). */
  stepMs?: number;
}

/** Creates the scenario's manifests now, then plays its timeline forward to "now". */
export function applyScenario(scenario: Scenario, options: ApplyScenarioOptions): void {
  const { state, advance } = options;
  const step = options.stepMs ?? 5_000;
  const history = scenarioHistoryMs(scenario);
  const startedAt = state.now().getTime();
  for (const manifest of scenario.manifests) createObject(state, manifest as SimObject);
  const changes = [...scenario.timeline].sort((a, b) => changeOffsetMs(a) - changeOffsetMs(b));
  for (const change of changes) {
    const due = startedAt + history + changeOffsetMs(change);
    const wait = due - state.now().getTime();
    if (wait > 0) advance(wait, step);
    applyChange(state, change);
  }
  const rest = startedAt + history - state.now().getTime();
  advance(Math.max(step, rest), step);
}

/** How people and CI change a cluster: `kubectl apply`. */
const APPLY = { writer: { manager: 'kubectl-client-side-apply' } };
const RESTART = { writer: { manager: 'kubectl-rollout' } };

function createObject(state: ClusterState, manifest: SimObject): SimObject {
  const object = clone(manifest);
  const existing = state.get(object.kind, object.metadata.namespace, object.metadata.name);
  if (existing) return existing;
  return state.create(object, APPLY);
}

function mustGet(state: ClusterState, kind: string, namespace: string | undefined, name: string): SimObject {
  const object = state.get(kind, namespace, name);
  if (!object)
    throw new UsageError(`scenario timeline: ${kind} ${namespace ? `${namespace}/` : ''}${name} does not exist`);
  return clone(object);
}

function setAnnotations(target: Dict, values: Record<string, string | null | undefined>): void {
  const annotations = { ...((target.annotations ?? {}) as Record<string, string>) };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === null) delete annotations[key];
    else annotations[key] = value;
  }
  target.annotations = annotations;
}

export function applyChange(state: ClusterState, change: ScenarioChange): void {
  if (change.patch) {
    patchWorkload(state, change.patch);
    return;
  }
  if (change.scale) {
    const object = mustGet(state, change.scale.kind, change.scale.namespace, change.scale.name);
    (object.spec as Dict).replicas = change.scale.replicas;
    state.update(object, APPLY);
    return;
  }
  if (change.nodeBehavior) {
    const node = mustGet(state, 'Node', undefined, change.nodeBehavior.name);
    setAnnotations(node.metadata, { [NODE_BEHAVIOR_ANNOTATION]: change.nodeBehavior.behavior });
    state.update(node);
    return;
  }
  if (change.cordon) {
    const node = mustGet(state, 'Node', undefined, change.cordon.name);
    node.spec = { ...((node.spec ?? {}) as Dict), unschedulable: true };
    state.update(node);
    return;
  }
  if (change.create) {
    createObject(state, change.create as SimObject);
    return;
  }
  if (change.delete) {
    mustGet(state, change.delete.kind, change.delete.namespace, change.delete.name);
    state.delete(change.delete.kind, change.delete.namespace, change.delete.name);
    return;
  }
  if (change.helm) {
    installHelmRevision(state, { ...change.helm, manifests: change.helm.manifests as SimObject[] });
    return;
  }
  if (change.gitCommit) commitToGit(state, change.gitCommit);
}

function patchWorkload(state: ClusterState, patch: NonNullable<ScenarioChange['patch']>): void {
  const object = mustGet(state, patch.kind, patch.namespace, patch.name);
  if (patch.kind === 'ConfigMap' || patch.kind === 'Secret') {
    state.update(mergePatch(object, patch.merge ?? {}) as SimObject, APPLY);
    return;
  }
  const spec = (object.spec ?? {}) as Dict;
  const template = (spec.template ?? {}) as Dict;
  const templateMeta = (template.metadata ?? {}) as Dict;
  const podSpec = (template.spec ?? {}) as Dict;
  const containers = (podSpec.containers as Dict[] | undefined) ?? [];
  const container = patch.container ? containers.find((c) => c.name === patch.container) : containers[0];
  if ((patch.image || patch.container) && !container) {
    throw new UsageError(`scenario timeline: ${patch.kind} ${patch.name} has no container ${patch.container ?? ''}`);
  }
  if (patch.image && container) container.image = patch.image;
  setAnnotations(templateMeta, {
    [BEHAVIOR_ANNOTATION]: patch.behavior === null ? null : patch.behavior,
    [CPU_ANNOTATION]: patch.cpu,
    [MEMORY_ANNOTATION]: patch.memory,
    'sim.inc.dev/log-error': patch.logError,
    ...(patch.templateAnnotations ?? {}),
    ...(patch.restart ? { 'kubectl.kubernetes.io/restartedAt': restartedAt(state.now()) } : {}),
  });
  template.metadata = templateMeta;
  if (patch.replicas !== undefined) spec.replicas = patch.replicas;
  setAnnotations(object.metadata, { 'kubernetes.io/change-cause': patch.changeCause, ...(patch.annotations ?? {}) });
  const merged = patch.merge ? mergePatch(object, patch.merge) : object;
  state.update(merged as SimObject, patch.restart ? RESTART : APPLY);
}

/** kubectl's `time.Now().Format(time.RFC3339)`, in UTC. */
function restartedAt(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/** RFC 7386 merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Dict =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Dict) } : {};
  for (const [key, value] of Object.entries(patch as Dict)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function commitToGit(state: ClusterState, commit: NonNullable<ScenarioChange['gitCommit']>): void {
  const app = state.get('Application', commit.namespace, commit.application);
  const name = app?.metadata.annotations?.['sim.inc.dev/git-configmap'] ?? `${commit.application}-git`;
  const existing = state.get('ConfigMap', commit.namespace, name);
  const data: Record<string, string> = { ...((existing?.data ?? {}) as Record<string, string>) };
  data[`rev.${commit.revision}`] = stringify(commit.manifests);
  for (const ref of commit.refs) data[`ref.${ref}`] = commit.revision;
  if (existing) {
    state.update({ ...clone(existing), data });
    return;
  }
  state.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: commit.namespace, labels: { 'sim.inc.dev/git-repo': commit.application } },
    data,
  });
}

export function scenarioName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

export type { SimFaults };

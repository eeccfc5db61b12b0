import { z } from 'zod';

/**
 * The actions a playbook step may name, and the `with` fields each accepts. Types, help,
 * `inc playbooks schema` and validation all derive from this one list.
 */
export const ACTION_NAMES = [
  'rollout.history',
  'rollout.undo',
  'rollout.status',
  'rollout.restart',
  'rollout.unstick',
  'configmap.restore',
  'configmap.restart-readers',
  'networkpolicy.revert',
  'scale',
  'hpa.bounds',
  'set-image',
  'argo.autosync',
  'argo.rollback',
  'helm.history',
  'helm.rollback',
  'pod.delete',
  'node.cordon',
  'node.drain',
  'node.delete',
  'node.expect-down',
  'alertmanager.silence',
  'http',
  'exec',
  'confirm',
  'note',
  'wait',
  'triage',
] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$|^\d+$/;

/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). */
export const k8sName = z
  .string()
  .max(253)
  .regex(DNS1123_SUBDOMAIN, 'must be a DNS-1123 name (lower-case letters, digits, "-" and ".")');
/** A namespace name (DNS-1123 label, at most 63 characters). */
export const k8sNamespace = z
  .string()
  .max(63)
  .regex(DNS1123_LABEL, 'must be a DNS-1123 label (lower-case letters, digits and "-")');
export const duration = z.string().regex(DURATION, 'must be a duration such as 30s, 5m or 1h30m');
/** A container image reference: no whitespace, no shell metacharacters. */
export const image = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'must be an image reference such as api:1.2.3');
/** Kubernetes stores replicas as int32: a larger count would be refused (or wrapped) by the API server. */
export const MAX_REPLICAS = 2_147_483_647;
const replicaCount = z
  .number()
  .int()
  .min(0)
  .max(MAX_REPLICAS, `must be at most ${MAX_REPLICAS} (Kubernetes replicas are 32-bit integers)`);
const workloadKind = z.enum(['deployment', 'statefulset', 'daemonset']);

const ns = { namespace: k8sNamespace };
/** A git revision: never an option (a leading "-"), no whitespace. */
const gitRevision = z
  .string()
  .regex(/^[A-Za-z0-9_./~^@{}][A-Za-z0-9_./~^@{}-]*$/, 'must be a git revision such as HEAD~1, a tag or a commit');

/** Where a manifest's good version is: a file of a git repository at a revision (read with git show). */
function gitManifest(file: string) {
  return {
    file: z.string().min(1).regex(/^[^-]/, 'must be a path in the repository, not an option').optional().describe(file),
    revision: gitRevision.optional().describe('commit, tag or HEAD~N holding the good version (default HEAD~1)'),
    repo: z.string().min(1).optional().describe('the git repository (default the current folder)'),
  };
}
const workload = { ...ns, deployment: k8sName.describe('workload name'), kind: workloadKind.optional() };
const releaseName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Helm release name')
  .max(53);

/** The `with` schema of every action, after parameters are substituted. */
export const ACTION_WITH = {
  'rollout.history': z.object({ ...workload }).strict(),
  'rollout.undo': z
    .object({
      ...workload,
      toRevision: z.number().int().min(0).optional().describe('revision to restore; default the previous one'),
      argoCheck: z
        .boolean()
        .optional()
        .describe('refuse when an Argo CD Application with auto-sync manages it (default true)'),
    })
    .strict(),
  'rollout.status': z.object({ ...workload, timeout: duration.optional() }).strict(),
  'rollout.restart': z.object({ ...workload }).strict(),
  'rollout.unstick': z.object({ ...workload }).strict(),
  'configmap.restore': z
    .object({
      ...ns,
      configmap: k8sName,
      ...gitManifest("the ConfigMap's manifest, from the repository root; read with git show REVISION:FILE"),
      data: z
        .record(z.string(), z.string())
        .optional()
        .describe('the data to restore instead of a git file (inc undo)'),
      binaryData: z.record(z.string(), z.string()).optional(),
    })
    .strict()
    .refine((w) => (w.file === undefined) !== (w.data === undefined), 'give either file (from git) or data'),
  'configmap.restart-readers': z.object({ ...ns, configmap: k8sName }).strict(),
  'networkpolicy.revert': z
    .object({
      ...ns,
      policy: k8sName,
      ...gitManifest("the policy's manifest, from the repository root, to restore instead of deleting the policy"),
      version: z
        .object({
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          spec: z.record(z.string(), z.unknown()),
        })
        .strict()
        .optional()
        .describe('the version to put back instead of a git file (inc undo)'),
    })
    .strict()
    .refine((w) => !(w.file !== undefined && w.version !== undefined), 'give file (from git) or version, not both'),
  scale: z
    .object({
      ...workload,
      replicas: replicaCount,
      currentReplicas: replicaCount.optional().describe('precondition: the replicas expected now'),
    })
    .strict(),
  'hpa.bounds': z
    .object({
      ...ns,
      hpa: k8sName.describe('HorizontalPodAutoscaler name'),
      minReplicas: replicaCount.min(1).optional(),
      maxReplicas: replicaCount.min(1).optional(),
      currentMinReplicas: replicaCount.optional().describe('precondition: the minReplicas expected now'),
      currentMaxReplicas: replicaCount.optional().describe('precondition: the maxReplicas expected now'),
    })
    .strict(),
  'set-image': z
    .object({
      ...workload,
      container: z.string().regex(DNS1123_LABEL, 'must be a container name').or(z.literal('*')),
      image,
    })
    .strict(),
  'argo.autosync': z
    .object({
      namespace: k8sNamespace.optional().describe('namespace of the Application (default argocd)'),
      app: k8sName,
      enable: z.boolean(),
      previous: z.record(z.string(), z.unknown()).optional().describe('the automated settings to restore'),
    })
    .strict(),
  'argo.rollback': z
    .object({
      namespace: k8sNamespace.optional(),
      app: k8sName,
      id: z.number().int().min(0).optional().describe('history id; default the second-to-last entry'),
      prune: z.boolean().optional(),
    })
    .strict(),
  'helm.history': z.object({ ...ns, release: releaseName }).strict(),
  'helm.rollback': z
    .object({ ...ns, release: releaseName, revision: z.number().int().min(0).optional(), timeout: duration.optional() })
    .strict(),
  'pod.delete': z
    .object({
      namespace: k8sNamespace.optional(),
      pod: k8sName.optional(),
      selector: z
        .string()
        .max(1024)
        .regex(/^[A-Za-z0-9._\-/=!,() ]+$/, 'must be a label selector such as app=api')
        .optional(),
      node: k8sName
        .optional()
        .describe('delete the pods on this node (all namespaces), except DaemonSet and static pods'),
    })
    .strict(),
  'node.cordon': z.object({ node: k8sName, uncordon: z.boolean().optional() }).strict(),
  'node.drain': z
    .object({
      node: k8sName,
      forceDelete: z
        .boolean()
        .optional()
        .describe('delete the pods a PodDisruptionBudget still refuses to evict when the time is up (default false)'),
      timeout: duration.optional().describe('how long refused evictions are retried (default 2m)'),
      waitForDelete: z
        .boolean()
        .optional()
        .describe(
          'false: do not wait for the evicted pods to be gone (a node that will not answer never confirms it; default true)',
        ),
    })
    .strict(),
  'node.delete': z.object({ node: k8sName }).strict(),
  'node.expect-down': z.object({ node: k8sName }).strict(),
  'alertmanager.silence': z
    .object({
      alertname: z.string().min(1).optional().describe('the alert to silence: an alertname="…" matcher'),
      matchers: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .describe('more matchers: label=value pairs (also !=, =~, !~), comma-separated or a list'),
      duration: duration.optional().describe('how long the silence lasts (default 1h)'),
      comment: z.string().max(1000).optional().describe('why; the incident id is put in front'),
      broad: z
        .boolean()
        .optional()
        .describe('true: create it even where it covers more than the alerts of the incident, or names no alert'),
      expire: z
        .string()
        .regex(/^[0-9a-f-]{8,64}$/, 'must be a silence id')
        .optional()
        .describe('expire this silence instead (the inverse of creating it, for inc undo)'),
    })
    .strict()
    .refine((w) => w.expire !== undefined || w.alertname !== undefined || w.matchers !== undefined, {
      message: 'give alertname or matchers (or expire: SILENCE_ID)',
    }),
  http: z
    .object({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional(),
      url: z.url({ protocol: /^https?$/ }),
      headers: z.record(z.string(), z.string()).optional(),
      headersFromEnv: z.record(z.string(), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
      body: z.string().optional(),
      json: z.unknown().optional(),
      expectStatus: z.union([z.number().int(), z.array(z.number().int())]).optional(),
      timeout: duration.optional(),
      mutating: z
        .boolean()
        .optional()
        .describe('true: treat a GET or HEAD as a change too (every other method always is one)'),
    })
    .strict(),
  exec: z
    .object({
      command: z.array(z.string()).min(1).describe('program and arguments; never run through a shell'),
      timeout: duration.optional(),
      cwd: z.string().optional(),
    })
    .strict(),
  confirm: z.object({ message: z.string() }).strict(),
  note: z.object({ text: z.string(), kind: z.enum(['note', 'decision', 'action-item']).optional() }).strict(),
  wait: z.object({ duration, reason: z.string().optional() }).strict(),
  triage: z.object({ namespace: k8sNamespace.optional(), workload: k8sName.optional() }).strict(),
} as const satisfies Record<ActionName, z.ZodObject>;

export type ActionWith<N extends ActionName> = z.infer<(typeof ACTION_WITH)[N]>;

export function isActionName(name: string): name is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(name);
}

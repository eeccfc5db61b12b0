import type { Mitigation } from './mitigations.js';
import type { ObjectRef } from './types.js';

/** Something that changed in the cluster: what suspects are made of. */
export interface Change {
  workload: ObjectRef;
  kind: 'rollout' | 'scale' | 'network-policy' | 'node' | 'sync' | 'config';
  /** "rollout to revision 4 (image api:2.3.1)". */
  description: string;
  atMs: number;
  /** Extra facts for the suspect's why (images, change-cause). */
  detail?: string;
  /** For scale-ups: the replica count before. */
  previousReplicas?: number;
  /** Set when inc made this change in the current incident: a mitigation, never a suspect. */
  mitigation?: Mitigation;
  /** A rollout whose only template change is `kubectl.kubernetes.io/restartedAt`: a restart, not a new version. */
  restart?: boolean;
  /** The workloads the change reaches: whose pods read a ConfigMap or Secret, or a NetworkPolicy selects. */
  referencedBy?: ObjectRef[];
}

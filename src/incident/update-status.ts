/**
 * The statuses of a status update, in lifecycle order. Dependency-free so commands can build their
 * flags without loading the incident projection. `mitigating` and `mitigated` are the runbooks'
 * words beside Statuspage's; each maps to one of Statuspage's four.
 */
export const UPDATE_STATUSES = [
  'investigating',
  'identified',
  'mitigating',
  'mitigated',
  'monitoring',
  'resolved',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** Statuspage's statuses of an incident. */
export type StatuspageStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/** The Statuspage status each update status is posted as: a fix under way is identified, a mitigation holding is monitoring. */
export const STATUSPAGE_STATUS: Record<UpdateStatus, StatuspageStatus> = {
  investigating: 'investigating',
  identified: 'identified',
  mitigating: 'identified',
  mitigated: 'monitoring',
  monitoring: 'monitoring',
  resolved: 'resolved',
};

/**
 * The statuses of a status update, in lifecycle order (Statuspage's words). Dependency-free so
 * commands can build their flags without loading the incident projection.
 */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

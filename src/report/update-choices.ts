/**
 * The choices of `inc update`, in one dependency-free module so the command can build its flags
 * without loading the report code.
 */

/** The statuses of a status update, in lifecycle order (Statuspage's words). */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** The renderings of a status update; each is a template `update-<format>.liquid`. */
export const UPDATE_FORMATS = ['text', 'slack', 'statuspage', 'markdown'] as const;
export type UpdateFormat = (typeof UPDATE_FORMATS)[number];

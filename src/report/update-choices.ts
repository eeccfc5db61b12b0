/**
 * The choices of `inc update`, in one dependency-free module so the command can build its flags
 * without loading the report code.
 */

export { UPDATE_STATUSES, type UpdateStatus } from '../incident/update-status.js';

/** The renderings of a status update; each is a template `update-<format>.liquid`. */
export const UPDATE_FORMATS = ['text', 'slack', 'statuspage', 'markdown'] as const;
export type UpdateFormat = (typeof UPDATE_FORMATS)[number];

import { z } from 'zod';
import { serverConfigShape } from '../signals/signals-config.js';

/** `alertmanager:` in the config file. The token is read from the named variable, never stored. */
export const alertmanagerConfigSchema = z.strictObject({
  ...serverConfigShape,
  /** Who silences are created by (default: $USER). */
  createdBy: z.string().min(1).optional(),
  /** An alert's `severity` label → incident severity (default: page SEV1, critical SEV2, warning SEV3). */
  severities: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Minutes within which a page should be acknowledged (default 5), for inc stats. */
  ackTargetMinutes: z.number().positive().optional(),
});

export type AlertmanagerConfig = z.infer<typeof alertmanagerConfigSchema>;

import { statusMarkCommand } from './status-mark-command.js';

export const registerMitigatedCommand = statusMarkCommand(
  'mitigated',
  'record that the impact is mitigated (service restored, cause maybe not fixed)',
);

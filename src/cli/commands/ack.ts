import { statusMarkCommand } from './status-mark-command.js';

export const registerAckCommand = statusMarkCommand('ack', 'record that you acknowledged the incident (the page)');

import { registerAckCommand } from './ack.js';
import { registerAlertsCommand } from './alerts.js';
import { registerCompletionCommand } from './completion.js';
import { registerDemoCommand } from './demo.js';
import { registerEscalateCommand } from './escalate.js';
import { registerHandoffCommand } from './handoff.js';
import { registerImpactCommand } from './impact.js';
import { registerListCommand } from './list.js';
import { registerLogCommand } from './log.js';
import { registerLogsCommand } from './logs.js';
import { registerMitigatedCommand } from './mitigated.js';
import { registerNoteCommand } from './note.js';
import { registerPlaybooksCommand } from './playbooks.js';
import { registerPostmortemCommand } from './postmortem.js';
import type { RegisterCommand } from './register-command.js';
import { registerResolveCommand } from './resolve.js';
import { registerRoleCommand } from './role.js';
import { registerRunCommand } from './run.js';
import { registerSevCommand } from './sev.js';
import { registerSimCommand } from './sim.js';
import { registerStartCommand } from './start.js';
import { registerStatsCommand } from './stats.js';
import { registerStatusCommand } from './status.js';
import { registerSyncCommand } from './sync.js';
import { registerTriageCommand } from './triage.js';
import { registerUndoCommand } from './undo.js';
import { registerUpdateCommand } from './update.js';
import { registerUseCommand } from './use.js';

/** Every command, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerStartCommand,
  registerNoteCommand,
  registerSevCommand,
  registerRoleCommand,
  registerAckCommand,
  registerEscalateCommand,
  registerMitigatedCommand,
  registerImpactCommand,
  registerStatusCommand,
  registerAlertsCommand,
  registerTriageCommand,
  registerLogsCommand,
  registerRunCommand,
  registerUndoCommand,
  registerPlaybooksCommand,
  registerUpdateCommand,
  registerPostmortemCommand,
  registerHandoffCommand,
  registerResolveCommand,
  registerLogCommand,
  registerListCommand,
  registerUseCommand,
  registerSyncCommand,
  registerStatsCommand,
  registerDemoCommand,
  registerSimCommand,
  registerCompletionCommand,
];

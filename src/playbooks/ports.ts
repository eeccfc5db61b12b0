import type { AlertmanagerApi } from '../triage/adapters/alertmanager-api.js';

export type { Prompter } from '../prompter.js';

/**
 * The ports the playbook engine talks through (questions go through the shared Prompter). Adapters live in src/ui/ (terminal) and
 * src/cli/ (wiring); tests pass fakes.
 */

/** Live progress of a long step (verification). One line per update without a terminal. */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
}

/** Where the engine records incident events (the incident recorder satisfies it). */
export interface ActionRecorder {
  readonly incidentId: string | undefined;
  record(type: string, data: Record<string, unknown>): Promise<unknown>;
  saveEvidence?(name: string, content: string): Promise<string | undefined>;
}

/** Lines of a step's result for people (stderr while running; they are also returned in the RunResult). */
export interface StepLog {
  info(text: string): void;
  warn(text: string): void;
}

/** A change the current incident already applied (an action in force), as its log records it. */
export interface PriorChange {
  action: string;
  summary: string;
  target: { kind: string; namespace?: string; name: string };
  /** The recorded fields before the change (`spec.template`, `metadata.annotations`, …). */
  before?: Record<string, unknown>;
}

/** The parts of Alertmanager a silence needs: the alerts it would cover, and creating and expiring it. */
export interface SilenceApi
  extends Pick<AlertmanagerApi, 'name' | 'alerts' | 'createSilence' | 'silence' | 'expireSilence'> {
  /** `alertmanager.createdBy` of the config: who the silence says created it (default: the actor). */
  createdBy?: string;
}

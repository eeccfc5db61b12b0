import { ExitCode, FileFormatError, IncError } from '../errors.js';

/** One problem in a playbook file, positioned for editors: file:line:col. */
export interface PlaybookIssue {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

export function formatIssue(issue: PlaybookIssue): string {
  const where =
    issue.line === undefined
      ? issue.file
      : `${issue.file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return `${where}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** A playbook that does not parse or validate. Exit 2; nothing ran. */
export class PlaybookValidationError extends FileFormatError {
  readonly issues: PlaybookIssue[];

  constructor(issues: PlaybookIssue[]) {
    const first = issues[0] ?? { file: '<playbook>', path: '', message: 'invalid playbook' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    super(
      first.file,
      first.line,
      first.column,
      `${first.path ? `${first.path}: ` : ''}${first.message}${more}`,
      `check it with: inc playbooks validate ${first.file}`,
    );
    this.issues = issues;
  }
}

/**
 * An apply that failed after the cluster had changed: a helm rollback that timed out waiting, or was
 * stopped, has already written a new release revision. The change stands: it is recorded as applied
 * (with what it left), then failed, so the run says so and `inc undo` reverts it.
 */
export class ChangeMadeError extends IncError {
  constructor(
    failure: string,
    /** What the change left, for people: "the release changed all the same: … is now at revision 5". */
    readonly left: string,
    readonly after: Record<string, unknown>,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(`${failure}; ${left}`, { code: 'CHANGE_FAILED', ...options });
  }
}

/** A concurrent change between plan and apply: the API server answered 409 Conflict. Nothing was applied. */
export class ConcurrentChangeError extends IncError {
  constructor(what: string, plannedVersion: string | undefined, currentVersion: string | undefined) {
    const versions = plannedVersion ? ` (resourceVersion ${plannedVersion} → ${currentVersion ?? 'newer'})` : '';
    super(`${what} changed since the plan${versions}; nothing was applied`, {
      code: 'CONFLICT',
      exitCode: ExitCode.failure,
      hint: 'someone else changed it: look at what changed, then rerun to plan again',
    });
  }
}

/** A step refused to go on before changing anything (a guard such as Argo CD auto-sync). */
export class StepRefusedError extends IncError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'REFUSED', exitCode: ExitCode.failure, hint });
  }
}

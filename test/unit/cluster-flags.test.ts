import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/cli/render-error.js';
import { withClusterFlags } from '../../src/cluster-flags.js';
import { IncError } from '../../src/errors.js';
import { createTheme } from '../../src/ui/theme.js';

const usEast = { context: 'us-east', as: 'oncall-admin', asGroups: ['sre'] };

describe('withClusterFlags', () => {
  it("adds the run's --context and --as to each inc command written for pasting", () => {
    expect(
      withClusterFlags(
        'stuck: roll back: inc run rollback --set namespace=payments --set deployment=api; or delete it (inc run delete-pod --set namespace=payments --set pod=NAME)',
        usEast,
      ),
    ).toBe(
      'stuck: roll back: inc run rollback --set namespace=payments --set deployment=api --context us-east --as oncall-admin --as-group sre; or delete it (inc run delete-pod --set namespace=payments --set pod=NAME --context us-east --as oncall-admin --as-group sre)',
    );
    expect(withClusterFlags('to revert: inc undo 01M8MS23YNQDH3KC806TGA2SFA', { context: 'eu-west' })).toBe(
      'to revert: inc undo 01M8MS23YNQDH3KC806TGA2SFA --context eu-west',
    );
  });

  it('leaves prose, a command that carries its flags already, and a text without flags as they are', () => {
    expect(withClusterFlags('inc log shows them, inc undo reverts the last', usEast)).toBe(
      'inc log shows them, inc undo reverts the last',
    );
    const flagged = 'inc run rollback --set namespace=payments --set deployment=api --context us-east';
    expect(withClusterFlags(flagged, usEast)).toBe(flagged);
    expect(withClusterFlags('inc run cordon-node --set node=node-2', {})).toBe('inc run cordon-node --set node=node-2');
  });

  it('reaches the error and the hint inc prints', () => {
    const error = new IncError('auto-sync is on', {
      hint: 'first run: inc run argo-pause-sync --set app=api --set namespace=argocd',
    });
    const { lines } = renderError(error, createTheme(false), false, { context: 'us-east' });
    expect(lines).toEqual([
      'inc: error: auto-sync is on',
      'hint: first run: inc run argo-pause-sync --set app=api --set namespace=argocd --context us-east',
    ]);
  });
});

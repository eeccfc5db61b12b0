import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderError } from '../../../src/cli/render-error.js';
import { UsageError } from '../../../src/errors.js';
import { resolveKubeconfig } from '../../../src/kubeconfig/resolve-kubeconfig.js';
import { createTheme } from '../../../src/ui/theme.js';

describe('renderError', () => {
  const home = mkdtempSync(join(tmpdir(), 'inc-render-error-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const theme = createTheme(false);

  it('points at the simulator when there is no kubeconfig at all; kube/ itself names no command', () => {
    let thrown: unknown;
    try {
      resolveKubeconfig({ env: { HOME: home }, serviceAccountDir: join(home, 'no-service-account') });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'NO_KUBECONFIG', hint: 'pass --kubeconfig FILE or set KUBECONFIG' });
    const rendered = renderError(thrown, theme, false);
    expect(rendered.exitCode).toBe(2);
    expect(rendered.lines).toEqual([
      `inc: error: no kubeconfig: ${join(home, '.kube', 'config')} does not exist and KUBECONFIG is not set`,
      'hint: pass --kubeconfig FILE or set KUBECONFIG, or try `inc sim` for a simulated cluster',
    ]);
  });

  it('prints any other hint as the error has it', () => {
    const rendered = renderError(new UsageError('bad value', { hint: 'pass a number' }), theme, false);
    expect(rendered.lines).toEqual(['inc: error: bad value', 'hint: pass a number']);
  });
});

import { describe, expect, it } from 'vitest';
import { renderRolloutHistory } from '../../../../src/playbooks/k8s/rollout-history.js';

describe('renderRolloutHistory', () => {
  it('aligns the columns under their headings, whatever the length of a change cause', () => {
    const lines = renderRolloutHistory({ kind: 'Deployment', namespace: 'payments', name: 'api' }, [
      { revision: 1, name: 'api-1', changeCause: 'deploy api 2.3.0', images: ['api:2.3.0'], current: false },
      { revision: 12, name: 'api-2', images: ['api:2.3.1', 'sidecar:1'], current: true },
    ]);
    expect(lines).toEqual([
      'deployment.apps/api',
      'REVISION  CHANGE-CAUSE      IMAGES',
      '1         deploy api 2.3.0  api:2.3.0',
      '12        <none>            api:2.3.1, sidecar:1  (current)',
    ]);
  });
});

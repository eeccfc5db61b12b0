import { describe, expect, it } from 'vitest';
import type { ProcessRunner } from '../../../../src/playbooks/action-types.js';
import { readConfigMapFromGit } from '../../../../src/playbooks/k8s/configmap-restore.js';

/** `git show` answering with this manifest. */
const gitShowing =
  (stdout: string): ProcessRunner =>
  async () => ({ exitCode: 0, stdout, stderr: '', timedOut: false });
const source = { repo: '.', revision: 'HEAD~1', file: 'k8s/cm.yaml' };
const ref = { namespace: 'shop', name: 'checkout-config' };
const manifest = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: checkout-config, namespace: shop}\ndata:\n${data}`;

describe('readConfigMapFromGit', () => {
  it('reads the data as git holds it', async () => {
    const read = await readConfigMapFromGit(gitShowing(manifest('  VER: "1.10"\n  URL: http://x\n')), source, ref);
    expect(read).toEqual({ data: { VER: '1.10', URL: 'http://x' } });
  });

  it('refuses a value YAML does not read as a string, rather than restore "1.1" for 1.10 or "null"', async () => {
    await expect(readConfigMapFromGit(gitShowing(manifest('  VER: 1.10\n')), source, ref)).rejects.toThrow(
      'HEAD~1:k8s/cm.yaml: data.VER is not a string (YAML reads it as the number 1.1); the API server takes only strings, and kubectl apply refuses this manifest too',
    );
    await expect(readConfigMapFromGit(gitShowing(manifest('  EMPTY:\n')), source, ref)).rejects.toThrow(
      'data.EMPTY is not a string (YAML reads it as null)',
    );
  });
});

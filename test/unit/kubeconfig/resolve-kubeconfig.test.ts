import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeconfigError } from '../../../src/kubeconfig/kubeconfig-error.js';
import { resolveKubeconfig } from '../../../src/kubeconfig/resolve-kubeconfig.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-kubeconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(
  name: string,
  options: { current?: string; contexts: [string, string, string?][]; clusters?: [string, string][]; users?: string[] },
): string {
  const file = join(dir, name);
  const clusters =
    options.clusters ??
    options.contexts.map(([, cluster]) => [cluster, `https://${cluster}.example:6443`] as [string, string]);
  const lines = ['apiVersion: v1', 'kind: Config'];
  if (options.current) lines.push(`current-context: ${options.current}`);
  lines.push('clusters:');
  for (const [cluster, server] of clusters) lines.push(`- name: ${cluster}`, '  cluster:', `    server: ${server}`);
  lines.push('users:');
  for (const user of options.users ?? ['me']) lines.push(`- name: ${user}`, '  user:', `    token: token-of-${name}`);
  lines.push('contexts:');
  for (const [context, cluster, namespace] of options.contexts) {
    lines.push(`- name: ${context}`, '  context:', `    cluster: ${cluster}`, '    user: me');
    if (namespace) lines.push(`    namespace: ${namespace}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const noInCluster = () => join(dir, 'no-service-account');

describe('resolveKubeconfig', () => {
  it('prefers --kubeconfig over KUBECONFIG and HOME', () => {
    const flag = kubeconfig('flag', { current: 'a', contexts: [['a', 'flag-cluster']] });
    const env = kubeconfig('env', { current: 'b', contexts: [['b', 'env-cluster']] });
    mkdirSync(join(dir, 'home', '.kube'), { recursive: true });
    const resolved = resolveKubeconfig({ kubeconfig: flag, env: { KUBECONFIG: env, HOME: join(dir, 'home') } });
    expect(resolved.contextName).toBe('a');
    expect(resolved.server).toBe('https://flag-cluster.example:6443');
    expect(resolved.source).toBe(flag);
  });

  it('reads a file again once it changed, and hands each caller its own copy', () => {
    const file = kubeconfig('cached', { current: 'a', contexts: [['a', 'first-cluster']] });
    const first = resolveKubeconfig({ kubeconfig: file, env: {} });
    first.cluster.server = 'https://changed-by-a-caller.example';
    first.merged.contexts.length = 0;
    const again = resolveKubeconfig({ kubeconfig: file, env: {} });
    expect(again.server).toBe('https://first-cluster.example:6443');
    expect(again.merged.contexts.map((c) => c.name)).toEqual(['a']);
    kubeconfig('cached', { current: 'b', contexts: [['b', 'second-cluster']] });
    expect(resolveKubeconfig({ kubeconfig: file, env: {} }).server).toBe('https://second-cluster.example:6443');
  });

  it('uses KUBECONFIG before ~/.kube/config', () => {
    const env = kubeconfig('env', { current: 'b', contexts: [['b', 'env-cluster']] });
    mkdirSync(join(dir, 'home', '.kube'), { recursive: true });
    kubeconfig(join('home', '.kube', 'config'), { current: 'h', contexts: [['h', 'home-cluster']] });
    expect(resolveKubeconfig({ env: { KUBECONFIG: env, HOME: join(dir, 'home') } }).contextName).toBe('b');
    expect(resolveKubeconfig({ env: { HOME: join(dir, 'home') } }).contextName).toBe('h');
  });

  it('merges several KUBECONFIG files first-wins, skipping missing ones', () => {
    const first = kubeconfig('first', {
      current: 'shared',
      contexts: [['shared', 'c1']],
      clusters: [['c1', 'https://first:1']],
    });
    const second = kubeconfig('second', {
      current: 'other',
      contexts: [
        ['shared', 'c1'],
        ['other', 'c2', 'team'],
      ],
      clusters: [
        ['c1', 'https://second:1'],
        ['c2', 'https://second:2'],
      ],
    });
    const env = { KUBECONFIG: [first, join(dir, 'missing'), second].join(':'), HOME: dir };
    const resolved = resolveKubeconfig({ env });
    // current-context and the duplicate names come from the first file; client-node's merge would throw here.
    expect(resolved.contextName).toBe('shared');
    expect(resolved.server).toBe('https://first:1');
    expect(resolved.user.token).toBe('token-of-first');
    const other = resolveKubeconfig({ env, context: 'other' });
    expect(other.server).toBe('https://second:2');
    expect(other.namespace).toBe('team');
    expect(resolved.merged.contexts.map((c) => c.name)).toEqual(['shared', 'other']);
  });

  it('takes the namespace from -n, else the context, else default', () => {
    const file = kubeconfig('ns', {
      current: 'with',
      contexts: [
        ['with', 'c', 'payments'],
        ['without', 'c'],
      ],
    });
    expect(resolveKubeconfig({ kubeconfig: file, env: {} }).namespace).toBe('payments');
    expect(resolveKubeconfig({ kubeconfig: file, env: {}, namespace: 'checkout' }).namespace).toBe('checkout');
    expect(resolveKubeconfig({ kubeconfig: file, env: {}, context: 'without' }).namespace).toBe('default');
  });

  it('names the contexts that exist when --context is unknown', () => {
    const file = kubeconfig('ctx', {
      current: 'prod',
      contexts: [
        ['prod', 'p'],
        ['staging', 's'],
      ],
    });
    let caught: unknown;
    try {
      resolveKubeconfig({ kubeconfig: file, env: {}, context: 'nosuch' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KubeconfigError);
    const error = caught as KubeconfigError;
    expect(error.message).toContain('context "nosuch" does not exist');
    expect(error.hint).toContain('prod, staging');
    expect(error.contexts).toEqual(['prod', 'staging']);
    expect(error.exitCode).toBe(2);
    // A near miss is named, as for a mistyped command.
    expect(() => resolveKubeconfig({ kubeconfig: file, env: {}, context: 'staing' })).toThrow(
      'context "staing" does not exist; did you mean staging?',
    );
  });

  it('asks for --context when there is no current context', () => {
    const file = kubeconfig('nocurrent', { contexts: [['a', 'c']] });
    expect(() => resolveKubeconfig({ kubeconfig: file, env: {} })).toThrow(/no current context/);
  });

  it('names a missing --kubeconfig file', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => resolveKubeconfig({ kubeconfig: missing, env: {} })).toThrow(`kubeconfig ${missing} does not exist`);
  });

  it('says when KUBECONFIG names only missing files and when there is no kubeconfig at all', () => {
    expect(() => resolveKubeconfig({ env: { KUBECONFIG: join(dir, 'a') } })).toThrow(
      /KUBECONFIG names .*a, and none exists/,
    );
    expect(() => resolveKubeconfig({ env: { HOME: dir }, serviceAccountDir: noInCluster() })).toThrow(
      /no kubeconfig: .*\.kube\/config does not exist/,
    );
  });

  it('names the file, line and column of a YAML syntax error', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: "https://x\n');
    expect(() => resolveKubeconfig({ kubeconfig: file, env: {} })).toThrow(
      new RegExp(`${file}:\\d+:\\d+: invalid YAML`),
    );
  });

  it('names the file, line and column of a value of the wrong type, never the value itself', () => {
    const cases: [string, string][] = [
      ['clusters: 5\n', ':1:11: clusters must be a list of clusters, not a number'],
      ['clusters:\n- name: c\n  cluster: 5\n', ':3:12: clusters[0].cluster must be a mapping, not a number'],
      ['contexts:\n- [a, b]\n', ':2:3: contexts[0] must be a mapping, not a list'],
      ['current-context: [a]\n', ':1:18: current-context must be a context name, not a list'],
      ['users:\n- name: u\n  user: {token: 12345}\n', ':3:17: users[0].user.token must be text, not a number'],
      [
        'contexts:\n- name: a\n  context: {cluster: c, namespace: {x: 1}}\n',
        'contexts[0].context.namespace must be text',
      ],
      [
        'users:\n- name: u\n  user: {as-groups: ops}\n',
        ':3:21: users[0].user.as-groups must be a list of text, not text',
      ],
      [
        'users:\n- name: u\n  user: {as-groups: [ops, 12345]}\n',
        'users[0].user.as-groups[1] must be text, not a number',
      ],
      [
        'users:\n- name: u\n  user: {as-user-extra: {scopes: [view, 12345]}}\n',
        'users[0].user.as-user-extra.scopes[1] must be text, not a number',
      ],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'wrong-type');
      writeFileSync(file, text);
      const attempt = () => resolveKubeconfig({ kubeconfig: file, env: {} });
      expect(attempt).toThrow(KubeconfigError);
      expect(attempt).toThrow(message.startsWith(':') ? `kubeconfig ${file}${message}` : message);
      expect(attempt).not.toThrow('12345');
    }
  });

  it('names a context whose cluster is not defined', () => {
    const file = kubeconfig('dangling', {
      current: 'a',
      contexts: [['a', 'ghost']],
      clusters: [['real', 'https://r']],
    });
    expect(() => resolveKubeconfig({ kubeconfig: file, env: {} })).toThrow(
      /refers to cluster "ghost", which is not defined/,
    );
  });

  it('resolves relative certificate paths against the kubeconfig folder', () => {
    const file = join(dir, 'rel');
    writeFileSync(
      file,
      'current-context: a\nclusters:\n- name: c\n  cluster: {server: "https://x", certificate-authority: certs/ca.pem}\nusers:\n- name: u\n  user: {client-key: /abs/key.pem}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n',
    );
    const resolved = resolveKubeconfig({ kubeconfig: file, env: {} });
    expect(resolved.cluster['certificate-authority']).toBe(join(dir, 'certs', 'ca.pem'));
    expect(resolved.user['client-key']).toBe('/abs/key.pem');
  });

  it('falls back to the pod service account when no kubeconfig exists', () => {
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'namespace'), 'ops\n');
    const resolved = resolveKubeconfig({
      env: { HOME: dir, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: sa,
    });
    expect(resolved.server).toBe('https://10.0.0.1:443');
    expect(resolved.namespace).toBe('ops');
    expect(resolved.user.tokenFile).toBe(join(sa, 'token'));
    expect(resolved.source).toBe('in-cluster service account');
  });
});

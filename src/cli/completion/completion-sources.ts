import { readdirSync } from 'node:fs';
import { loadConfig } from '../../config.js';
import { listIncidentIds } from '../../incident/incidents.js';
import { incHome } from '../../incident/paths.js';
import { readKubeconfigFiles } from '../../kubeconfig/read-kubeconfig.js';
import { listPlaybooks, playbookSearchPath } from '../../playbooks/load-playbooks.js';
import { builtinScenarioDir } from '../../sim/scenario.js';
import type { CompletionSources } from './complete-words.js';

export interface CompletionSourceOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  kubeconfig?: string;
}

/**
 * Completion candidates read from this machine only (config, playbook folders, incidents, kubeconfig):
 * a completion must answer at once, so it never asks a cluster. A source that cannot be read offers nothing.
 */
export function localCompletionSources(options: CompletionSourceOptions): CompletionSources {
  const quietly = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch {
      return fallback;
    }
  };
  const config = () => loadConfig(options.env);
  const playbooks = () =>
    quietly(
      () =>
        listPlaybooks(playbookSearchPath({ env: options.env, cwd: options.cwd, playbookDirs: config().playbookDirs })),
      [],
    );
  const contexts = () =>
    quietly(() => readKubeconfigFiles({ kubeconfig: options.kubeconfig, env: options.env })?.contexts ?? [], []);
  return {
    playbooks: () => playbooks().map((entry) => entry.name),
    runnablePlaybooks: () => playbooks().flatMap((entry) => (entry.playbook ? [entry.name] : [])),
    playbookParams: (name) =>
      playbooks()
        .find((entry) => entry.name === name)
        ?.playbook?.params.map((p) => ({ name: p.name, aliasOf: p.aliasOf, values: p.values })) ?? [],
    incidents: async () => (await listIncidentIds(incHome(options.env)).catch(() => [])).reverse(),
    contexts: () => contexts().map((entry) => entry.name),
    namespaces: () => [...new Set(['default', ...contexts().flatMap((entry) => entry.value.namespace ?? [])])],
    scenarios: () =>
      quietly(
        () =>
          readdirSync(builtinScenarioDir())
            .filter((file) => file.endsWith('.yaml'))
            .map((file) => file.replace(/\.yaml$/, '')),
        [],
      ),
    severities: () => quietly(() => config().severities.flatMap((s) => [s.name, ...s.aliases]), []),
    roles: () => quietly(() => config().roles, []),
    contacts: () =>
      quietly(() => {
        const { contacts, severities } = config();
        return [...Object.keys(contacts), ...severities.flatMap((s) => s.escalation ?? [])];
      }, []),
  };
}

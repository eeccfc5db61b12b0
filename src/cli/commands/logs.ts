import { parseDuration } from '../../duration.js';
import type { KubeClient } from '../../kube/index.js';
import type { LogTarget } from '../../triage/adapters/pod-logs.js';
import { type CommandEnv, commandEnv } from '../context.js';
import { openCluster } from '../open-cluster.js';
import { openLogAttachment } from './logs-attach.js';
import {
  describeLogTarget,
  explainMissing,
  formatLogLine,
  parseLogTarget,
  parsePattern,
  parseTail,
  podColours,
} from './logs-input.js';
import type { RegisterCommand } from './register-command.js';

interface LogsFlags {
  selector?: string;
  since?: string;
  grep?: string;
  previous?: boolean;
  tail?: string;
  follow?: boolean;
  attach?: boolean;
}

export const registerLogsCommand: RegisterCommand = (program, ctx) => {
  program
    .command('logs [target]')
    .description(
      'search the logs of every pod of a workload at once, merged in time order, each line prefixed with its pod',
    )
    .option('-l, --selector <selector>', 'the pods this label selector matches (instead of a target)')
    .option('--since <duration>', 'only lines newer than this (e.g. 30m)')
    .option(
      '--grep <regex>',
      'only lines matching this regular expression (ignoring case unless it has a capital); counts the matches per pod',
    )
    .option('-p, --previous', "the previous (crashed) container's log")
    .option('--tail <lines>', 'the last lines of each container')
    .option('-f, --follow', 'stream new lines of every pod until Ctrl-C, picking up pods that appear')
    .option(
      '--attach',
      "keep the lines shown in the current incident's evidence (redacted, at most 1 MiB), with a note",
    )
    .addHelpText(
      'after',
      '\nTargets: deployment/NAME, statefulset/NAME, daemonset/NAME, pod/NAME (or -l SELECTOR).\n\nExamples:\n  inc logs deployment/api -n payments --since 30m --grep "error|panic"\n  inc logs -l app=checkout -n shop --previous --tail 50\n  inc logs deployment/api -n payments -f --tail 10          # follow every pod, Ctrl-C to stop\n  inc logs deployment/api -n payments --since 1h --grep timeout --attach',
    )
    .action(async (target: string | undefined, flags: LogsFlags, command) => {
      const env = commandEnv(ctx, command);
      const logTarget = parseLogTarget(target, flags.selector);
      const pattern = parsePattern(flags.grep);
      // As kubectl: --since 0 is no limit (the API server refuses a sinceSeconds of 0).
      const sinceSeconds = flags.since
        ? Math.ceil(parseDuration(flags.since, '--since') / 1000) || undefined
        : undefined;
      const tailLines = parseTail(flags.tail);
      const described = describeLogTarget(logTarget);
      const attachment = flags.attach ? await openLogAttachment(env, described) : undefined;
      const kube = await openCluster(env);
      const colour = podColours(env.theme);
      const counts = new Map<string, number>();
      const show = (line: Parameters<typeof formatLogLine>[0]) => {
        counts.set(line.pod, (counts.get(line.pod) ?? 0) + 1);
        env.output.out(formatLogLine(line, colour));
        attachment?.add(formatLogLine(line));
      };
      const warn = (failure: { pod: string; container: string; error: string }) =>
        env.output.err(env.errTheme.warn(`${failure.pod}/${failure.container}: ${failure.error}`));
      try {
        const namespace = kube.namespace;
        if (flags.follow) {
          const read = { namespace, target: logTarget, sinceSeconds, tailLines, pattern };
          await followLogs(env, kube, read, { show, warn }, described);
        } else {
          const read = { namespace, target: logTarget, sinceSeconds, tailLines, previous: flags.previous, pattern };
          const { pods, neverRestarted, containers } = await printLogs(kube, read, { show, warn, counts });
          if (pods === 0) {
            env.output.err(`no pods match ${described} in namespace ${namespace}`);
            return;
          }
          // Not a failure per pod: a container that never restarted has no previous log to show.
          if (flags.previous && neverRestarted.length === containers)
            env.output.err(`no previous log: no container of ${described} has restarted (drop --previous)`);
          else if (neverRestarted.length)
            env.output.err(
              env.errTheme.dim(
                `no previous log (never restarted): ${neverRestarted.map((c) => `${c.pod}/${c.container}`).join(', ')}`,
              ),
            );
        }
        if (pattern)
          env.output.err([...counts].map(([pod, n]) => `${pod}: ${n} matching line${n === 1 ? '' : 's'}`).join('\n'));
        const grep = flags.grep === undefined ? '' : ` matching /${flags.grep}/`;
        await attachment?.save(`logs of ${described} in ${namespace}${grep}`);
      } catch (error) {
        await explainMissing(kube, logTarget, error);
        throw error;
      } finally {
        kube.close();
      }
    });
};

/** `-f`: follows every matching pod until Ctrl-C, saying which pods come and go. */
async function followLogs(
  env: CommandEnv,
  kube: KubeClient,
  read: { namespace: string; target: LogTarget; sinceSeconds?: number; tailLines?: number; pattern?: RegExp },
  sink: {
    show: (line: Parameters<typeof formatLogLine>[0]) => void;
    warn: (failure: { pod: string; container: string; error: string }) => void;
  },
  described: string,
): Promise<void> {
  const { followPodLogs } = await import('../../triage/adapters/pod-logs-follow.js');
  await followPodLogs(kube, {
    ...read,
    clock: env.clock,
    signal: env.signal,
    onLine: sink.show,
    onFailure: sink.warn,
    onStart: (pods) => {
      // Without this line a selector that matches nothing yet looks like a hung command.
      if (pods.length === 0)
        env.output.err(
          `no pods match ${described} in namespace ${read.namespace} yet; waiting for them (Ctrl-C stops)`,
        );
    },
    onPods: ({ added, gone }) => {
      for (const pod of added) env.output.err(env.errTheme.dim(`+ pod/${pod}`));
      for (const pod of gone) env.output.err(env.errTheme.dim(`- pod/${pod}`));
    },
  });
}

/** Reads the logs of every matching pod once and shows the lines in time order; returns how many pods matched. */
async function printLogs(
  kube: KubeClient,
  read: {
    namespace: string;
    target: LogTarget;
    sinceSeconds?: number;
    tailLines?: number;
    previous?: boolean;
    pattern?: RegExp;
  },
  sink: {
    show: (line: Parameters<typeof formatLogLine>[0]) => void;
    warn: (failure: { pod: string; container: string; error: string }) => void;
    counts: Map<string, number>;
  },
): Promise<{ pods: number; containers: number; neverRestarted: { pod: string; container: string }[] }> {
  const { listLogPods, fetchPodLogs } = await import('../../triage/adapters/pod-logs.js');
  const { searchLogs } = await import('../../triage/log-search.js');
  const pods = await listLogPods(kube, read.target, read.namespace);
  if (pods.length === 0) return { pods: 0, containers: 0, neverRestarted: [] };
  const fetched = await fetchPodLogs(kube, pods, read);
  for (const failure of fetched.failures) sink.warn(failure);
  const result = searchLogs(fetched.streams, read.pattern);
  for (const { pod } of result.counts) sink.counts.set(pod, 0);
  for (const line of result.lines) sink.show(line);
  const containers = fetched.streams.length + fetched.neverRestarted.length;
  return { pods: pods.length, containers, neverRestarted: fetched.neverRestarted };
}

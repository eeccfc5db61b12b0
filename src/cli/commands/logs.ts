import { parseDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';
import type { LogTarget } from '../../triage/adapters/pod-logs.js';
import type { Theme } from '../../ui/theme.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

interface LogsFlags {
  selector?: string;
  since?: string;
  grep?: string;
  previous?: boolean;
  tail?: string;
}

export const registerLogsCommand: RegisterCommand = (program, ctx) => {
  program
    .command('logs [target]')
    .description(
      'search the logs of every pod of a workload at once, merged in time order, each line prefixed with its pod',
    )
    .option('-l, --selector <selector>', 'the pods this label selector matches (instead of a target)')
    .option('--since <duration>', 'only lines newer than this (e.g. 30m)')
    .option('--grep <regex>', 'only lines matching this regular expression; counts the matches per pod')
    .option('-p, --previous', "the previous (crashed) container's log")
    .option('--tail <lines>', 'the last lines of each container')
    .addHelpText(
      'after',
      '\nTargets: deployment/NAME, statefulset/NAME, daemonset/NAME, pod/NAME (or -l SELECTOR).\n\nExamples:\n  inc logs deployment/api -n payments --since 30m --grep "error|panic"\n  inc logs -l app=checkout -n shop --previous --tail 50\n  inc logs pod/api-7d9f-x2 -n payments',
    )
    .action(async (target: string | undefined, flags: LogsFlags, command) => {
      const env = commandEnv(ctx, command);
      const logTarget = parseTarget(target, flags.selector);
      const pattern = parsePattern(flags.grep);
      const sinceSeconds = flags.since ? Math.ceil(parseDuration(flags.since, '--since') / 1000) : undefined;
      const tailLines = parseTail(flags.tail);
      const { openKube } = await import('../../kube/index.js');
      const { listLogPods, fetchPodLogs } = await import('../../triage/adapters/pod-logs.js');
      const { searchLogs } = await import('../../triage/log-search.js');
      const kube = await openKube({ globals: env.globals, env: env.env, clock: env.clock, signal: env.signal });
      try {
        const namespace = kube.namespace;
        const pods = await listLogPods(kube, logTarget, namespace);
        if (pods.length === 0) {
          env.output.err(`no pods match ${describeTarget(logTarget)} in namespace ${namespace}`);
          return;
        }
        const options = { namespace, sinceSeconds, tailLines, previous: flags.previous };
        const { streams, failures } = await fetchPodLogs(kube, pods, options);
        for (const failure of failures)
          env.output.err(env.errTheme.warn(`${failure.pod}/${failure.container}: ${failure.error}`));
        const result = searchLogs(streams, pattern);
        const colour = podColours(
          env.theme,
          streams.map((s) => s.pod),
        );
        for (const line of result.lines)
          env.output.out(`${colour(line.pod, `[pod/${line.pod}/${line.container}]`)} ${line.at} ${line.text}`);
        if (pattern)
          env.output.err(
            result.counts
              .map(({ pod, matches }) => `${pod}: ${matches} matching line${matches === 1 ? '' : 's'}`)
              .join('\n'),
          );
      } finally {
        kube.close();
      }
    });
};

function parseTarget(target: string | undefined, selector: string | undefined): LogTarget {
  if (selector !== undefined) {
    if (target) throw new UsageError('give a target or -l SELECTOR, not both');
    return { kind: 'selector', selector };
  }
  const match = /^(deployment|deploy|statefulset|sts|daemonset|ds|pod|po)\/([a-z0-9][-a-z0-9.]*)$/.exec(target ?? '');
  if (!match) {
    throw new UsageError(
      target ? `"${target}" is not a target inc logs reads` : 'inc logs needs a target or -l SELECTOR',
      {
        hint: 'for example deployment/api, statefulset/db, pod/api-7d9f-x2, or -l app=api',
      },
    );
  }
  const kinds: Record<string, LogTarget['kind']> = {
    deploy: 'deployment',
    sts: 'statefulset',
    ds: 'daemonset',
    po: 'pod',
  };
  const kind = kinds[match[1]!] ?? (match[1] as LogTarget['kind']);
  return { kind, name: match[2]! } as LogTarget;
}

function describeTarget(target: LogTarget): string {
  return target.kind === 'selector' ? `-l ${target.selector}` : `${target.kind}/${target.name}`;
}

function parsePattern(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`--grep ${text} is not a valid regular expression: ${(error as Error).message}`);
  }
}

function parseTail(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const lines = Number(text);
  if (!Number.isInteger(lines) || lines < -1) throw new UsageError(`--tail ${text} is not a number of lines`);
  return lines < 0 ? undefined : lines;
}

/** One colour per pod, in turn, as stern gives them. */
function podColours(theme: Theme, pods: readonly string[]): (pod: string, text: string) => string {
  const palette = [theme.cmd, theme.ok, theme.warn, theme.accent, theme.bold, theme.dim];
  const index = new Map([...new Set(pods)].map((pod, i) => [pod, i % palette.length]));
  return (pod, text) => palette[index.get(pod) ?? 0]!(text);
}

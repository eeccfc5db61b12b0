import { UsageError } from '../../errors.js';
import type { KubeClient } from '../../kube/index.js';
import type { LogTarget } from '../../triage/adapters/pod-logs.js';
import type { LogLine } from '../../triage/log-search.js';
import type { Theme } from '../../ui/theme.js';

/** `deployment/NAME`, `statefulset/NAME`, `daemonset/NAME`, `pod/NAME` (short names too) or `-l SELECTOR`. */
export function parseLogTarget(target: string | undefined, selector: string | undefined): LogTarget {
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

export function describeLogTarget(target: LogTarget): string {
  return target.kind === 'selector' ? `-l ${target.selector}` : `${target.kind}/${target.name}`;
}

/**
 * `--grep`: case-insensitive unless the pattern has a capital letter (smart case, as ripgrep's -S):
 * `error|panic` finds `ERROR`, where logs write their levels in capitals; `ERROR` finds only that.
 */
export function parsePattern(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    // A capital in an escape (`\S`, `\D`) is no letter of the text sought.
    const capital = /[A-Z]/.test(text.replace(/\\./g, ''));
    return new RegExp(text, capital ? '' : 'i');
  } catch (error) {
    throw new UsageError(`--grep ${text} is not a valid regular expression: ${(error as Error).message}`);
  }
}

export function parseTail(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const lines = Number(text);
  if (!Number.isInteger(lines) || lines < -1) throw new UsageError(`--tail ${text} is not a number of lines`);
  return lines < 0 ? undefined : lines;
}

/** A line as printed: `[pod/POD/CONTAINER] TIME TEXT`, as kubectl's --prefix --timestamps prints it. */
export function formatLogLine(line: LogLine, prefix: (pod: string, text: string) => string = (_, t) => t): string {
  return `${prefix(line.pod, `[pod/${line.pod}/${line.container}]`)} ${line.at} ${line.text}`;
}

/** One colour per pod, in turn, as stern gives them; a pod seen first later gets the next colour. */
export function podColours(theme: Theme, pods: readonly string[] = []): (pod: string, text: string) => string {
  const palette = [theme.cmd, theme.ok, theme.warn, theme.accent, theme.bold, theme.dim];
  const index = new Map<string, number>();
  const colourOf = (pod: string) => {
    let at = index.get(pod);
    if (at === undefined) {
      at = index.size % palette.length;
      index.set(pod, at);
    }
    return palette[at]!;
  };
  for (const pod of pods) colourOf(pod);
  return (pod, text) => colourOf(pod)(text);
}

/** A workload or pod that is not there: says what is (exit 2), as inc run does, instead of the API's 404. */
export async function explainMissing(kube: KubeClient, target: LogTarget, error: unknown): Promise<void> {
  const { isNotFound } = await import('../../kube/access.js');
  if (target.kind === 'selector' || !isNotFound(error)) return;
  const { assertTargetExists } = await import('../../playbooks/k8s/find-target.js');
  await assertTargetExists(kube, `${target.kind}s`, kube.namespace, target.name, (other) => `pass -n ${other}`);
}

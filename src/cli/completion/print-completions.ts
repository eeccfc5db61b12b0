import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import type { CliContext } from '../context.js';
import { completeWords } from './complete-words.js';
import { localCompletionSources } from './completion-sources.js';

export async function printCompletions(ctx: CliContext, program: Command, words: readonly string[]): Promise<number> {
  const typed = words.length > 0 ? words : [''];
  const kubeconfigAt = typed.indexOf('--kubeconfig');
  const kubeconfig = kubeconfigAt >= 0 && kubeconfigAt < typed.length - 2 ? typed[kubeconfigAt + 1] : undefined;
  const sources = localCompletionSources({ env: ctx.env, cwd: ctx.cwd, kubeconfig });
  const candidates = await completeWords(program, typed, sources);
  if (candidates.length > 0) ctx.output.out(candidates.join('\n'));
  return ExitCode.ok;
}

import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { UsageError } from '../../errors.js';
import { ACTIONS } from '../../playbooks/actions/index.js';
import { formatIssue, PlaybookValidationError } from '../../playbooks/errors.js';
import { findPlaybook, listPlaybooks, loadPlaybookFile, playbookSearchPath } from '../../playbooks/load-playbooks.js';
import type { CommandEnv } from '../context.js';

function searchPath(env: CommandEnv) {
  const config = loadConfig(env.env);
  return playbookSearchPath({ env: env.env, cwd: env.cwd, playbookDirs: config.playbookDirs });
}

/** `inc playbooks list`: name, title, source, and "overrides built-in". */
export function listPlaybooksCommand(env: CommandEnv): void {
  const entries = listPlaybooks(searchPath(env));
  if (env.globals.output === 'json') {
    env.output.out(
      JSON.stringify(
        entries.map((e) => ({
          name: e.name,
          title: e.playbook?.metadata.title,
          source: e.source,
          file: e.file,
          overrides: e.overrides,
          error: e.error?.message,
        })),
        null,
        2,
      ),
    );
    return;
  }
  const width = Math.max(4, ...entries.map((e) => e.name.length));
  env.output.out(env.theme.bold(`${'NAME'.padEnd(width)}  SOURCE    TITLE`));
  for (const entry of entries) {
    const note = entry.overrides ? env.theme.warn(` (overrides ${entry.overrides})`) : '';
    const title = entry.error
      ? env.theme.error(`invalid: ${entry.error.message}`)
      : (entry.playbook?.metadata.title ?? '');
    env.output.out(`${entry.name.padEnd(width)}  ${entry.source.padEnd(8)}  ${title}${note}`);
  }
}

/** `inc playbooks show NAME`. */
export function showPlaybookCommand(env: CommandEnv, name: string): void {
  const entry = findPlaybook(name, searchPath(env), env.cwd);
  const { playbook } = entry;
  if (env.globals.output === 'json') {
    env.output.out(JSON.stringify({ ...playbook, source: entry.source, file: entry.file }, null, 2));
    return;
  }
  const t = env.theme;
  const lines = [
    `${t.heading(playbook.metadata.name)}: ${playbook.metadata.title}`,
    t.dim(`${entry.source}: ${entry.file}`),
  ];
  if (entry.overrides) lines.push(t.warn(`overrides the ${entry.overrides} playbook of the same name`));
  if (playbook.metadata.description) lines.push('', playbook.metadata.description);
  lines.push('', t.bold('Parameters:'));
  for (const p of playbook.params) {
    const facts = [
      p.type === 'enum' ? `one of ${p.values?.join('|')}` : p.type,
      p.required && p.default === undefined ? 'required' : undefined,
      p.default !== undefined
        ? `default ${p.default}`
        : p.name === 'namespace'
          ? 'default -n or the context namespace'
          : undefined,
      p.format,
      p.min !== undefined ? `≥ ${p.min}` : undefined,
    ].filter(Boolean);
    lines.push(`  ${t.bold(p.name)} (${facts.join(', ')})${p.description ? ` — ${p.description}` : ''}`);
  }
  if (playbook.params.length === 0) lines.push('  (none)');
  lines.push('', t.bold('Steps:'));
  playbook.steps.forEach((step, index) => {
    const definition = ACTIONS[step.action];
    const kind = definition.mutating ? t.warn('changes') : t.dim('reads');
    lines.push(
      `  ${index + 1}. ${t.bold(step.id)} ${t.cmd(step.action)} [${kind}]: ${step.description ?? definition.description}`,
    );
    const values = Object.entries(step.with).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    if (values.length) lines.push(t.dim(`     with ${values.join(' ')}`));
    if (step.when) lines.push(t.dim(`     when ${step.when}`));
  });
  if (playbook.suggestWhen) {
    const s = playbook.suggestWhen;
    const parts = [
      s.reasons?.length ? `reasons ${s.reasons.join(', ')}` : undefined,
      s.findings?.length ? `findings ${s.findings.join(', ')}` : undefined,
      s.recentRollout ? 'after a recent rollout' : undefined,
    ].filter(Boolean);
    lines.push('', `${t.bold('Suggested by triage for:')} ${parts.join('; ')}`);
  }
  const required = playbook.params.filter((p) => p.required && p.default === undefined && p.name !== 'namespace');
  lines.push(
    '',
    `${t.bold('Run:')} ${t.cmd(`inc run ${playbook.metadata.name} ${required.map((p) => `--set ${p.name}=…`).join(' ')}`.trim())}`,
  );
  for (const line of lines) env.output.out(line);
}

/**
 * `inc playbooks validate FILE…`: every problem, one per line (with -o json, one object per file);
 * exit 2 if any file is invalid.
 */
export function validatePlaybooksCommand(env: CommandEnv, files: readonly string[]): void {
  const results = files.map((file) => validateFile(env, file));
  if (env.globals.output === 'json') env.output.out(JSON.stringify(results, null, 2));
  else {
    for (const result of results) {
      if (result.valid) {
        const steps = `${result.steps} step${result.steps === 1 ? '' : 's'}`;
        env.output.out(`${env.theme.ok('✓')} ${result.file}: playbook ${result.name} (${steps}) is valid`);
      } else for (const issue of result.issues) env.output.err(env.errTheme.error(issue));
    }
  }
  const failed = results.filter((result) => !result.valid).length;
  if (failed > 0) {
    throw new UsageError(`${failed} of ${files.length} playbook file${files.length > 1 ? 's are' : ' is'} invalid`, {
      hint:
        env.globals.output === 'json'
          ? 'each problem is listed in "issues"'
          : 'each problem is listed above as file:line:col',
    });
  }
}

type ValidatedFile =
  | { file: string; valid: true; name: string; steps: number }
  | { file: string; valid: false; issues: string[] };

function validateFile(env: CommandEnv, file: string): ValidatedFile {
  try {
    const playbook = loadPlaybookFile(resolve(env.cwd, file), file);
    return { file, valid: true, name: playbook.metadata.name, steps: playbook.steps.length };
  } catch (error) {
    if (!(error instanceof PlaybookValidationError)) throw error;
    return { file, valid: false, issues: error.issues.map(formatIssue) };
  }
}

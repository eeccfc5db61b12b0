import { Argument } from 'commander';
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from '../completion/shell-scripts.js';
import type { RegisterCommand } from './register-command.js';

export const registerCompletionCommand: RegisterCommand = (program, ctx) => {
  program
    .command('completion')
    .description('print the shell completion script (commands, flags, playbooks, --set keys, incidents, contexts)')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  source <(inc completion bash)                     in ~/.bashrc
  source <(inc completion zsh)                      in ~/.zshrc (after compinit)
  inc completion fish > ~/.config/fish/completions/inc.fish

Completion is dynamic, as kubectl's: playbook names after "run", the chosen playbook's parameters
after "--set", incident ids after "--incident" and "use", contexts and namespaces from the kubeconfig,
scenarios after "demo" and "sim", severities after "sev" and "escalate", roles after "role", contacts
after "escalate --to". It reads only local files and never contacts a cluster.`,
    )
    .action((shell: CompletionShell) => ctx.output.out(completionScript(shell)));
};

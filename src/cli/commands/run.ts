import type { Command } from 'commander';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export const registerRunCommand: RegisterCommand = (program, ctx) => {
  program
    .command('run')
    .description('run a mitigation playbook: plan (diff and server-side dry run), confirm, apply, verify, record')
    .argument('<playbook>', 'a playbook name (inc playbooks list) or a playbook file')
    .option('--set <key=value>', 'set a parameter (repeatable)', collect, [])
    .option('--trust', 'run a playbook from ./.inc/playbooks or a file path that is not trusted yet (this run only)')
    .option('--confirm-context <name>', 'type the context name in advance: needed with --yes on a protected context')
    .addHelpText(
      'after',
      `
Examples:
  inc run rollback --set namespace=payments --set deployment=api
  inc run rollback -n payments --set deployment=api --dry-run     plan only, change nothing
  inc run scale --set deployment=api --set replicas=6 --yes       no questions (required without a terminal)
  inc run rollback -n data --set statefulset=db                   a StatefulSet (also --set daemonset=NAME,
                                                                  or --set kind=statefulset --set deployment=db)
  inc run argo-pause-sync --set app=payments-api
  inc run restart -n payments --set deployment=api --as oncall-admin --as-group sre   as a break-glass identity, as kubectl --as
  inc run cordon-node --set node=node-2                           drain by eviction (budgets honoured)
  inc run cordon-node --set node=node-2 --set forceDelete=true    also delete what a budget keeps refusing
  inc run delete-node --set node=node-2                           a node that will not come back (cannot be undone)
  inc run silence-alert --set alertname=HighErrorRate --yes       silence the paging alert; inc undo expires it
  inc run feature-flag --set url=https://api.example.com/admin/flags   POST {"feature": false}; no kubeconfig needed
  inc run ./.inc/playbooks/drain-queue.yaml --set deployment=orders   asks to trust it first (its sha256 is recorded)
  inc run ./ops/drain-queue.yaml --set deployment=orders --trust --yes   a script: trust this file for this run
  inc run pin-image --set image=api:2.3.0                         on a terminal: asks namespace and deployment

Missing parameters are asked on a terminal (choices from the cluster; the namespace too unless -n
is given) and are an error without one. A deployment's only container is taken without asking.
A target missing from the namespace stops the run before anything changes ("did you mean shop/web?").

Before the first change inc shows the context, cluster and namespace; every change is shown as a
diff and dry-run on the server first, applied with a resourceVersion precondition (a concurrent
change is reported, never overwritten), verified, and recorded with its inverse (inc undo).
scale changes a HorizontalPodAutoscaler's bounds when one targets the workload (it would undo a
direct scale).
A playbook from ./.inc/playbooks or a file path runs only once trusted: on a terminal inc shows it
and asks (recording its sha256 in the config); without one it needs --trust. A changed file is
untrusted again.
Contexts matching protectedContexts in the config (default: prod, prd, any case) need their name
typed; a script passes it with --yes --confirm-context NAME (--yes alone is refused there).`,
    )
    .action(
      async (name: string, flags: { set: string[]; confirmContext?: string; trust?: boolean }, command: Command) => {
        const env = commandEnv(ctx, command);
        const { executeRun } = await import('./playbook-session.js');
        await executeRun(env, {
          playbook: name,
          sets: flags.set,
          what: `inc run ${name}`,
          confirmContext: flags.confirmContext,
          trust: flags.trust,
        });
      },
    );
};

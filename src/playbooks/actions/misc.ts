import { parseDuration } from '../../duration.js';
import { IncError, UsageError } from '../../errors.js';
import { describeActingAs } from '../../incident/acting-as.js';
import { registerSecretValues } from '../../incident/redact.js';
import { proxiedFetch } from '../../proxied-fetch.js';
import type { MutatingAction, ReadAction } from '../action-types.js';
import type { ActionWith } from '../action-with.js';
import { withRunKubeconfig } from '../k8s/exec-kubeconfig.js';

export class HttpStepError extends IncError {
  constructor(message: string) {
    super(message, { code: 'HTTP_STEP' });
  }
}

function expected(w: ActionWith<'http'>, status: number): boolean {
  if (w.expectStatus === undefined) return status >= 200 && status < 300;
  return Array.isArray(w.expectStatus) ? w.expectStatus.includes(status) : w.expectStatus === status;
}

/**
 * Whether an http step changes something (so it is planned, confirmed and recorded). `mutating: true`
 * marks a GET that changes something; no flag makes a POST, PUT, PATCH or DELETE read-only.
 */
export function httpIsMutating(w: ActionWith<'http'>): boolean {
  return w.mutating === true || !['GET', 'HEAD'].includes(w.method ?? 'GET');
}

/** A body declared as JSON (by its content-type header) must parse, before anything is sent. */
function assertJsonBody(w: ActionWith<'http'>): void {
  const type = Object.entries(w.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (w.body === undefined || !type || !/\bjson\b/i.test(type)) return;
  try {
    JSON.parse(w.body);
  } catch (error) {
    throw new UsageError(`the body is not valid JSON (content type ${type}): ${(error as Error).message}`, {
      hint: `for example --set body='{"feature": false}'`,
    });
  }
}

/** A header's value from the environment; an unset or empty variable is refused (an empty token would be sent). */
function headerFromEnv(env: NodeJS.ProcessEnv, header: string, variable: string): string {
  const value = env[variable];
  if (value === undefined || value.trim() === '')
    throw new UsageError(
      `header ${header} needs the environment variable ${variable}, which is ${value === undefined ? 'not set' : 'empty'}`,
      { code: 'HTTP_STEP_ENV', hint: `export ${variable}=… and run it again; nothing was sent` },
    );
  return value;
}

export const http: MutatingAction<'http'> & { readOnly(w: ActionWith<'http'>): boolean } = {
  name: 'http',
  description: 'call an HTTP endpoint (feature-flag switch, health check); headers may come from environment variables',
  mutating: true,
  readOnly: (w) => !httpIsMutating(w),
  async plan(ctx, w) {
    const url = new URL(w.url);
    const method = w.method ?? 'GET';
    assertJsonBody(w);
    // Before the question: a credential missing or empty is known now, not after the confirmation.
    for (const [header, variable] of Object.entries(w.headersFromEnv ?? {})) headerFromEnv(ctx.env, header, variable);
    const body = w.json === undefined ? w.body : JSON.stringify(w.json);
    // What is sent, its query included (`?enabled=false` is the change); never the user and password.
    const shown = `${url.origin}${url.pathname}${url.search}`;
    return {
      action: 'http',
      summary: `${method} ${shown}${w.expectStatus ? ` (expect ${JSON.stringify(w.expectStatus)})` : ''}`,
      target: { kind: 'URL', name: shown },
      before: {},
      after: {
        request: {
          method,
          url: shown,
          headers: Object.keys({ ...w.headers, ...w.headersFromEnv }),
          body: w.json ?? w.body,
        },
      },
      diff: [`request: ${method} ${shown}`, ...(body === undefined ? [] : [`body: ${body}`])],
      dryRun: 'not-applicable',
    };
  },
  async apply(ctx, _plan, w) {
    const headers: Record<string, string> = { ...w.headers };
    for (const [header, variable] of Object.entries(w.headersFromEnv ?? {})) {
      const value = headerFromEnv(ctx.env, header, variable);
      headers[header] = value;
      // A header taken from the environment is a credential (the feature-flag token), whatever the variable's name.
      registerSecretValues([value]);
    }
    let body = w.body;
    if (w.json !== undefined) {
      body = JSON.stringify(w.json);
      headers['content-type'] ??= 'application/json';
    }
    const method = w.method ?? 'GET';
    const timeout = AbortSignal.timeout(parseDuration(w.timeout ?? '10s', 'timeout'));
    let response: Response;
    try {
      response = await proxiedFetch(w.url, { method, headers, body, signal: AbortSignal.any([ctx.signal, timeout]) });
    } catch (error) {
      const reason = timeout.aborted
        ? `no answer within ${w.timeout ?? '10s'}`
        : error instanceof Error
          ? ((error.cause as Error)?.message ?? error.message)
          : String(error);
      throw new HttpStepError(`${method} ${w.url} failed: ${reason}`);
    }
    const text = (await response.text()).slice(0, 2000);
    if (!expected(w, response.status)) {
      throw new HttpStepError(
        `${method} ${w.url} answered ${response.status}${text ? `: ${text.split('\n')[0]}` : ''}`,
      );
    }
    return { message: `${method} ${w.url} answered ${response.status}`, after: { status: response.status } };
  },
};

export const exec: MutatingAction<'exec'> = {
  name: 'exec',
  description: 'run a program with an argument array (never a shell); its output goes to the incident log',
  mutating: true,
  async plan(ctx, w) {
    const shown = w.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
    const { actingAs } = await ctx.cluster();
    return {
      action: 'exec',
      summary: `run ${shown}`,
      target: { kind: 'Program', name: w.command[0] ?? '' },
      diff: [],
      dryRun: 'not-applicable',
      irreversible: 'inc does not know what a program changes',
      // A program reads the kubeconfig, which has no impersonation field to carry --as in.
      ...(actingAs && {
        warnings: [
          `the program acts as the kubeconfig's own user, not as ${describeActingAs(actingAs)}: --as does not reach a program; put --as in its command if it runs kubectl or helm`,
        ],
      }),
    };
  },
  async apply(ctx, plan, w) {
    const [file, ...args] = w.command;
    const result = await withRunKubeconfig(ctx, (env) =>
      ctx.runProcess(file as string, args, {
        timeoutMs: parseDuration(w.timeout ?? '5m', 'timeout'),
        signal: ctx.signal,
        cwd: w.cwd,
        ...(env && { env }),
      }),
    );
    if (result.startError)
      throw new IncError(`cannot run ${file}: ${result.startError === 'ENOENT' ? 'not found' : result.startError}`);
    const output = `$ ${plan.summary.replace(/^run /, '')}\n${result.stdout}${result.stderr ? `\n[stderr]\n${result.stderr}` : ''}`;
    const stamp = ctx.clock.now().toISOString().replace(/[:.]/g, '-');
    const evidence = await ctx.recorder.saveEvidence?.(`exec-${stamp}.log`, output);
    for (const line of result.stdout.trimEnd().split('\n').slice(-20)) if (line) ctx.info(`  ${line}`);
    if (result.timedOut) throw new IncError(`${file} timed out`);
    if (result.exitCode !== 0) {
      throw new IncError(`${file} exited with ${result.exitCode}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
    return {
      message: `${file} exited 0${evidence ? ` (output saved to ${evidence})` : ''}`,
      after: { exitCode: 0, evidence },
    };
  },
};

export const note: ReadAction<'note'> = {
  name: 'note',
  description: 'add a note (or decision, action item) to the incident log',
  mutating: false,
  async run(ctx, w) {
    const event = await ctx.recorder.record('note', { text: w.text, kind: w.kind ?? 'note' });
    return [event ? `noted: ${w.text}` : `note (not recorded, no incident is open): ${w.text}`];
  },
};

export const wait: ReadAction<'wait'> = {
  name: 'wait',
  description: 'wait for a while (e.g. for caches or autoscalers); Ctrl-C stops it',
  mutating: false,
  async run(ctx, w) {
    const ms = parseDuration(w.duration, 'duration');
    const progress = ctx.progress(`waiting ${w.duration}${w.reason ? `: ${w.reason}` : ''}`);
    try {
      await ctx.clock.sleep(ms, ctx.signal);
    } catch (error) {
      // Ctrl-C: the line ends (a spinner left running would keep inc from exiting).
      progress.fail(`stopped waiting ${w.duration}`);
      throw error;
    }
    progress.succeed(`waited ${w.duration}`);
    return [];
  },
};

export const triage: ReadAction<'triage'> = {
  name: 'triage',
  description: 'run triage on the namespace and report whether the workload is still failing',
  mutating: false,
  async run(ctx, w) {
    if (!ctx.triage) return ['triage is not available in this build; run inc triage'];
    const result = await ctx.triage({ namespace: w.namespace, workload: w.workload });
    return [result.healthy ? 'triage: no critical findings remain' : 'triage: still failing', ...result.lines];
  },
};

export const confirm: ReadAction<'confirm'> = {
  name: 'confirm',
  description: 'ask the responder to confirm before going on (--yes answers it)',
  mutating: false,
  async run(ctx, w) {
    if (ctx.yes) return [`${w.message} (confirmed by --yes)`];
    const ok = await ctx.prompter.confirm(w.message, false);
    if (!ok) throw new IncError(`stopped: "${w.message}" was not confirmed`, { code: 'DECLINED' });
    return [];
  },
};

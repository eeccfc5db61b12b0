import { ExitCode, IncError } from '../errors.js';

/** What a request was doing, in the words RBAC and people use: verb, resource, group, namespace, name. */
export interface KubeCall {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The `metav1.Status` body of an API error, as far as inc reads it. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number; causes?: unknown[] };
}

/** "deployments.apps", "pods", "deployments.apps/scale": the resource as kubectl names it. */
export function describeResource(call: KubeCall): string {
  const base = call.group ? `${call.resource}.${call.group}` : call.resource;
  return call.subresource ? `${base}/${call.subresource}` : base;
}

/** "at cluster scope" or "in namespace payments". */
export function describeScope(call: KubeCall): string {
  return call.namespace ? `in namespace ${call.namespace}` : 'at cluster scope';
}

/** "list pods in namespace payments", "get deployments.apps payments/api". */
export function describeCall(call: KubeCall): string {
  const resource = describeResource(call);
  if (call.name) return `${call.verb} ${resource} ${call.namespace ? `${call.namespace}/` : ''}${call.name}`;
  return `${call.verb} ${resource} ${describeScope(call)}`;
}

export interface KubeApiErrorOptions {
  status: number;
  reason?: string;
  call: KubeCall;
  message: string;
  hint?: string;
  body?: KubeStatus;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Any answer of the API server that is not 2xx: the HTTP status, the Status reason and the call. */
export class KubeApiError extends IncError {
  readonly status: number;
  readonly reason: string | undefined;
  readonly call: KubeCall;
  readonly body: KubeStatus | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(options: KubeApiErrorOptions, code = 'KUBE_API') {
    super(options.message, { code, hint: options.hint, cause: options.cause });
    this.status = options.status;
    this.reason = options.reason;
    this.call = options.call;
    this.body = options.body;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** 403: names the missing RBAC permission, so the responder can ask for exactly that. */
export class KubeForbiddenError extends KubeApiError {
  constructor(options: Omit<KubeApiErrorOptions, 'message' | 'status'> & { serverMessage?: string }) {
    const { call } = options;
    const group = call.group ? ` in API group \`${call.group}\`` : '';
    const resource = call.subresource ? `${call.resource}/${call.subresource}` : call.resource;
    const scope = describeScope(call);
    super(
      {
        ...options,
        status: 403,
        message: `cannot ${call.verb} ${describeResource(call)} ${scope} (forbidden): ask for RBAC permission \`${call.verb}\` on \`${resource}\`${group} ${scope}`,
        hint: options.serverMessage ? `the API server said: ${options.serverMessage}` : undefined,
      },
      'KUBE_FORBIDDEN',
    );
  }
}

/** The cluster could not be reached at all: connection refused, DNS, TLS, timeout. Exit 4. */
export class ClusterUnreachableError extends IncError {
  readonly server: string;
  readonly context: string;
  readonly call: KubeCall | undefined;

  constructor(
    detail: string,
    where: { server: string; context: string; call?: KubeCall },
    cause?: unknown,
    hint = 'check the VPN/network, the context (kubectl config current-context) and whether the API server is up',
  ) {
    super(`cluster unreachable: ${detail} (server ${where.server}, context ${where.context})`, {
      code: 'CLUSTER_UNREACHABLE',
      exitCode: ExitCode.unreachable,
      hint,
      cause,
    });
    this.server = where.server;
    this.context = where.context;
    this.call = where.call;
  }
}

/** How a KubeCredentialsError's message starts, wherever it is carried as text (a check's error). */
export const NO_CREDENTIALS = 'no credentials: ';

/**
 * The kubeconfig's credential plugin (`exec`, or an auth provider) gave no credentials: not installed,
 * or failed (an expired cloud login). The cluster was never asked, so nothing is known of its health.
 */
export class KubeCredentialsError extends IncError {
  /** `exec`: the kubeconfig user's exec plugin, when it has one (else an auth provider failed). */
  constructor(
    context: string,
    exec: { command: string; args: readonly string[]; installHint?: string } | undefined,
    error: unknown,
  ) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    const said = firstLine((error as Error).message ?? String(error));
    // `aws eks get-token`: the command and its first arguments, as the user would recognise it.
    const named = exec
      ? `the credential plugin "${[exec.command, ...exec.args.slice(0, 2)].join(' ')}" of context ${context}`
      : `the auth provider of context ${context}`;
    const what = missing
      ? `${named} could not be started: ${exec?.command ?? 'it'} is not on the PATH`
      : `${named} failed${said ? `: ${said}` : ''}`;
    // A missing plugin: the kubeconfig's own installHint (gke-gcloud-auth-plugin's) says how, as kubectl shows it.
    const install = exec?.installHint
      ? firstLines(exec.installHint)
      : `install ${exec?.command ?? 'the plugin'} or fix the kubeconfig's users[].user.exec.command`;
    super(`${NO_CREDENTIALS}${what}; the cluster was not asked`, {
      code: 'KUBE_CREDENTIALS',
      hint: missing
        ? `${install}; kubectl --context ${context} get --raw /version fails the same way`
        : `log in again with your cloud's CLI (its token may have expired), then retry; kubectl --context ${context} get --raw /version shows the same`,
      cause: error,
    });
  }
}

/** A kubeconfig's installHint as one line: its lines joined, cut to a readable length. */
function firstLines(text: string): string {
  const joined = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
  return joined.length > 400 ? `${joined.slice(0, 400)}…` : joined;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim().slice(0, 300) ?? '';
}

/** How the message of a failed TLS handshake goes on, after "cluster unreachable: ". */
export const TLS_FAILED = 'TLS handshake with ';

/**
 * The TLS hint for an unreachable-cluster message carried as text (a triage check's error), when
 * the message is a failed TLS handshake; undefined otherwise.
 */
export function tlsHintOf(message: string, context: string): string | undefined {
  if (!message.includes(TLS_FAILED)) return undefined;
  return tlsHint(/certificate has expired/i.test(message) ? 'CERT_HAS_EXPIRED' : '', context);
}

/**
 * What to do about a TLS handshake that failed, by why: the server answered, so neither it nor the
 * path to it is down; either its certificate expired (a control-plane fault) or this kubeconfig does
 * not trust it.
 */
export function tlsHint(code: string, context: string): string {
  const check = `kubectl --context ${context} get --raw /version shows the same`;
  if (code === 'CERT_HAS_EXPIRED')
    return `the API server's certificate has expired: its certificates need renewing (kubeadm certs renew, or your provider's rotation); running pods keep serving; ${check}`;
  return `the API server answered, but this kubeconfig does not trust its certificate: check the cluster's certificate-authority(-data), that the server address is a name the certificate covers, or a proxy that intercepts TLS; ${check}`;
}

/** A request that got no answer within --request-timeout. */
export class KubeTimeoutError extends ClusterUnreachableError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, where: { server: string; context: string; call: KubeCall }) {
    super(`no answer within ${timeoutMs} ms to ${describeCall(where.call)}`, where);
    this.timeoutMs = timeoutMs;
  }
}

/** An answer larger than inc reads (a runaway list, or something streaming without end): stopped, not parsed. */
export class KubeResponseTooLargeError extends IncError {
  readonly call: KubeCall;

  constructor(maxBytes: number, call: KubeCall) {
    super(
      `${describeCall(call)}: the answer exceeded ${Math.round(maxBytes / 1024 / 1024)} MiB; inc stopped reading it rather than exhaust memory`,
      {
        code: 'KUBE_RESPONSE_TOO_LARGE',
        hint: 'narrow the request (-n NAMESPACE, a selector), or check what sits between inc and the API server',
      },
    );
    this.call = call;
  }
}

import type { KubeAccess } from '../../kube/access.js';
import type { GettableAlert, GettableSilence, PostableSilence } from './alertmanager-types.js';
import { fetchText, serviceProxyPrefix } from './http-reach.js';

export interface AlertmanagerRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** One request to Alertmanager's API; resolves with the body of a 2xx answer, else throws AlertmanagerError. */
export type AlertmanagerTransport = (request: AlertmanagerRequest) => Promise<string>;

export class AlertmanagerError extends Error {}

/** The parts of the Alertmanager API v2 inc uses: alerts, and creating and expiring silences. */
export class AlertmanagerApi {
  constructor(
    private readonly transport: AlertmanagerTransport,
    /** How the server is named in messages: the URL or the Service. */
    readonly name: string,
  ) {}

  /** Alerts that are firing (active), and the silenced and inhibited ones when asked. */
  async alerts(options: { silenced: boolean; inhibited: boolean }): Promise<GettableAlert[]> {
    const body = await this.transport({
      method: 'GET',
      path: '/api/v2/alerts',
      query: { active: 'true', silenced: String(options.silenced), inhibited: String(options.inhibited) },
    });
    const alerts = this.parse<GettableAlert[]>(body);
    if (!Array.isArray(alerts)) throw new AlertmanagerError(`${this.name} did not answer with a list of alerts`);
    return alerts;
  }

  /** Creates a silence; returns its id. */
  async createSilence(silence: PostableSilence): Promise<string> {
    const body = await this.transport({ method: 'POST', path: '/api/v2/silences', body: silence });
    const id = this.parse<{ silenceID?: string }>(body).silenceID;
    if (!id) throw new AlertmanagerError(`${this.name} created a silence but did not say its id`);
    return id;
  }

  async silence(id: string): Promise<GettableSilence> {
    return this.parse<GettableSilence>(
      await this.transport({ method: 'GET', path: `/api/v2/silence/${encodeURIComponent(id)}` }),
    );
  }

  /** Expires a silence (Alertmanager keeps it, expired, for its retention time). */
  async expireSilence(id: string): Promise<void> {
    await this.transport({ method: 'DELETE', path: `/api/v2/silence/${encodeURIComponent(id)}` });
  }

  private parse<T>(body: string): T {
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new AlertmanagerError(`${this.name} did not answer with JSON: ${body.slice(0, 120)}`);
    }
  }
}

/** Straight to an Alertmanager URL, with a bearer token when one is configured (never shown). */
export function directAlertmanagerTransport(
  baseUrl: string,
  options: { token?: string; timeoutMs: number; signal: AbortSignal },
): AlertmanagerTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const answer = await fetchText(
      `${base}${request.path}${query}`,
      {
        method: request.method,
        body: request.body,
        token: options.token,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      },
      (reason) => new AlertmanagerError(`Alertmanager ${base} unreachable: ${reason}`),
    );
    if (!answer.ok)
      throw new AlertmanagerError(
        `Alertmanager ${base} answered ${answer.status} ${answer.statusText}${answer.text ? `: ${answer.text.trim().slice(0, 200)}` : ''}`,
      );
    return answer.text;
  };
}

/** Through the API server's service proxy, with the kubeconfig's credentials. */
export function proxiedAlertmanagerTransport(
  kube: KubeAccess,
  service: { namespace: string; name: string; port: string },
  timeoutMs: number,
): AlertmanagerTransport {
  const prefix = serviceProxyPrefix(service);
  return async (request) => {
    const answer = await kube.request<unknown>({
      method: request.method,
      path: `${prefix}${request.path}`,
      query: request.query,
      body: request.body,
      text: true,
      timeoutMs,
    });
    return typeof answer === 'string' ? answer : JSON.stringify(answer ?? null);
  };
}

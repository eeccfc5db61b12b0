import { ApiStatusError } from './status.js';

/** Faults the simulator injects, from a scenario or flags. */
export interface SimFaults {
  /** Added to every answer, in real milliseconds. */
  latencyMs?: number;
  /** Fraction (0..1) of resource requests answered with `errorStatus`. */
  errorRate?: number;
  errorStatus?: 500 | 429 | 503;
  /** Resource plurals the error rate applies to (default: all). */
  errorResources?: string[];
  /**
   * Resource plurals (e.g. `['nodes']`) every request for which is denied with the RBAC 403 (their
   * subresources too), or one verb on one resource as RBAC names it (`patch deployments`: a role that may
   * read but not change them, `patch deployments/scale`); `*` denies all.
   */
  forbidden?: string[];
  /** metrics.k8s.io is not served, as in a cluster without metrics-server. */
  noMetrics?: boolean;
  /** Fraction (0..1) of resource answers whose connection is destroyed mid-body. */
  dropConnectionRate?: number;
  /** Fraction (0..1) of writes (not dry runs) applied, whose answer's connection is then destroyed mid-body. */
  dropWriteRate?: number;
  /** Fraction (0..1) of resource requests answered 200 with an HTML page (a proxy's login page), never reaching the API. */
  htmlRate?: number;
  /** Fraction (0..1) of resource answers sent complete at the HTTP level but with the JSON cut in half. */
  truncateRate?: number;
  /** Makes the random draws reproducible. */
  seed?: number;
}

/** What the fault layer decided for one request. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error'; error: ApiStatusError; retryAfterSeconds?: number }
  | { kind: 'drop' }
  | { kind: 'html' }
  | { kind: 'truncate' };

/** A small deterministic PRNG (mulberry32), so a seeded fault pattern repeats exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly random: () => number;

  constructor(private readonly faults: SimFaults = {}) {
    this.random = faults.seed === undefined ? Math.random : mulberry32(faults.seed);
  }

  get latencyMs(): number {
    return Math.max(0, this.faults.latencyMs ?? 0);
  }

  get metricsServed(): boolean {
    return !this.faults.noMetrics;
  }

  /** Whether `verb` on `plural` (or its subresource) is denied; without a verb, whether every verb is. */
  isForbidden(plural: string, verb?: string, subresource?: string): boolean {
    const forbidden = this.faults.forbidden ?? [];
    if (forbidden.includes('*') || forbidden.includes(plural)) return true;
    return verb !== undefined && forbidden.includes(`${verb} ${subresource ? `${plural}/${subresource}` : plural}`);
  }

  /** Whether an applied write loses its answer: the change happened, the client cannot know it. */
  dropsWrite(): boolean {
    const rate = this.faults.dropWriteRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** Decides whether a request for `plural` fails or has its connection dropped. */
  decide(plural: string): FaultDecision {
    const { errorRate = 0, errorResources, dropConnectionRate = 0, htmlRate = 0, truncateRate = 0 } = this.faults;
    const applies = !errorResources || errorResources.length === 0 || errorResources.includes(plural);
    if (applies && errorRate > 0 && this.random() < errorRate) {
      const status = this.faults.errorStatus ?? 500;
      return { kind: 'error', ...injectedError(status) };
    }
    if (dropConnectionRate > 0 && this.random() < dropConnectionRate) return { kind: 'drop' };
    if (htmlRate > 0 && this.random() < htmlRate) return { kind: 'html' };
    if (truncateRate > 0 && this.random() < truncateRate) return { kind: 'truncate' };
    return { kind: 'none' };
  }
}

function injectedError(status: 500 | 429 | 503): { error: ApiStatusError; retryAfterSeconds?: number } {
  switch (status) {
    case 429:
      return {
        error: new ApiStatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
          retryAfterSeconds: 1,
        }),
        retryAfterSeconds: 1,
      };
    case 503:
      return {
        error: new ApiStatusError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {
          retryAfterSeconds: 1,
        }),
        retryAfterSeconds: 1,
      };
    default:
      return {
        error: new ApiStatusError(500, 'InternalError', 'Internal error occurred: injected fault (inc-sim)', {
          causes: [{ reason: 'UnexpectedServerResponse', message: 'injected fault (inc-sim)' }],
        }),
      };
  }
}

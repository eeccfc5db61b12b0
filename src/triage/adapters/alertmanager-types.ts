/**
 * The Alertmanager API v2 shapes inc reads and writes, after the published OpenAPI
 * (prometheus/alertmanager, api/v2/openapi.yaml): `gettableAlert`, `postableSilence`, `gettableSilence`.
 */

export type LabelSet = Record<string, string>;

/** `alertStatus`. */
export interface AlertStatus {
  state: 'unprocessed' | 'active' | 'suppressed';
  silencedBy: string[];
  inhibitedBy: string[];
}

/** `gettableAlert` (GET /api/v2/alerts). */
export interface GettableAlert {
  labels: LabelSet;
  annotations: LabelSet;
  receivers: { name: string }[];
  fingerprint: string;
  startsAt: string;
  updatedAt: string;
  endsAt: string;
  status: AlertStatus;
  generatorURL?: string;
}

/** `matcher`; `isEqual` defaults to true (a negative matcher when false). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** `postableSilence` (POST /api/v2/silences); with an `id`, it updates that silence. */
export interface PostableSilence {
  id?: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** `gettableSilence` (GET /api/v2/silence/{id}). */
export interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: 'expired' | 'active' | 'pending' };
  updatedAt: string;
}

import type { SimObject } from './cluster-state.js';
import { invalid, type StatusCause } from './status.js';
import { autoscalerCauses, budgetCauses, networkPolicyCauses } from './validation-policy.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names must be DNS-1123 labels (no dots, ≤ 63) or DNS-1035 labels (services), as the API server checks. */
const LABEL_NAMED = new Set(['Namespace']);
const DNS1035_NAMED = new Set(['Service']);
const REPLICATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

function nameCauses(kind: string, name: string): StatusCause[] {
  const invalidName = (detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: "${name}": ${detail}`,
    field: 'metadata.name',
  });
  if (DNS1035_NAMED.has(kind)) {
    if (name.length > 63) return [invalidName('must be no more than 63 characters')];
    return DNS1035_LABEL.test(name) ? [] : [invalidName(DNS1035_MESSAGE)];
  }
  if (LABEL_NAMED.has(kind)) {
    if (name.length > 63) return [invalidName('must be no more than 63 characters')];
    return DNS1123_LABEL.test(name) ? [] : [invalidName(LABEL_MESSAGE)];
  }
  if (name.length > 253) return [invalidName('must be no more than 253 characters')];
  return DNS1123_SUBDOMAIN.test(name) ? [] : [invalidName(SUBDOMAIN_MESSAGE)];
}

/** Validates what every write must satisfy; throws 422 Invalid with one cause per problem. */
export function validateObject(object: SimObject, group: string): void {
  const causes: StatusCause[] = [];
  const name = object.metadata.name;
  if (!name && !object.metadata.generateName) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  } else if (name) {
    causes.push(...nameCauses(object.kind, name));
  }
  if (REPLICATED.has(object.kind)) {
    const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
    if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      });
    }
  }
  if (
    object.kind === 'Deployment' ||
    object.kind === 'ReplicaSet' ||
    object.kind === 'StatefulSet' ||
    object.kind === 'DaemonSet'
  ) {
    causes.push(...selectorCauses(object));
  }
  if (object.kind === 'HorizontalPodAutoscaler') causes.push(...autoscalerCauses(object));
  if (object.kind === 'PodDisruptionBudget') causes.push(...budgetCauses(object));
  if (object.kind === 'NetworkPolicy') causes.push(...networkPolicyCauses(object));
  causes.push(...jobRestartPolicyCauses(object));
  if (causes.length > 0) throw invalid(object.kind, group, name || object.metadata.generateName || '', causes);
}

/** A Job's pods are never restarted in place by `Always`: only OnFailure and Never are accepted. */
function jobRestartPolicyCauses(object: SimObject): StatusCause[] {
  // biome-ignore lint/suspicious/noExplicitAny: the nested template is read as plain JSON
  const spec = object.spec as Record<string, any> | undefined;
  const [jobSpec, field] =
    object.kind === 'Job'
      ? [spec, 'spec.template.spec.restartPolicy']
      : object.kind === 'CronJob'
        ? [spec?.jobTemplate?.spec, 'spec.jobTemplate.spec.template.spec.restartPolicy']
        : [undefined, ''];
  const policy = jobSpec?.template?.spec?.restartPolicy;
  if (!jobSpec || policy === 'OnFailure' || policy === 'Never') return [];
  return [
    {
      reason: policy === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
      message:
        policy === undefined
          ? 'Required value: valid values: "OnFailure", "Never"'
          : `Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"`,
      field,
    },
  ];
}

/** apps/v1 requires a selector that matches the template's labels. */
function selectorCauses(object: SimObject): StatusCause[] {
  const spec = object.spec as
    | {
        selector?: { matchLabels?: Record<string, string> };
        template?: { metadata?: { labels?: Record<string, string> } };
      }
    | undefined;
  if (!spec?.selector) return [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' }];
  const labels = spec.template?.metadata?.labels ?? {};
  const matchLabels = spec.selector.matchLabels ?? {};
  const mismatch = Object.entries(matchLabels).some(([k, v]) => labels[k] !== v);
  if (!mismatch) return [];
  return [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    },
  ];
}

import type { SimObject } from './cluster-state.js';
import type { StatusCause } from './status.js';

type Dict = Record<string, unknown>;

const int = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** autoscaling/v2 HorizontalPodAutoscaler: a target, and 1 ≤ minReplicas ≤ maxReplicas, as the API server checks. */
export function autoscalerCauses(object: SimObject): StatusCause[] {
  const spec = (object.spec ?? {}) as Dict;
  const causes: StatusCause[] = [];
  const ref = (spec.scaleTargetRef ?? {}) as Dict;
  if (!ref.kind)
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.scaleTargetRef.kind' });
  if (!ref.name)
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.scaleTargetRef.name' });
  const { minReplicas: min, maxReplicas: max } = spec;
  if (!int(max) || max < 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(max ?? 0)}: must be greater than 0`,
      field: 'spec.maxReplicas',
    });
  }
  if (min !== undefined && (!int(min) || min < 1)) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(min)}: must be greater than or equal to 1`,
      field: 'spec.minReplicas',
    });
  } else if (int(min) && int(max) && max < min) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${max}: must be greater than or equal to \`minReplicas\``,
      field: 'spec.maxReplicas',
    });
  }
  return causes;
}

/** policy/v1 PodDisruptionBudget: minAvailable and maxUnavailable exclude each other. */
export function budgetCauses(object: SimObject): StatusCause[] {
  const spec = (object.spec ?? {}) as Dict;
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": minAvailable and maxUnavailable cannot be both set',
        field: 'spec',
      },
    ];
  }
  return [];
}

/** networking/v1 NetworkPolicy: policyTypes are Ingress or Egress, each once, as the API server checks. */
export function networkPolicyCauses(object: SimObject): StatusCause[] {
  const types = ((object.spec ?? {}) as Dict).policyTypes;
  if (types === undefined) return [];
  if (!Array.isArray(types)) {
    return [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be a list', field: 'spec.policyTypes' }];
  }
  const causes: StatusCause[] = [];
  types.forEach((type, index) => {
    if (type !== 'Ingress' && type !== 'Egress') {
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(type)}: supported values: "Egress", "Ingress"`,
        field: `spec.policyTypes[${index}]`,
      });
    }
  });
  if (types.length > 2) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(types)}: may not specify more than two policyTypes`,
      field: 'spec.policyTypes',
    });
  }
  return causes;
}

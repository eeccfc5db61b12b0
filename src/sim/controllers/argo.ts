import type { Controller } from '../cluster-state.js';
export const argoController: Controller = { name: 'argo', reconcile() {} };

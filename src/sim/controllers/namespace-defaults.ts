/**
 * Two controller-manager loops that fill every namespace: the service account controller (a `default`
 * ServiceAccount) and the root CA publisher (the `kube-root-ca.crt` ConfigMap, with the cluster's CA so
 * pods can verify the API server). Both put back what is deleted, as upstream does.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { isDeleting } from './util.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the ' +
  'internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The simulated cluster's CA: a self-signed certificate made once for it (its key was never kept). */
const CLUSTER_CA = `-----BEGIN CERTIFICATE-----
MIIBezCCASKgAwIBAgIBATAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDAprdWJlcm5l
dGVzMB4XDTI2MTEyODE1MTczN1oXDTM2MTEyNTE1MTczN1owFTETMBEGA1UEAwwK
a3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEVoS3XBwwM22Xxn
ShpzZcNzS7471qS1zD+ntAao+XOJZvtnAbmedEAAHmzTlXAq2G8l5mXk4XnRoicS
qU8LsvqjYzBhMB0GA1UdDgQWBBQZxxHCJqQB4QgUNsj7r7+CA4omEDAfBgNVHSME
GDAWgBQZxxHCJqQB4QgUNsj7r7+CA4omEDAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
DwEB/wQEAwICpDAKBggqhkjOPQQDAgNHADBEAiBNcS9N2LfmnBtYV0VqNqt3BScW
OuTtJR/o3HJ89DoMNQIgOy94YGAge7ov3wnVtkPTg4/Zw0kmVAG3MPpCQMzhVX4=
-----END CERTIFICATE-----
`;

function ensure(state: ClusterState, object: SimObject): void {
  if (state.get(object.kind, object.metadata.namespace, object.metadata.name)) return;
  state.create(object);
}

export const namespaceDefaultsController: Controller = {
  name: 'namespace-defaults',
  reconcile(state) {
    for (const ns of state.list('Namespace')) {
      // A terminating namespace takes no new objects (the API server refuses them).
      if (isDeleting(ns) || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') continue;
      const namespace = ns.metadata.name;
      ensure(state, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
      ensure(state, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: ROOT_CA_CONFIGMAP,
          namespace,
          annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION },
        },
        data: { 'ca.crt': CLUSTER_CA },
      });
    }
  },
};

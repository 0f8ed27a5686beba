/**
 * The one pinned control-plane release. v1.36.3 because its staging modules (k8s.io/* v0.36.3)
 * are all served by the module proxy and it is the served release closest to the kubectl
 * binaries on the machines (1.27 … 1.33); etcd is the version that release's own go.mod pins
 * (so the apiserver's etcd client and the server match); kwok v0.8.0 is built against
 * k8s.io/* v0.36.x. Changing the Kubernetes or etcd version: edit here, then
 * `npx tsx harness/controlplane/gen-gomod.ts`; kwok: go/kwok/go.mod.
 */
export const KUBE_VERSION = 'v1.36.3';
export const ETCD_VERSION = 'v3.6.8';
export const KWOK_VERSION = 'v0.8.0';

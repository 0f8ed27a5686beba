/**
 * The one pinned control-plane release. v1.36.3 because its staging modules (k8s.io/* v0.36.3)
 * are all served by the module proxy and it is the served release closest to the kubectl
 * binaries on the machines (1.27 … 1.33); etcd is the version that release's own go.mod pins.
 * Changing either: edit here, then `npx tsx harness/controlplane/gen-gomod.ts`.
 */
export const KUBE_VERSION = 'v1.36.3';
export const ETCD_VERSION = 'v3.6.8';

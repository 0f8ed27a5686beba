/**
 * Names of the embedded pieces, for "missing: …" messages. Kept in a module of their own so that
 * checking prerequisites (`k3s-daas-harness --help`, `validate`) loads none of the backends'
 * dependencies (@kubernetes/client-node alone takes ~1.5 s to load).
 */
export const EMBEDDED_SUI_PIECE = 'embedded Sui node (harness/embedded/sui)';
export const EMBEDDED_KUBE_PIECE = 'embedded Kubernetes API server (harness/embedded/kube)';

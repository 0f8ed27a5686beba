/**
 * `kubectl auth whoami` asks the API server for a SelfSubjectReview. The cluster only knows the
 * listener's identity (it would answer "admin, system:masters"); the caller behind K3s-DaaS is the
 * SealToken holder the gateway authenticated from the bearer token, so the gateway answers it.
 * The review's body carries nothing to read.
 */
import type { Identity } from '../shared/identities.ts';

export const SELF_REVIEW_GROUP = 'authentication.k8s.io';
export const SELF_REVIEW_RESOURCE = 'selfsubjectreviews';

/** Keys of `status.userInfo.extra`: what ties the caller to the chain. */
export const SELF_REVIEW_EXTRA = {
  name: 'k3s-daas.io/identity-name',
  sealToken: 'k3s-daas.io/seal-token',
  cluster: 'k3s-daas.io/cluster',
} as const;

/** The answer in the API version asked for (v1, v1beta1 and v1alpha1 share the shape). */
export function selfSubjectReview(version: string, identity: Identity): object {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `${SELF_REVIEW_GROUP}/${version}`,
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        // The Sui address is who the contract checks and records; the local name is only a label.
        username: identity.address,
        uid: identity.sealTokenId,
        groups: ['system:authenticated'],
        extra: {
          [SELF_REVIEW_EXTRA.name]: [identity.name],
          [SELF_REVIEW_EXTRA.sealToken]: [identity.sealTokenId],
          [SELF_REVIEW_EXTRA.cluster]: [identity.clusterId],
        },
      },
    },
  };
}

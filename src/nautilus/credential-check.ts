/**
 * Who the listener's own Kubernetes credential is (#18). The executor's credential must be able
 * to do nothing but impersonate; one in `system:masters`, or allowed `*` on everything
 * (cluster-admin), is refused at start unless the operator says `--allow-admin-credential` —
 * then /healthz and the log lines about requests say so.
 */
import type { KubeObjects } from './kube-objects.ts';

export interface CredentialInfo {
  user: string;
  groups: string[];
  /** system:masters or allowed `*` on every resource */
  admin: boolean;
  /** why it counts as admin */
  adminBecause?: string;
}

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string; groups?: string[] } };
}
interface SelfSubjectAccessReview {
  status?: { allowed?: boolean };
}

export async function inspectCredential(kube: KubeObjects): Promise<CredentialInfo> {
  const review = (await kube.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  })) as SelfSubjectReview;
  const user = review.status?.userInfo?.username ?? '';
  const groups = review.status?.userInfo?.groups ?? [];
  if (groups.includes('system:masters'))
    return { user, groups, admin: true, adminBecause: 'it is in the group system:masters' };
  const access = (await kube.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: '*', group: '*', resource: '*' } },
  })) as SelfSubjectAccessReview;
  if (access.status?.allowed)
    return {
      user,
      groups,
      admin: true,
      adminBecause: 'it may do every verb on every resource (cluster-admin)',
    };
  return { user, groups, admin: false };
}

/** The refusal when an admin credential is not allowed; undefined when it may run. */
export function credentialRefusal(c: CredentialInfo, allowAdmin: boolean): string | undefined {
  if (!c.admin || allowAdmin) return undefined;
  return (
    `the executor's Kubernetes credential (user "${c.user}", groups ${JSON.stringify(c.groups)}) is an administrator: ${c.adminBecause}. ` +
    'A compromised executor would be cluster-admin. Run `k3s-daas cluster bootstrap --kubeconfig <admin kubeconfig>` and start the listener with the executor kubeconfig it writes ' +
    '(it may only impersonate requesters), or pass --allow-admin-credential to run anyway'
  );
}

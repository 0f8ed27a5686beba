import { describe, expect, it } from 'vitest';
import type { K8sAnswer, K8sCall } from './k8s-executor.ts';
import { credentialRefusal, inspectCredential } from './credential-check.ts';
import { KubeObjects } from './kube-objects.ts';

/** Answers SelfSubjectReview and SelfSubjectAccessReview as kube-apiserver would for this identity. */
function kube(user: string, groups: string[], allowedEverything: boolean): KubeObjects {
  return new KubeObjects({
    execute(call: K8sCall): Promise<K8sAnswer> {
      expect(call.as).toBe('self');
      const body = call.path.includes('selfsubjectreviews')
        ? { status: { userInfo: { username: user, groups } } }
        : { status: { allowed: allowedEverything } };
      return Promise.resolve({
        statusCode: 201,
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify(body)),
      });
    },
  });
}

describe('the executor credential check', () => {
  it('system:masters is an administrator, refused unless allowed', async () => {
    const c = await inspectCredential(
      kube('kubernetes-admin', ['system:masters', 'system:authenticated'], true),
    );
    expect(c).toMatchObject({ admin: true, adminBecause: 'it is in the group system:masters' });
    expect(credentialRefusal(c, false)).toMatch(
      /user "kubernetes-admin".* is an administrator: it is in the group system:masters.*k3s-daas cluster bootstrap.*--allow-admin-credential/,
    );
    expect(credentialRefusal(c, true)).toBeUndefined();
  });

  it('a credential bound to cluster-admin is an administrator too', async () => {
    const c = await inspectCredential(kube('alice', ['system:authenticated'], true));
    expect(c.adminBecause).toBe('it may do every verb on every resource (cluster-admin)');
  });

  it("bootstrap's executor ServiceAccount is not", async () => {
    const c = await inspectCredential(
      kube('system:serviceaccount:k3s-daas-system:k3s-daas-executor', ['system:serviceaccounts'], false),
    );
    expect(c.admin).toBe(false);
    expect(credentialRefusal(c, false)).toBeUndefined();
  });
});

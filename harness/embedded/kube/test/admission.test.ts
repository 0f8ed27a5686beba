// Pod Security Admission and ValidatingAdmissionPolicy: the checks as units, and the real kubectl
// against an embedded server (refusals, warnings, workload warnings, a controller's FailedCreate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { evaluatePod, policyOf } from '../psa.ts';
import { hasKubectl, makeKubectl, ok } from './kubectl-helper.ts';

describe('Pod Security levels', () => {
  const meta = { name: 'p' };
  it('baseline refuses host namespaces, hostPath, privileged, hostPorts and added capabilities, in the plugin order', () => {
    const why = evaluatePod(
      'baseline',
      {
        hostPID: true,
        hostNetwork: true,
        volumes: [{ name: 'root', hostPath: { path: '/' } }],
        containers: [
          {
            name: 'a',
            ports: [{ hostPort: 80 }],
            securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'CHOWN'] } },
          },
        ],
      },
      meta,
    );
    expect(why).toBe(
      'non-default capabilities (container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add), ' +
        'host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "root"), ' +
        'hostPort (container "a" uses hostPort 80), privileged (container "a" must not set securityContext.privileged=true)',
    );
    expect(evaluatePod('baseline', { containers: [{ name: 'a' }] }, meta)).toBeUndefined();
    expect(evaluatePod('privileged', { hostPID: true, containers: [] }, meta)).toBeUndefined();
  });

  it('restricted needs allowPrivilegeEscalation=false, drop ALL, runAsNonRoot and a seccomp profile', () => {
    expect(evaluatePod('restricted', { containers: [{ name: 'a' }] }, meta)).toBe(
      'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    expect(
      evaluatePod(
        'restricted',
        {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volumes: [{ name: 'c', configMap: {} }],
          containers: [
            {
              name: 'a',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
        meta,
      ),
    ).toBeUndefined();
  });

  it('reads the namespace labels; warn follows enforce when not set', () => {
    expect(policyOf({ 'pod-security.kubernetes.io/enforce': 'baseline' })).toEqual({
      enforce: { level: 'baseline', version: 'latest' },
      warn: { level: 'baseline', version: 'latest' },
      audit: { level: 'privileged', version: 'latest' },
    });
    // An unparsable enforce level fails closed, as the plugin's ParseLevel does.
    expect(policyOf({ 'pod-security.kubernetes.io/enforce': 'bogus' }).enforce.level).toBe('restricted');
  });
});

let kube: EmbeddedKube;
let kubectl: ReturnType<typeof makeKubectl>;

beforeAll(async () => {
  kube = await startEmbeddedKube({ podStartMs: 10 });
  kubectl = makeKubectl(kube.kubeconfig);
  ok(
    await kubectl(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Namespace
metadata:
  name: tenant
  labels: {pod-security.kubernetes.io/enforce: restricted, tenant: "yes"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: tenant-guard}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
    - {apiGroups: [rbac.authorization.k8s.io], apiVersions: ["*"], operations: [CREATE, UPDATE], resources: [rolebindings]}
  validations:
  - expression: "object.kind != 'Pod' || !has(object.spec.nodeName)"
    message: spec.nodeName is not allowed
  - expression: "object.kind != 'RoleBinding' || object.roleRef.name != 'cluster-admin'"
    messageExpression: "'binding ' + object.metadata.name + ' to cluster-admin is not allowed'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: tenant-guard}
spec:
  policyName: tenant-guard
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchLabels: {tenant: "yes"}}
`,
    }),
  );
});

afterAll(async () => {
  await kube?.stop();
});

const compliant = (name: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: tenant}
spec:
  ${extra}
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: nginx:1.27
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

describe.skipIf(!hasKubectl)(
  `kubectl with Pod Security and admission policies${hasKubectl ? '' : ' (skipped: kubectl is not on PATH)'}`,
  () => {
    it('refuses a privileged pod with the PodSecurity message and admits a compliant one', async () => {
      const bad = await kubectl(['-n', 'tenant', 'run', 'root', '--image=nginx:1.27', '--privileged']);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toContain(
        'pods "root" is forbidden: violates PodSecurity "restricted:latest": privileged (container "root" must not set securityContext.privileged=true)',
      );
      ok(await kubectl(['apply', '-f', '-'], { input: compliant('ok') }));
    });

    it('the policy refuses spec.nodeName and a binding to cluster-admin, as kube-apiserver words it', async () => {
      const pinned = await kubectl(['apply', '-f', '-'], {
        input: compliant('pinned', 'nodeName: embedded-node-1'),
      });
      expect(pinned.stderr).toContain(
        `ValidatingAdmissionPolicy 'tenant-guard' with binding 'tenant-guard' denied request: spec.nodeName is not allowed`,
      );
      const rb = await kubectl([
        '-n',
        'tenant',
        'create',
        'rolebinding',
        'root',
        '--clusterrole=cluster-admin',
        '--serviceaccount=tenant:default',
      ]);
      expect(rb.stderr).toContain('denied request: binding root to cluster-admin is not allowed');
    });

    it('warns about a workload whose template breaks the level; its controller reports FailedCreate', async () => {
      const dep = await kubectl(['-n', 'tenant', 'create', 'deployment', 'web', '--image=nginx:1.27']);
      expect(dep.exitCode).toBe(0);
      expect(dep.stderr).toContain(
        'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
      );
      let events = '';
      for (let i = 0; i < 50 && !events.includes('FailedCreate'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        events = (
          await kubectl(['-n', 'tenant', 'get', 'events', '-o', 'custom-columns=R:.reason,M:.message'])
        ).stdout;
      }
      expect(events).toContain('FailedCreate');
      expect(events).toContain('violates PodSecurity "restricted:latest"');
    });
  },
);

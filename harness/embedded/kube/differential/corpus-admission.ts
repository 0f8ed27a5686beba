/**
 * The corpus part for admission (issue 18): Pod Security Admission refusals and warnings at each
 * level (namespace labels), workload warnings, and a ValidatingAdmissionPolicy with its binding
 * refusing what a tenant must not do (spec.nodeName, host namespaces, hostPath, bindings to
 * cluster-admin), with Deny and Warn actions and a messageExpression.
 */
import type { Json, JsonObject } from './normalise.ts';
import type { Case } from './corpus.ts';

const isObj = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const kindName = (b: Json): Json =>
  isObj(b) ? { kind: b.kind ?? null, name: isObj(b.metadata) ? (b.metadata.name ?? null) : null } : b;

const ns = (name: string, labels: Record<string, string>): Json => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const pod = (name: string, spec: JsonObject, extra: JsonObject = {}): Json => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
});

const COMPLIANT: JsonObject = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

const HOSTILE: JsonObject = {
  hostPID: true,
  hostNetwork: true,
  hostIPC: true,
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080, hostPort: 8080 }],
      securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN', 'CHOWN'] } },
      volumeMounts: [{ name: 'root', mountPath: '/host' }],
    },
    { name: 'side', image: 'busybox:1.37', securityContext: { privileged: true } },
  ],
};

const R = '/api/v1/namespaces/{{ns}}-restricted/pods';
const B = '/api/v1/namespaces/{{ns}}-baseline/pods';
const SA_R = '/api/v1/namespaces/{{ns}}-restricted/serviceaccounts/default';
const SA_B = '/api/v1/namespaces/{{ns}}-baseline/serviceaccounts/default';
const V = '/api/v1/namespaces/{{ns}}-vap/pods';
const SA_V = '/api/v1/namespaces/{{ns}}-vap/serviceaccounts/default';
const VAP = '/apis/admissionregistration.k8s.io/v1';

export const ADMISSION_CORPUS: readonly Case[] = [
  // ── Pod Security Admission ──
  {
    name: 'psa: create restricted namespace',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: ns('{{ns}}-restricted', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    project: kindName,
  },
  {
    name: 'psa: create baseline namespace warning restricted',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: ns('{{ns}}-baseline', {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    }),
    project: kindName,
  },
  {
    name: 'psa: restricted refuses a default pod',
    method: 'POST',
    path: R,
    waitFor: SA_R,
    body: pod('plain', {}),
  },
  {
    name: 'psa: restricted refuses on dry run too',
    method: 'POST',
    path: `${R}?dryRun=All`,
    body: pod('dry', {
      containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { runAsUser: 0 } }],
    }),
  },
  {
    name: 'psa: restricted refuses runAsNonRoot=false and bad seccomp and volumes',
    method: 'POST',
    path: R,
    body: pod('mixed', {
      securityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' }, runAsUser: 0 },
      volumes: [
        { name: 'cfg', configMap: { name: 'x' } },
        { name: 'nfs', nfs: { server: 'a', path: '/' } },
        { name: 'git', gitRepo: { repository: 'https://x' } },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          securityContext: {
            allowPrivilegeEscalation: true,
            capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_RAW'] },
          },
        },
      ],
    }),
  },
  {
    name: 'psa: restricted admits a compliant pod',
    method: 'POST',
    path: R,
    body: pod('ok', COMPLIANT),
    project: kindName,
  },
  {
    name: 'psa: baseline refuses host namespaces, hostPath, privileged, hostPort, capabilities',
    method: 'POST',
    path: B,
    waitFor: SA_B,
    body: pod('hostile', HOSTILE),
  },
  {
    name: 'psa: baseline refuses unsafe sysctls',
    method: 'POST',
    path: B,
    body: pod('sysctl', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }),
  },
  {
    name: 'psa: baseline refuses AppArmor Unconfined, SELinux type/user and probe hosts',
    method: 'POST',
    path: B,
    body: pod('confined', {
      securityContext: {
        appArmorProfile: { type: 'Unconfined' },
        seLinuxOptions: { type: 'spc_t', user: 'root' },
      },
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          livenessProbe: { httpGet: { host: 'example.com', port: 80, path: '/' } },
          readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 80 } },
          securityContext: { seLinuxOptions: { role: 'sysadm_r' } },
        },
      ],
    }),
  },
  {
    name: 'psa: baseline admits a default pod with restricted warnings',
    method: 'POST',
    path: B,
    body: pod('warned', {}),
    compareHeaders: ['warning'],
    project: kindName,
  },
  {
    name: 'psa: a deployment in a restricted namespace is admitted with warnings',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/{{ns}}-restricted/deployments',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    },
    compareHeaders: ['warning'],
    project: kindName,
  },

  {
    name: 'psa: a namespace with unparsable levels is invalid',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: ns('{{ns}}-bogus', {
      'pod-security.kubernetes.io/enforce': 'strict',
      'pod-security.kubernetes.io/warn-version': '1.30',
    }),
  },
  {
    name: 'psa: raising enforce warns about existing pods',
    method: 'PATCH',
    path: '/api/v1/namespaces/{{ns}}-baseline',
    contentType: 'application/merge-patch+json',
    body: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    compareHeaders: ['warning'],
    project: kindName,
  },
  // ── ValidatingAdmissionPolicy (the tenant guard issue 18 installs) ──
  {
    name: 'vap: create tenant namespace',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: ns('{{ns}}-vap', { 'vap-corpus': '{{ns}}' }),
    project: kindName,
  },
  {
    name: 'vap: create pod guard policy',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicies`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: '{{ns}}-pods' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
          ],
        },
        variables: [{ name: 'spec', expression: 'object.spec' }],
        validations: [
          {
            expression: '!has(variables.spec.nodeName)',
            message: 'spec.nodeName is not allowed: let the scheduler place the pod',
          },
          {
            expression:
              '!variables.spec.?hostPID.orValue(false) && !variables.spec.?hostNetwork.orValue(false)',
            messageExpression: "'pod ' + object.metadata.name + ' must not share host namespaces'",
            reason: 'Forbidden',
          },
          { expression: '!has(variables.spec.volumes) || variables.spec.volumes.all(v, !has(v.hostPath))' },
        ],
      },
    },
    project: kindName,
  },
  {
    name: 'vap: bind pod guard (Deny) to labelled namespaces',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: '{{ns}}-pods-deny' },
      spec: {
        policyName: '{{ns}}-pods',
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'vap-corpus': '{{ns}}' } } },
      },
    },
    project: kindName,
  },
  {
    name: 'vap: create rolebinding guard policy',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicies`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: '{{ns}}-rbac' },
      spec: {
        failurePolicy: 'Ignore',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              apiVersions: ['*'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['rolebindings'],
            },
          ],
          namespaceSelector: { matchLabels: { 'vap-corpus': '{{ns}}' } },
        },
        validations: [
          { expression: "object.roleRef.name != 'cluster-admin'", message: 'no bindings to cluster-admin' },
          {
            expression:
              "object.subjects.all(s, s.kind != 'ServiceAccount' || !has(s.namespace) || s.namespace == object.metadata.namespace)",
            message: 'no bindings to service accounts of other namespaces',
          },
          {
            expression: 'object.metadata.missingField == 1',
            message: 'ignored: evaluation errors are admitted (Ignore)',
          },
        ],
      },
    },
    project: kindName,
  },
  {
    name: 'vap: bind rolebinding guard (Warn)',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: '{{ns}}-rbac-warn' },
      spec: { policyName: '{{ns}}-rbac', validationActions: ['Warn'] },
    },
    project: kindName,
  },
  {
    name: 'vap: a binding with both Deny and Warn is invalid',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: '{{ns}}-both' },
      spec: { policyName: '{{ns}}-pods', validationActions: ['Deny', 'Warn'] },
    },
  },
  {
    name: 'vap: a binding without actions is invalid',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: '{{ns}}-none' },
      spec: { policyName: '{{ns}}-pods' },
    },
  },
  {
    name: 'vap: the stored policy (defaults, status)',
    method: 'GET',
    path: `${VAP}/validatingadmissionpolicies/{{ns}}-pods`,
    // kube-apiserver's status controller writes observedGeneration a moment after the create.
    pauseMs: 2000,
  },
  {
    name: 'vap: the stored binding (defaults)',
    method: 'GET',
    path: `${VAP}/validatingadmissionpolicybindings/{{ns}}-pods-deny`,
  },
  {
    name: 'vap: a pod with nodeName is denied (422)',
    method: 'POST',
    path: V,
    waitFor: SA_V,
    pauseMs: 3000,
    body: pod('pinned', { nodeName: 'embedded-node-1' }),
  },
  {
    name: 'vap: a pod with hostPID is denied with the reason and messageExpression',
    method: 'POST',
    path: V,
    body: pod('hostpid', { hostPID: true }),
  },
  {
    name: 'vap: a hostPath pod is denied with the failed expression',
    method: 'POST',
    path: V,
    body: pod('hostpath', { volumes: [{ name: 'r', hostPath: { path: '/' } }] }),
  },
  {
    name: 'vap: a plain pod is admitted',
    method: 'POST',
    path: V,
    body: pod('plain', {}),
    project: kindName,
  },
  {
    name: 'vap: outside the selected namespaces nothing is denied',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}/pods',
    body: pod('vap-free', { hostPID: true }),
    project: kindName,
  },
  {
    name: 'vap: a rolebinding to cluster-admin and a foreign serviceaccount gets the Warn warnings',
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/{{ns}}-vap/rolebindings',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'root' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' }],
    },
    compareHeaders: ['warning'],
    project: kindName,
  },

  {
    name: 'vap: create configmap limits (the params object)',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}-vap/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits' }, data: { maxKeys: '2' } },
    project: kindName,
  },
  {
    name: 'vap: create configmap policy with paramKind',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicies`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: '{{ns}}-cm' },
      spec: {
        failurePolicy: 'Fail',
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
        matchConditions: [{ name: 'not-the-params', expression: "object.metadata.name != 'limits'" }],
        validations: [
          {
            expression: 'size(object.data) <= int(params.data.maxKeys)',
            messageExpression: "'at most ' + params.data.maxKeys + ' keys, got ' + string(size(object.data))",
          },
          { expression: "object.data['owner'] != ''" },
        ],
      },
    },
    project: kindName,
  },
  {
    name: 'vap: bind configmap policy with paramRef',
    method: 'POST',
    path: `${VAP}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: '{{ns}}-cm' },
      spec: {
        policyName: '{{ns}}-cm',
        validationActions: ['Deny'],
        paramRef: { name: 'limits', namespace: '{{ns}}-vap', parameterNotFoundAction: 'Deny' },
        matchResources: { namespaceSelector: { matchLabels: { 'vap-corpus': '{{ns}}' } } },
      },
    },
    project: kindName,
  },
  {
    name: 'vap: params limit denies a configmap with too many keys',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}-vap/configmaps',
    pauseMs: 3000,
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { a: '1', b: '2', owner: 'x' },
    },
  },
  {
    name: 'vap: an evaluation error under failurePolicy Fail denies',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}-vap/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ownerless' }, data: { a: '1' } },
  },
  {
    name: 'vap: a configmap within the limits is admitted',
    method: 'POST',
    path: '/api/v1/namespaces/{{ns}}-vap/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small' }, data: { owner: 'me' } },
    project: kindName,
  },
];

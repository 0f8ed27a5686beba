// Decoder for the Kubernetes protobuf encoding ("k8s\0" + runtime.Unknown),
// which kubectl's typed clients (create namespace/configmap/secret/deployment/…)
// use for request bodies. Field numbers follow the generated.proto files of
// k8s.io/api and apimachinery for the messages those commands send.
import { errors } from './status.ts';

type FieldType =
  | 'string'
  | 'bytes'
  /** bytes that JSON carries as base64 (a CSR's request, a certificate). */
  | 'b64'
  | 'int'
  | 'bool'
  | 'time'
  | 'intstr'
  | 'quantity'
  | { msg: string }
  | { map: 'string' | 'bytes' | 'quantity' };
type Field = [name: string, type: FieldType, repeated?: boolean, inline?: boolean];
type Message = Record<number, Field>;

const S: FieldType = 'string';
const I: FieldType = 'int';
const B: FieldType = 'bool';
const m = (msg: string): FieldType => ({ msg });

const MESSAGES: Record<string, Message> = {
  Unknown: {
    1: ['typeMeta', m('TypeMeta')],
    2: ['raw', 'bytes'],
    3: ['contentEncoding', S],
    4: ['contentType', S],
  },
  TypeMeta: { 1: ['apiVersion', S], 2: ['kind', S] },
  ObjectMeta: {
    1: ['name', S],
    2: ['generateName', S],
    3: ['namespace', S],
    4: ['selfLink', S],
    5: ['uid', S],
    6: ['resourceVersion', S],
    7: ['generation', I],
    8: ['creationTimestamp', 'time'],
    9: ['deletionTimestamp', 'time'],
    10: ['deletionGracePeriodSeconds', I],
    11: ['labels', { map: 'string' }],
    12: ['annotations', { map: 'string' }],
    13: ['ownerReferences', m('OwnerReference'), true],
    14: ['finalizers', S, true],
  },
  OwnerReference: {
    1: ['kind', S],
    3: ['name', S],
    4: ['uid', S],
    5: ['apiVersion', S],
    6: ['controller', B],
    7: ['blockOwnerDeletion', B],
  },
  LabelSelector: {
    1: ['matchLabels', { map: 'string' }],
    2: ['matchExpressions', m('LabelSelectorRequirement'), true],
  },
  LabelSelectorRequirement: { 1: ['key', S], 2: ['operator', S], 3: ['values', S, true] },
  Namespace: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('NamespaceSpec')] },
  NamespaceSpec: { 1: ['finalizers', S, true] },
  ConfigMap: {
    1: ['metadata', m('ObjectMeta')],
    2: ['data', { map: 'string' }],
    3: ['binaryData', { map: 'bytes' }],
    4: ['immutable', B],
  },
  // What typed clients (client-go, kubectl's generators) send for the policy/quota kinds.
  ResourceQuota: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('ResourceQuotaSpec')] },
  ResourceQuotaSpec: {
    1: ['hard', { map: 'quantity' }],
    2: ['scopes', S, true],
    3: ['scopeSelector', m('ScopeSelector')],
  },
  ScopeSelector: { 1: ['matchExpressions', m('ScopedResourceSelectorRequirement'), true] },
  ScopedResourceSelectorRequirement: { 1: ['scopeName', S], 2: ['operator', S], 3: ['values', S, true] },
  PodDisruptionBudget: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('PodDisruptionBudgetSpec')] },
  PodDisruptionBudgetSpec: {
    1: ['minAvailable', 'intstr'],
    2: ['selector', m('LabelSelector')],
    3: ['maxUnavailable', 'intstr'],
    4: ['unhealthyPodEvictionPolicy', S],
  },
  PriorityClass: {
    1: ['metadata', m('ObjectMeta')],
    2: ['value', I],
    3: ['globalDefault', B],
    4: ['description', S],
    5: ['preemptionPolicy', S],
  },
  CertificateSigningRequest: {
    1: ['metadata', m('ObjectMeta')],
    2: ['spec', m('CertificateSigningRequestSpec')],
    3: ['status', m('CertificateSigningRequestStatus')],
  },
  CertificateSigningRequestSpec: {
    1: ['request', 'b64'],
    2: ['username', S],
    3: ['uid', S],
    4: ['groups', S, true],
    5: ['usages', S, true],
    7: ['signerName', S],
    8: ['expirationSeconds', I],
  },
  CertificateSigningRequestStatus: {
    1: ['conditions', m('CertificateSigningRequestCondition'), true],
    2: ['certificate', 'b64'],
  },
  CertificateSigningRequestCondition: {
    1: ['type', S],
    2: ['reason', S],
    3: ['message', S],
    4: ['lastUpdateTime', 'time'],
    5: ['lastTransitionTime', 'time'],
    6: ['status', S],
  },
  TokenRequest: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('TokenRequestSpec')] },
  TokenRequestSpec: {
    1: ['audiences', S, true],
    3: ['boundObjectRef', m('BoundObjectReference')],
    4: ['expirationSeconds', I],
  },
  BoundObjectReference: { 1: ['kind', S], 2: ['apiVersion', S], 3: ['name', S], 4: ['uid', S] },
  Secret: {
    1: ['metadata', m('ObjectMeta')],
    2: ['data', { map: 'bytes' }],
    3: ['type', S],
    4: ['stringData', { map: 'string' }],
    5: ['immutable', B],
  },
  ServiceAccount: {
    1: ['metadata', m('ObjectMeta')],
    2: ['secrets', m('ObjectReference'), true],
    3: ['imagePullSecrets', m('LocalObjectReference'), true],
    4: ['automountServiceAccountToken', B],
  },
  ObjectReference: {
    1: ['kind', S],
    2: ['namespace', S],
    3: ['name', S],
    4: ['uid', S],
    5: ['apiVersion', S],
    6: ['resourceVersion', S],
    7: ['fieldPath', S],
  },
  LocalObjectReference: { 1: ['name', S] },
  Service: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('ServiceSpec')] },
  ServiceSpec: {
    1: ['ports', m('ServicePort'), true],
    2: ['selector', { map: 'string' }],
    3: ['clusterIP', S],
    4: ['type', S],
    5: ['externalIPs', S, true],
    7: ['sessionAffinity', S],
    10: ['externalName', S],
    18: ['clusterIPs', S, true],
  },
  ServicePort: {
    1: ['name', S],
    2: ['protocol', S],
    3: ['port', I],
    4: ['targetPort', 'intstr'],
    5: ['nodePort', I],
    6: ['appProtocol', S],
  },
  IntOrString: { 1: ['type', I], 2: ['intVal', I], 3: ['strVal', S] },
  PodTemplateSpec: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('PodSpec')] },
  PodSpec: {
    1: ['volumes', m('Volume'), true],
    2: ['containers', m('Container'), true],
    3: ['restartPolicy', S],
    4: ['terminationGracePeriodSeconds', I],
    5: ['activeDeadlineSeconds', I],
    6: ['dnsPolicy', S],
    7: ['nodeSelector', { map: 'string' }],
    8: ['serviceAccountName', S],
    9: ['serviceAccount', S],
    10: ['nodeName', S],
    11: ['hostNetwork', B],
    20: ['initContainers', m('Container'), true],
    19: ['schedulerName', S],
  },
  Volume: { 1: ['name', S] },
  Container: {
    1: ['name', S],
    2: ['image', S],
    3: ['command', S, true],
    4: ['args', S, true],
    5: ['workingDir', S],
    6: ['ports', m('ContainerPort'), true],
    7: ['env', m('EnvVar'), true],
    8: ['resources', m('ResourceRequirements')],
    9: ['volumeMounts', m('VolumeMount'), true],
    13: ['terminationMessagePath', S],
    14: ['imagePullPolicy', S],
    16: ['stdin', B],
    17: ['stdinOnce', B],
    18: ['tty', B],
    20: ['terminationMessagePolicy', S],
  },
  ContainerPort: {
    1: ['name', S],
    2: ['hostPort', I],
    3: ['containerPort', I],
    4: ['protocol', S],
    5: ['hostIP', S],
  },
  EnvVar: { 1: ['name', S], 2: ['value', S] },
  VolumeMount: { 1: ['name', S], 2: ['readOnly', B], 3: ['mountPath', S], 4: ['subPath', S] },
  ResourceRequirements: { 1: ['limits', { map: 'quantity' }], 2: ['requests', { map: 'quantity' }] },
  Deployment: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('DeploymentSpec')] },
  DeploymentSpec: {
    1: ['replicas', I],
    2: ['selector', m('LabelSelector')],
    3: ['template', m('PodTemplateSpec')],
    4: ['strategy', m('DeploymentStrategy')],
    5: ['minReadySeconds', I],
    6: ['revisionHistoryLimit', I],
    7: ['paused', B],
    9: ['progressDeadlineSeconds', I],
  },
  DeploymentStrategy: { 1: ['type', S], 2: ['rollingUpdate', m('RollingUpdateDeployment')] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] },
  Job: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('JobSpec')] },
  JobSpec: {
    1: ['parallelism', I],
    2: ['completions', I],
    3: ['activeDeadlineSeconds', I],
    4: ['selector', m('LabelSelector')],
    5: ['manualSelector', B],
    6: ['template', m('PodTemplateSpec')],
    7: ['backoffLimit', I],
    8: ['ttlSecondsAfterFinished', I],
    9: ['completionMode', S],
    10: ['suspend', B],
  },
  CronJob: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('CronJobSpec')] },
  CronJobSpec: {
    1: ['schedule', S],
    2: ['startingDeadlineSeconds', I],
    3: ['concurrencyPolicy', S],
    4: ['suspend', B],
    5: ['jobTemplate', m('JobTemplateSpec')],
    6: ['successfulJobsHistoryLimit', I],
    7: ['failedJobsHistoryLimit', I],
    8: ['timeZone', S],
  },
  JobTemplateSpec: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('JobSpec')] },
  Ingress: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('IngressSpec')] },
  IngressSpec: {
    1: ['defaultBackend', m('IngressBackend')],
    2: ['tls', m('IngressTLS'), true],
    3: ['rules', m('IngressRule'), true],
    4: ['ingressClassName', S],
  },
  IngressRule: { 1: ['host', S], 2: ['ingressRuleValue', m('IngressRuleValue'), false, true] },
  IngressRuleValue: { 1: ['http', m('HTTPIngressRuleValue')] },
  HTTPIngressRuleValue: { 1: ['paths', m('HTTPIngressPath'), true] },
  HTTPIngressPath: { 1: ['path', S], 2: ['backend', m('IngressBackend')], 3: ['pathType', S] },
  IngressBackend: {
    3: ['resource', m('TypedLocalObjectReference')],
    4: ['service', m('IngressServiceBackend')],
  },
  TypedLocalObjectReference: { 1: ['apiGroup', S], 2: ['kind', S], 3: ['name', S] },
  IngressServiceBackend: { 1: ['name', S], 2: ['port', m('ServiceBackendPort')] },
  ServiceBackendPort: { 1: ['name', S], 2: ['number', I] },
  IngressTLS: { 1: ['hosts', S, true], 2: ['secretName', S] },
  // autoscaling/v1 (what `kubectl autoscale` 1.32 sends); v2's spec numbers differ.
  HorizontalPodAutoscaler: {
    1: ['metadata', m('ObjectMeta')],
    2: ['spec', m('HorizontalPodAutoscalerSpec')],
  },
  HorizontalPodAutoscalerSpec: {
    1: ['scaleTargetRef', m('CrossVersionObjectReference')],
    2: ['minReplicas', I],
    3: ['maxReplicas', I],
    4: ['targetCPUUtilizationPercentage', I],
  },
  CrossVersionObjectReference: { 1: ['kind', S], 2: ['name', S], 3: ['apiVersion', S] },
  SelfSubjectAccessReview: {
    1: ['metadata', m('ObjectMeta')],
    2: ['spec', m('SelfSubjectAccessReviewSpec')],
  },
  SelfSubjectAccessReviewSpec: {
    1: ['resourceAttributes', m('ResourceAttributes')],
    2: ['nonResourceAttributes', m('NonResourceAttributes')],
  },
  SubjectAccessReview: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('SubjectAccessReviewSpec')] },
  SubjectAccessReviewSpec: {
    1: ['resourceAttributes', m('ResourceAttributes')],
    2: ['nonResourceAttributes', m('NonResourceAttributes')],
    3: ['user', S],
    4: ['groups', S, true],
    6: ['uid', S],
  },
  ResourceAttributes: {
    1: ['namespace', S],
    2: ['verb', S],
    3: ['group', S],
    4: ['version', S],
    5: ['resource', S],
    6: ['subresource', S],
    7: ['name', S],
  },
  NonResourceAttributes: { 1: ['path', S], 2: ['verb', S] },
  SelfSubjectRulesReview: { 1: ['metadata', m('ObjectMeta')], 2: ['spec', m('SelfSubjectRulesReviewSpec')] },
  SelfSubjectRulesReviewSpec: { 1: ['namespace', S] },
  SelfSubjectReview: { 1: ['metadata', m('ObjectMeta')] },
  Role: { 1: ['metadata', m('ObjectMeta')], 2: ['rules', m('PolicyRule'), true] },
  ClusterRole: { 1: ['metadata', m('ObjectMeta')], 2: ['rules', m('PolicyRule'), true] },
  PolicyRule: {
    1: ['verbs', S, true],
    2: ['apiGroups', S, true],
    3: ['resources', S, true],
    4: ['resourceNames', S, true],
    5: ['nonResourceURLs', S, true],
  },
  RoleBinding: {
    1: ['metadata', m('ObjectMeta')],
    2: ['subjects', m('Subject'), true],
    3: ['roleRef', m('RoleRef')],
  },
  ClusterRoleBinding: {
    1: ['metadata', m('ObjectMeta')],
    2: ['subjects', m('Subject'), true],
    3: ['roleRef', m('RoleRef')],
  },
  Subject: { 1: ['kind', S], 2: ['apiGroup', S], 3: ['name', S], 4: ['namespace', S] },
  RoleRef: { 1: ['apiGroup', S], 2: ['kind', S], 3: ['name', S] },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw errors.badRequest('protobuf body is truncated');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw errors.badRequest('protobuf body has a malformed varint');
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.buf.length) throw errors.badRequest('protobuf body is truncated');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw errors.badRequest(`protobuf body uses unsupported wire type ${wire}`);
  }
}

function toInt(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function decodeMap(buf: Buffer, valueType: 'string' | 'bytes' | 'quantity'): [string, unknown] {
  const r = new Reader(buf);
  let key = '';
  let value: unknown = valueType === 'bytes' ? '' : '';
  while (r.pos < buf.length) {
    const tag = Number(r.varint());
    const [field, wire] = [tag >> 3, tag & 7];
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    const b = r.bytes();
    if (field === 1) key = b.toString('utf8');
    else if (field === 2)
      value =
        valueType === 'bytes'
          ? b.toString('base64')
          : valueType === 'quantity'
            ? (decode(b, { 1: ['string', S] }).string ?? '')
            : b.toString('utf8');
  }
  return [key, value];
}

function decode(buf: Buffer, msg: Message): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (r.pos < buf.length) {
    const tag = Number(r.varint());
    const [num, wire] = [tag >> 3, tag & 7];
    const f = msg[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    const [name, type, repeated, inline] = f;
    let value: unknown;
    if (typeof type === 'object' && 'map' in type) {
      const [k, v] = decodeMap(r.bytes(), type.map);
      const mp = (out[name] as Record<string, unknown> | undefined) ?? {};
      mp[k] = v;
      out[name] = mp;
      continue;
    }
    if (typeof type === 'object' && inline) {
      Object.assign(out, decode(r.bytes(), MESSAGES[type.msg]!));
      continue;
    }
    if (typeof type === 'object') value = decode(r.bytes(), MESSAGES[type.msg]!);
    else if (type === 'string') value = r.bytes().toString('utf8');
    else if (type === 'bytes') value = r.bytes();
    else if (type === 'b64') value = r.bytes().toString('base64');
    else if (type === 'int') value = toInt(r.varint());
    else if (type === 'bool') value = r.varint() !== 0n;
    else if (type === 'time') {
      const t = decode(r.bytes(), { 1: ['seconds', I], 2: ['nanos', I] });
      // A zero Time is how Go encodes "unset".
      if (!t.seconds) continue;
      value = new Date(Number(t.seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    } else if (type === 'intstr') {
      const v = decode(r.bytes(), MESSAGES.IntOrString!);
      value = v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    } else value = decode(r.bytes(), { 1: ['string', S] }).string;
    // gogo-protobuf writes every non-pointer string; JSON omits empty ones, and defaulting relies on that.
    if (value === '' && !repeated) continue;
    if (repeated) {
      const list = (out[name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else out[name] = value;
  }
  return out;
}

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/vnd.kubernetes.protobuf';
}

/** Kinds whose protobuf bodies are decoded: what `kubectl create <generator>` and the reviews send. */
const PROTOBUF_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Service',
  'Deployment',
  'Job',
  'CronJob',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'Ingress',
  'SelfSubjectAccessReview',
  'SubjectAccessReview',
  'SelfSubjectRulesReview',
  'SelfSubjectReview',
  'HorizontalPodAutoscaler',
  'ResourceQuota',
  'PodDisruptionBudget',
  'PriorityClass',
  'TokenRequest',
  'CertificateSigningRequest',
]);

/** Decodes a protobuf request body into the JSON form of the object. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC))
    throw errors.badRequest('protobuf body does not start with the "k8s\\0" envelope prefix');
  const unknown = decode(body.subarray(4), MESSAGES.Unknown!);
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = tm.kind ?? '';
  const schema = MESSAGES[kind];
  // The HPA schema above is autoscaling/v1's; v2 numbers its spec fields differently.
  const decodable =
    PROTOBUF_KINDS.has(kind) && (kind !== 'HorizontalPodAutoscaler' || tm.apiVersion === 'autoscaling/v1');
  if (!schema || !decodable)
    throw errors.unsupportedMediaType(
      `application/vnd.kubernetes.protobuf for kind "${kind}" (send application/json)`,
    );
  const obj = decode((unknown.raw as Buffer | undefined) ?? Buffer.alloc(0), schema);
  return { apiVersion: tm.apiVersion, kind, ...obj };
}

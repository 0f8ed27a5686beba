/**
 * The exact command lines of the control-plane processes, as pure functions of a layout (file
 * paths and ports), so the secure configuration is reviewable and unit-tested in one place.
 * Everything listens on 127.0.0.1 only; every connection is TLS with client certificates.
 */
import { join } from 'node:path';

export interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
}

/** Every file a control plane uses, under one directory. */
export interface Layout {
  readonly dir: string;
  readonly etcdData: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly etcdCert: string;
  readonly etcdKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly apiserverEtcdClientCert: string;
  readonly apiserverEtcdClientKey: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly adminKubeconfig: string;
  readonly controllerManagerKubeconfig: string;
  readonly schedulerKubeconfig: string;
  readonly kwokKubeconfig: string;
  readonly kwokStages: string;
  readonly auditPolicy: string;
  /** kube-apiserver's audit log (JSON lines): what the admin user asked, for tests that count requests. */
  readonly auditLog: string;
}

export function layout(dir: string): Layout {
  const p = (name: string): string => join(dir, name);
  return {
    dir,
    etcdData: p('etcd-data'),
    caCert: p('pki/ca.crt'),
    caKey: p('pki/ca.key'),
    etcdCert: p('pki/etcd.crt'),
    etcdKey: p('pki/etcd.key'),
    apiserverCert: p('pki/apiserver.crt'),
    apiserverKey: p('pki/apiserver.key'),
    apiserverEtcdClientCert: p('pki/apiserver-etcd-client.crt'),
    apiserverEtcdClientKey: p('pki/apiserver-etcd-client.key'),
    saKey: p('pki/sa.key'),
    saPub: p('pki/sa.pub'),
    adminKubeconfig: p('admin.kubeconfig'),
    controllerManagerKubeconfig: p('controller-manager.kubeconfig'),
    schedulerKubeconfig: p('scheduler.kubeconfig'),
    kwokKubeconfig: p('kwok.kubeconfig'),
    kwokStages: p('kwok-stages.yaml'),
    auditPolicy: p('audit-policy.yaml'),
    auditLog: p('audit.log'),
  };
}

export const LOOPBACK = '127.0.0.1';
export const SERVICE_CIDR = '10.96.0.0/12';
/** The first address of the service range: the `kubernetes` Service's ClusterIP. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const POD_CIDR = '10.244.0.0/16';
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Names the apiserver's serving certificate must carry (loopback and in-cluster). */
export const APISERVER_HOSTS = [
  'localhost',
  LOOPBACK,
  KUBERNETES_SERVICE_IP,
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
] as const;

export function etcdArgs(l: Layout, ports: Ports): string[] {
  const client = `https://${LOOPBACK}:${ports.etcdClient}`;
  const peer = `https://${LOOPBACK}:${ports.etcdPeer}`;
  return [
    '--name=k3s-daas',
    `--data-dir=${l.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=k3s-daas=${peer}`,
    '--initial-cluster-state=new',
    // Clients (the apiserver) must present a certificate from the cluster CA.
    `--cert-file=${l.etcdCert}`,
    `--key-file=${l.etcdKey}`,
    `--trusted-ca-file=${l.caCert}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${l.etcdCert}`,
    `--peer-key-file=${l.etcdKey}`,
    `--peer-trusted-ca-file=${l.caCert}`,
    '--peer-client-cert-auth=true',
    // A throw-away test cluster: durability is not worth an fsync per write on a shared disk.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(l: Layout, ports: Ports): string[] {
  return [
    `--advertise-address=${LOOPBACK}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${join(l.dir, 'apiserver-certs')}`,
    `--tls-cert-file=${l.apiserverCert}`,
    `--tls-private-key-file=${l.apiserverKey}`,
    `--client-ca-file=${l.caCert}`,
    `--etcd-servers=https://${LOOPBACK}:${ports.etcdClient}`,
    `--etcd-cafile=${l.caCert}`,
    `--etcd-certfile=${l.apiserverEtcdClientCert}`,
    `--etcd-keyfile=${l.apiserverEtcdClientKey}`,
    '--authorization-mode=Node,RBAC',
    '--anonymous-auth=false',
    '--enable-admission-plugins=NodeRestriction',
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${l.saPub}`,
    `--service-account-signing-key-file=${l.saKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    `--audit-policy-file=${l.auditPolicy}`,
    `--audit-log-path=${l.auditLog}`,
    '--audit-log-format=json',
    '--profiling=false',
    '--v=1',
  ];
}

/**
 * The audit policy: one event per finished request of the admin user (the identity the harness
 * and the listener use, also when it impersonates), nothing for the controllers, the scheduler
 * and kwok, whose steady traffic would bury it. Tests count the requests Kubernetes really
 * received from it (the embedded server keeps the same record in memory).
 */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
  - level: Metadata
    users: [kubernetes-admin]
  - level: None
`;

/** Controllers (Deployments → ReplicaSets → Pods, Jobs, namespaces, service accounts, CSR signing…). */
export function controllerManagerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.controllerManagerKubeconfig}`,
    `--authentication-kubeconfig=${l.controllerManagerKubeconfig}`,
    `--authorization-kubeconfig=${l.controllerManagerKubeconfig}`,
    // No serving port: nothing scrapes it, and a fixed port would collide between clusters.
    '--secure-port=0',
    '--leader-elect=false',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${l.saKey}`,
    `--root-ca-file=${l.caCert}`,
    `--cluster-signing-cert-file=${l.caCert}`,
    `--cluster-signing-key-file=${l.caKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--cluster-cidr=${POD_CIDR}`,
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--profiling=false',
    '--v=1',
  ];
}

export function schedulerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.schedulerKubeconfig}`,
    `--authentication-kubeconfig=${l.schedulerKubeconfig}`,
    `--authorization-kubeconfig=${l.schedulerKubeconfig}`,
    '--secure-port=0',
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ];
}

/** The annotation kwok manages nodes by; the fake node carries it, nothing else does. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const FAKE_NODE_NAME = 'kwok-node-0';

export function kwokArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kwokKubeconfig}`,
    `--config=${l.kwokStages}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--node-ip=${LOOPBACK}`,
    `--cidr=10.244.0.1/24`,
    // Only the stage controllers: no kubelet-style server (logs/exec), so no port.
    '--server-address=',
  ];
}

/** The fake node kwok keeps Ready; pods the scheduler binds to it become Running. */
export function fakeNode(name = FAKE_NODE_NAME): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  };
}

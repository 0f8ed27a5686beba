// The fixed cluster content kube-apiserver and the node create at start: namespaces, priority classes, the kubernetes service, nodes and their leases.
import { now } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

/** Creates the fixed cluster content: namespaces, nodes, default service accounts. */
export function bootstrap(ctl: Controllers): void {
  const ns = ctl.k('', 'namespaces');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!ctl.r.tryGet(ns, undefined, name)) ctl.r.create(ns, undefined, { metadata: { name } });
  }
  // The two PriorityClasses kube-apiserver creates at start-up (scheduling post-start hook).
  const pcKind = ctl.k('scheduling.k8s.io', 'priorityclasses');
  for (const [name, value, description] of [
    [
      'system-node-critical',
      2000001000,
      'Used for system critical pods that must not be moved from their current node.',
    ],
    [
      'system-cluster-critical',
      2000000000,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    ],
  ] as const) {
    if (!ctl.r.tryGet(pcKind, undefined, name))
      ctl.r.create(pcKind, undefined, { metadata: { name }, value, description });
  }
  // The default/kubernetes service every cluster has (endpoints: the API server).
  const svcKind = ctl.k('', 'services');
  if (!ctl.r.tryGet(svcKind, 'default', 'kubernetes')) {
    ctl.r.create(svcKind, 'default', {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    });
    ctl.r.create(ctl.k('', 'endpoints'), 'default', {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    });
  }
  const nodeKind = ctl.k('', 'nodes');
  ctl.opts.nodes.forEach((name, i) => {
    if (ctl.r.tryGet(nodeKind, undefined, name)) return;
    const created = ctl.r.create(nodeKind, undefined, {
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/control-plane': '',
          type: 'kwok',
        },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
    }).object;
    const t = now();
    ctl.r.writeStatus(nodeKind, created, {
      capacity: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
      allocatable: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: `10.0.0.${i + 2}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'k3s-daas embedded (kwok-like)',
        kernelVersion: '6.1.0',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        containerRuntimeVersion: 'embedded://1.0.0',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    });
    // The node heartbeat lease kubectl describe node shows.
    ctl.r.create(ctl.k('coordination.k8s.io', 'leases'), 'kube-node-lease', {
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: created.metadata.uid }],
      },
      spec: {
        holderIdentity: name,
        leaseDurationSeconds: 40,
        renewTime: new Date().toISOString().replace('Z', '000Z'),
      },
    });
  });
  ctl.flush();
}

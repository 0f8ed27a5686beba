// meta.k8s.io/v1 Table rendering with the columns kubectl shows for each kind
// (the server-side printers of kube-apiserver).
import type { ResourceKind, PrinterColumn } from './registry.ts';
import type { KubeObject } from './store.ts';
import { selectorString } from './selectors.ts';
import { hpaV1Conversion } from './autoscaling.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- printers read loosely-typed object trees

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

interface Printer {
  columns: Array<[name: string, type: string, priority?: number, format?: string]>;
  row: (o: Obj, now: number) => unknown[];
}

/** duration.HumanDuration from apimachinery. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

function age(o: Obj, now: number): string {
  const ts = o.metadata?.creationTimestamp;
  return ts ? humanDuration(now - Date.parse(ts)) : '<unknown>';
}

function since(ts: string | undefined, now: number): string {
  return ts ? humanDuration(now - Date.parse(ts)) : '<unknown>';
}

function containers(spec: Obj | undefined): Obj[] {
  return (spec?.containers as Obj[] | undefined) ?? [];
}

function names(cs: Obj[]): string {
  return cs.map((c) => c.name).join(',');
}

function images(cs: Obj[]): string {
  return cs.map((c) => c.image).join(',');
}

function podStatus(o: Obj): { ready: string; status: string; restarts: string } {
  const spec = o.spec ?? {};
  const st = o.status ?? {};
  const cs: Obj[] = st.containerStatuses ?? [];
  const total = containers(spec).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let reason: string = st.reason ?? st.phase ?? 'Pending';
  for (const c of cs) {
    if (c.ready) ready++;
    restarts += c.restartCount ?? 0;
    const fin = c.lastState?.terminated?.finishedAt;
    if (fin && (!lastRestart || fin > lastRestart)) lastRestart = fin;
  }
  for (const c of [...cs].reverse()) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
  }
  if (st.phase === 'Running' && cs.length && cs.every((c) => c.state?.running) && reason !== 'Running')
    reason = 'Running';
  if (o.metadata?.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartText = lastRestart
    ? `${restarts} (${humanDuration(Date.now() - Date.parse(lastRestart))} ago)`
    : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function servicePorts(spec: Obj): string {
  const ports: Obj[] = spec.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function mapString(m: Record<string, string> | undefined): string {
  const e = Object.entries(m ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector: requirements sorted by key, "<none>" when empty. */
function formatLabelSelector(sel: Obj | undefined): string {
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries((sel?.matchLabels ?? {}) as Record<string, string>))
    reqs.push([k, `${k}=${v}`]);
  for (const e of (sel?.matchExpressions ?? []) as Obj[]) {
    const vals = [...((e.values ?? []) as string[])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${vals})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${vals})`
          : e.operator === 'Exists'
            ? String(e.key)
            : `!${e.key}`;
    reqs.push([String(e.key), text]);
  }
  if (!reqs.length) return '<none>';
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

/** GetAccessModesAsString: fixed order, short forms. */
function accessModes(modes: unknown): string {
  const list = Array.isArray(modes) ? (modes as string[]) : [];
  const short: Array<[string, string]> = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => list.includes(m))
    .map(([, s]) => s)
    .join(',');
}

/** The beta storage-class annotation wins over spec.storageClassName, as in GetPersistentVolume(Claim)Class. */
function storageClassOf(o: Obj): string {
  return (
    o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? ''
  );
}

/** formatHPAMetrics of the autoscaling/v2 printer (at most two targets, then "+ N more..."). */
function hpaTargets(spec: Obj, status: Obj | undefined): string {
  const specs = (spec.metrics ?? []) as Obj[];
  if (!specs.length) return '<none>';
  const statuses = (status?.currentMetrics ?? []) as Obj[];
  const list = specs.map((m, i) => {
    const st = statuses[i];
    switch (m.type) {
      case 'External':
        return m.external?.target?.averageValue !== undefined
          ? `${st?.external?.current?.averageValue ?? '<unknown>'}/${m.external.target.averageValue} (avg)`
          : `${st?.external?.current?.value ?? '<unknown>'}/${m.external?.target?.value}`;
      case 'Pods':
        return `${st?.pods?.current?.averageValue ?? '<unknown>'}/${m.pods?.target?.averageValue}`;
      case 'Object':
        return m.object?.target?.averageValue !== undefined
          ? `${st?.object?.current?.averageValue ?? '<unknown>'}/${m.object.target.averageValue} (avg)`
          : `${st?.object?.current?.value ?? '<unknown>'}/${m.object?.target?.value}`;
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const r = m[key] ?? {};
        const cur = st?.[key]?.current;
        if (r.target?.averageValue !== undefined)
          return `${r.name}: ${cur?.averageValue ?? '<unknown>'}/${r.target.averageValue}`;
        const now = typeof cur?.averageUtilization === 'number' ? `${cur.averageUtilization}%` : '<unknown>';
        const target =
          typeof r.target?.averageUtilization === 'number' ? `${r.target.averageUtilization}%` : '<auto>';
        return `${r.name}: ${now}/${target}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

function quotaColumns(o: Obj): [string, string] {
  const hard = (o.status?.hard ?? {}) as Record<string, string>;
  const used = (o.status?.used ?? {}) as Record<string, string>;
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const pieces = r.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? lim : req).push(`${r}: ${used[r] ?? '0'}/${hard[r]}`);
  }
  return [req.join(', '), lim.join(', ')];
}

const NAME: [string, string, number, string] = ['Name', 'string', 0, 'name'];
const AGE: [string, string] = ['Age', 'string'];

/** `-o wide` columns of the pod-template workloads, filled by workloadWide. */
const WORKLOAD_WIDE: Printer['columns'] = [
  ['Containers', 'string', 1],
  ['Images', 'string', 1],
  ['Selector', 'string', 1],
];

function workloadWide(podSpec: Obj | undefined, selector: string): string[] {
  const cs = containers(podSpec);
  return [names(cs), images(cs), selector];
}

function bindingRow(o: Obj, now: number): unknown[] {
  const subs: Obj[] = o.subjects ?? [];
  const of = (k: string): string =>
    subs
      .filter((s) => s.kind === k)
      .map((s) => (k === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
      .join(', ');
  return [
    o.metadata.name,
    `${o.roleRef?.kind}/${o.roleRef?.name}`,
    age(o, now),
    of('User'),
    of('Group'),
    of('ServiceAccount'),
  ];
}

// Printers shared by several kinds; CREATED_AT is also the default for kinds without their own.
const CREATED_AT: Printer = {
  columns: [NAME, ['Created At', 'date']],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};
const BINDING: Printer = {
  columns: [
    NAME,
    ['Role', 'string'],
    AGE,
    ['Users', 'string', 1],
    ['Groups', 'string', 1],
    ['ServiceAccounts', 'string', 1],
  ],
  row: bindingRow,
};

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [
      NAME,
      ['Ready', 'string'],
      ['Status', 'string'],
      ['Restarts', 'string'],
      AGE,
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    row: (o, now) => {
      const p = podStatus(o);
      return [
        o.metadata.name,
        p.ready,
        p.status,
        p.restarts,
        age(o, now),
        o.status?.podIP ?? '<none>',
        o.spec?.nodeName ?? '<none>',
        o.status?.nominatedNodeName ?? '<none>',
        '<none>',
      ];
    },
  },
  'apps/deployments': {
    columns: [
      NAME,
      ['Ready', 'string'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => {
      return [
        o.metadata.name,
        `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
        o.status?.updatedReplicas ?? 0,
        o.status?.availableReplicas ?? 0,
        age(o, now),
        ...workloadWide(o.spec?.template?.spec, selectorString(o.spec?.selector)),
      ];
    },
  },
  'certificates.k8s.io/certificatesigningrequests': {
    columns: [
      NAME,
      AGE,
      ['SignerName', 'string'],
      ['Requestor', 'string'],
      ['RequestedDuration', 'string'],
      ['Condition', 'string'],
    ],
    row: (o, now) => {
      const conds = ((o.status?.conditions ?? []) as { type?: string }[]).map((c) => c.type).filter(Boolean);
      if (o.status?.certificate) conds.push('Issued');
      const d = o.spec?.expirationSeconds as number | undefined;
      return [
        o.metadata.name,
        age(o, now),
        o.spec?.signerName ?? '',
        o.spec?.username ?? '',
        d ? (d % 3600 === 0 ? `${d / 3600}h` : d % 60 === 0 ? `${d / 60}m` : `${d}s`) : '<none>',
        conds.length ? conds.join(',') : 'Pending',
      ];
    },
  },
  '/replicationcontrollers': {
    columns: [
      NAME,
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      ...workloadWide(o.spec?.template?.spec, selectorString({ matchLabels: o.spec?.selector })),
    ],
  },
  'apps/replicasets': {
    columns: [
      NAME,
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => {
      return [
        o.metadata.name,
        o.spec?.replicas ?? 0,
        o.status?.replicas ?? 0,
        o.status?.readyReplicas ?? 0,
        age(o, now),
        ...workloadWide(o.spec?.template?.spec, selectorString(o.spec?.selector)),
      ];
    },
  },
  'apps/statefulsets': {
    columns: [NAME, ['Ready', 'string'], AGE, ['Containers', 'string', 1], ['Images', 'string', 1]],
    row: (o, now) => {
      const cs = containers(o.spec?.template?.spec);
      return [
        o.metadata.name,
        `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
        age(o, now),
        names(cs),
        images(cs),
      ];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Node Selector', 'string'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => {
      const s = o.status ?? {};
      return [
        o.metadata.name,
        s.desiredNumberScheduled ?? 0,
        s.currentNumberScheduled ?? 0,
        s.numberReady ?? 0,
        s.updatedNumberScheduled ?? 0,
        s.numberAvailable ?? 0,
        mapString(o.spec?.template?.spec?.nodeSelector),
        age(o, now),
        ...workloadWide(o.spec?.template?.spec, selectorString(o.spec?.selector)),
      ];
    },
  },
  'batch/jobs': {
    columns: [
      NAME,
      ['Status', 'string'],
      ['Completions', 'string'],
      ['Duration', 'string'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => {
      const s = o.status ?? {};
      const conds: Obj[] = s.conditions ?? [];
      const has = (t: string): boolean => conds.some((c) => c.type === t && c.status === 'True');
      const status = has('Complete')
        ? 'Complete'
        : has('Failed')
          ? 'Failed'
          : o.metadata.deletionTimestamp
            ? 'Terminating'
            : has('Suspended')
              ? 'Suspended'
              : 'Running';
      const dur = s.startTime
        ? humanDuration((s.completionTime ? Date.parse(s.completionTime) : now) - Date.parse(s.startTime))
        : '';
      return [
        o.metadata.name,
        status,
        `${s.succeeded ?? 0}/${o.spec?.completions ?? 1}`,
        dur,
        age(o, now),
        ...workloadWide(o.spec?.template?.spec, selectorString(o.spec?.selector)),
      ];
    },
  },
  'batch/cronjobs': {
    columns: [
      NAME,
      ['Schedule', 'string'],
      ['Timezone', 'string'],
      ['Suspend', 'boolean'],
      ['Active', 'integer'],
      ['Last Schedule', 'string'],
      AGE,
      ...WORKLOAD_WIDE,
    ],
    row: (o, now) => {
      return [
        o.metadata.name,
        o.spec?.schedule,
        o.spec?.timeZone ?? '<none>',
        Boolean(o.spec?.suspend),
        (o.status?.active ?? []).length,
        o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>',
        age(o, now),
        ...workloadWide(
          o.spec?.jobTemplate?.spec?.template?.spec,
          selectorString(o.spec?.jobTemplate?.spec?.selector) || '<none>',
        ),
      ];
    },
  },
  '/services': {
    columns: [
      NAME,
      ['Type', 'string'],
      ['Cluster-IP', 'string'],
      ['External-IP', 'string'],
      ['Port(s)', 'string'],
      AGE,
      ['Selector', 'string', 1],
    ],
    row: (o, now) => {
      const spec = o.spec ?? {};
      const ext =
        spec.type === 'ExternalName'
          ? spec.externalName
          : (spec.externalIPs ?? []).join(',') || (spec.type === 'LoadBalancer' ? '<pending>' : '<none>');
      return [
        o.metadata.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIP ?? '<none>',
        ext,
        servicePorts(spec),
        age(o, now),
        mapString(spec.selector),
      ];
    },
  },
  '/endpoints': {
    columns: [NAME, ['Endpoints', 'string'], AGE],
    row: (o, now) => {
      const eps: string[] = [];
      for (const s of (o.subsets ?? []) as Obj[])
        for (const a of (s.addresses ?? []) as Obj[])
          for (const p of (s.ports ?? [{}]) as Obj[]) eps.push(p.port ? `${a.ip}:${p.port}` : a.ip);
      return [
        o.metadata.name,
        eps.length
          ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '')
          : '<none>',
        age(o, now),
      ];
    },
  },
  'discovery.k8s.io/endpointslices': {
    columns: [NAME, ['AddressType', 'string'], ['Ports', 'string'], ['Endpoints', 'string'], AGE],
    row: (o, now) => {
      const ports = ((o.ports ?? []) as Obj[]).map((p) => String(p.port ?? '')).join(',') || '<unset>';
      const addrs = ((o.endpoints ?? []) as Obj[]).flatMap((e) => (e.addresses ?? []) as string[]);
      const shown = addrs.length
        ? addrs.slice(0, 3).join(',') + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : '')
        : '<unset>';
      return [o.metadata.name, o.addressType ?? 'IPv4', ports, shown, age(o, now)];
    },
  },
  'coordination.k8s.io/leases': {
    columns: [NAME, ['Holder', 'string'], AGE],
    row: (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', age(o, now)],
  },
  '/configmaps': {
    columns: [NAME, ['Data', 'string'], AGE],
    row: (o, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o, now),
    ],
  },
  '/secrets': {
    columns: [NAME, ['Type', 'string'], ['Data', 'string'], AGE],
    row: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)],
  },
  '/serviceaccounts': {
    columns: [NAME, ['Secrets', 'string'], AGE],
    row: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)],
  },
  '/namespaces': {
    columns: [NAME, ['Status', 'string'], AGE],
    row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)],
  },
  '/nodes': {
    columns: [
      NAME,
      ['Status', 'string'],
      ['Roles', 'string'],
      AGE,
      ['Version', 'string'],
      ['Internal-IP', 'string', 1],
      ['External-IP', 'string', 1],
      ['OS-Image', 'string', 1],
      ['Kernel-Version', 'string', 1],
      ['Container-Runtime', 'string', 1],
    ],
    row: (o, now) => {
      const ready = ((o.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
      let status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
      if (o.spec?.unschedulable) status += ',SchedulingDisabled';
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length));
      const addr = (t: string): string =>
        ((o.status?.addresses ?? []) as Obj[]).find((a) => a.type === t)?.address ?? '<none>';
      const ni = o.status?.nodeInfo ?? {};
      return [
        o.metadata.name,
        status,
        roles.length ? roles.join(',') : '<none>',
        age(o, now),
        ni.kubeletVersion ?? '',
        addr('InternalIP'),
        addr('ExternalIP'),
        ni.osImage ?? '<unknown>',
        ni.kernelVersion ?? '<unknown>',
        ni.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
  '/events': {
    columns: [
      ['Last Seen', 'string'],
      ['Type', 'string'],
      ['Reason', 'string'],
      ['Object', 'string'],
      ['Subobject', 'string', 1],
      ['Source', 'string', 1],
      ['Message', 'string'],
      ['First Seen', 'string', 1],
      ['Count', 'integer', 1],
      ['Name', 'string', 1, 'name'],
    ],
    row: (o, now) => {
      const io = o.involvedObject ?? {};
      const last = o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const first = o.firstTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      return [
        since(last, now),
        o.type ?? '',
        o.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        io.fieldPath ?? '',
        o.source?.component ?? o.reportingComponent ?? '',
        o.message ?? '',
        since(first, now),
        o.count ?? 1,
        o.metadata.name,
      ];
    },
  },
  'networking.k8s.io/ingresses': {
    columns: [
      NAME,
      ['Class', 'string'],
      ['Hosts', 'string'],
      ['Address', 'string'],
      ['Ports', 'string'],
      AGE,
    ],
    row: (o, now) => {
      const hosts = ((o.spec?.rules ?? []) as Obj[]).map((r) => r.host ?? '*');
      const lb = ((o.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip ?? i.hostname).join(',');
      return [
        o.metadata.name,
        o.spec?.ingressClassName ?? '<none>',
        hosts.length ? hosts.join(',') : '*',
        lb,
        o.spec?.tls?.length ? '80, 443' : '80',
        age(o, now),
      ];
    },
  },
  '/persistentvolumeclaims': {
    columns: [
      NAME,
      ['Status', 'string'],
      ['Volume', 'string'],
      ['Capacity', 'string'],
      ['Access Modes', 'string'],
      ['StorageClass', 'string'],
      ['VolumeAttributesClass', 'string'],
      AGE,
      ['VolumeMode', 'string', 1],
    ],
    row: (o, now) => {
      const bound = Boolean(o.spec?.volumeName);
      return [
        o.metadata.name,
        o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
        o.spec?.volumeName ?? '',
        bound ? (o.status?.capacity?.storage ?? '0') : '',
        bound ? accessModes(o.status?.accessModes) : '',
        storageClassOf(o),
        o.spec?.volumeAttributesClassName ?? '<unset>',
        age(o, now),
        o.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  '/persistentvolumes': {
    columns: [
      NAME,
      ['Capacity', 'string'],
      ['Access Modes', 'string'],
      ['Reclaim Policy', 'string'],
      ['Status', 'string'],
      ['Claim', 'string'],
      ['StorageClass', 'string'],
      ['VolumeAttributesClass', 'string'],
      ['Reason', 'string'],
      AGE,
      ['VolumeMode', 'string', 1],
    ],
    row: (o, now) => {
      const ref = o.spec?.claimRef;
      return [
        o.metadata.name,
        o.spec?.capacity?.storage ?? '0',
        accessModes(o.spec?.accessModes),
        o.spec?.persistentVolumeReclaimPolicy ?? '',
        o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
        ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
        storageClassOf(o),
        o.spec?.volumeAttributesClassName ?? '<unset>',
        o.status?.reason ?? '',
        age(o, now),
        o.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  '/limitranges': CREATED_AT,
  '/resourcequotas': {
    columns: [NAME, AGE, ['Request', 'string'], ['Limit', 'string']],
    row: (o, now) => [o.metadata.name, age(o, now), ...quotaColumns(o)],
  },
  'storage.k8s.io/storageclasses': {
    columns: [
      NAME,
      ['Provisioner', 'string'],
      ['ReclaimPolicy', 'string'],
      ['VolumeBindingMode', 'string'],
      ['AllowVolumeExpansion', 'string'],
      AGE,
    ],
    row: (o, now) => {
      const ann = (o.metadata.annotations ?? {}) as Record<string, string>;
      const isDefault =
        ann['storageclass.kubernetes.io/is-default-class'] === 'true' ||
        ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [
        isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
        o.provisioner ?? '',
        o.reclaimPolicy ?? 'Delete',
        o.volumeBindingMode ?? 'Immediate',
        Boolean(o.allowVolumeExpansion),
        age(o, now),
      ];
    },
  },
  'policy/poddisruptionbudgets': {
    columns: [
      NAME,
      ['Min Available', 'string'],
      ['Max Unavailable', 'string'],
      ['Allowed Disruptions', 'integer'],
      AGE,
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : 'N/A',
      o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : 'N/A',
      o.status?.disruptionsAllowed ?? 0,
      age(o, now),
    ],
  },
  'networking.k8s.io/networkpolicies': {
    columns: [NAME, ['Pod-Selector', 'string'], AGE],
    row: (o, now) => [o.metadata.name, formatLabelSelector(o.spec?.podSelector), age(o, now)],
  },
  'networking.k8s.io/ingressclasses': {
    columns: [NAME, ['Controller', 'string'], ['Parameters', 'string'], AGE],
    row: (o, now) => {
      const p = o.spec?.parameters;
      const params = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
      return [o.metadata.name, o.spec?.controller ?? '', params, age(o, now)];
    },
  },
  'autoscaling/horizontalpodautoscalers': {
    columns: [
      NAME,
      ['Reference', 'string'],
      ['Targets', 'string'],
      ['MinPods', 'string'],
      ['MaxPods', 'string'],
      ['Replicas', 'string'],
      AGE,
    ],
    row: (obj, now) => {
      // The printer works on the v2 form, whichever version the object was read through.
      const o = hpaV1Conversion.toStorage(obj as KubeObject) as Obj;
      const spec = o.spec ?? {};
      return [
        o.metadata.name,
        `${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}`,
        hpaTargets(spec, o.status),
        spec.minReplicas !== undefined ? String(spec.minReplicas) : '<unset>',
        spec.maxReplicas ?? 0,
        o.status?.currentReplicas ?? 0,
        age(o, now),
      ];
    },
  },
  'scheduling.k8s.io/priorityclasses': {
    columns: [NAME, ['Value', 'integer'], ['Global-Default', 'boolean'], AGE, ['PreemptionPolicy', 'string']],
    row: (o, now) => [
      o.metadata.name,
      o.value ?? 0,
      Boolean(o.globalDefault),
      age(o, now),
      o.preemptionPolicy ?? '',
    ],
  },
  'rbac.authorization.k8s.io/roles': CREATED_AT,
  'rbac.authorization.k8s.io/clusterroles': CREATED_AT,
  'rbac.authorization.k8s.io/rolebindings': BINDING,
  'rbac.authorization.k8s.io/clusterrolebindings': BINDING,
  'apiextensions.k8s.io/customresourcedefinitions': CREATED_AT,
};

/** Evaluates the simple JSONPath subset used by additionalPrinterColumns (.a.b, .a[0].b). */
function jsonPathValue(o: Obj, path: string): unknown {
  const segs =
    path
      .replace(/^\{?\.?/, '')
      .replace(/\}$/, '')
      .match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = o;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = s.startsWith('[') ? (cur as unknown[])[Number(s.slice(1, -1))] : (cur as Obj)[s];
  }
  return cur;
}

function crdPrinter(cols: PrinterColumn[]): Printer {
  const hasAge = cols.some((c) => c.name.toLowerCase() === 'age');
  const all = hasAge
    ? cols
    : [...cols, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: [
      NAME,
      ...all.map(
        (c) => [c.name, c.type, c.priority ?? 0, c.format ?? ''] as [string, string, number, string],
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      ...all.map((c) => {
        const v = jsonPathValue(o, c.jsonPath);
        if (c.type === 'date' && typeof v === 'string') return humanDuration(now - Date.parse(v));
        return v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    ],
  };
}

function printerFor(rk: ResourceKind): Printer {
  if (rk.crdName) return crdPrinter(rk.printerColumns ?? []);
  return PRINTERS[`${rk.group}/${rk.resource}`] ?? CREATED_AT;
}

export function columnDefinitions(rk: ResourceKind): ColumnDefinition[] {
  return printerFor(rk).columns.map(([name, type, priority = 0, format]) => ({
    name,
    type: type === 'date' ? 'string' : type,
    format: format ?? (type === 'date' ? 'date-time' : ''),
    description: name === 'Name' ? 'Name must be unique within a namespace.' : name,
    priority,
  }));
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableRow(
  rk: ResourceKind,
  o: KubeObject,
  include: IncludeObject,
  now = Date.now(),
): Record<string, unknown> {
  const row: Record<string, unknown> = { cells: printerFor(rk).row(o as Obj, now) };
  if (include === 'Object') row.object = o;
  else if (include === 'Metadata')
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return row;
}

export function toTable(
  rk: ResourceKind,
  items: KubeObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject,
  withColumns = true,
): Record<string, unknown> {
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns ? { columnDefinitions: columnDefinitions(rk) } : {}),
    rows: items.map((o) => tableRow(rk, o, include, now)),
  };
}

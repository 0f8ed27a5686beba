// Pod Security Admission as kube-apiserver's built-in PodSecurity plugin runs it
// (k8s.io/pod-security-admission v0.36): the namespace labels pod-security.kubernetes.io/
// enforce|warn|audit[-version] choose privileged/baseline/restricted; pods are refused
// (enforce) or warned about (warn); workloads with pod templates are only warned about.
// Checks run in the plugin's order (baseline IDs sorted, then restricted IDs sorted, restricted
// checks replacing the baseline ones they override) with its reasons and details word for word.
// Every version label evaluates the latest checks (the per-version differences are old).
import type { KubeObject } from './store.ts';

export type Level = 'privileged' | 'baseline' | 'restricted';

interface Result {
  reason: string;
  detail: string;
}

type Json = Record<string, unknown>;
interface Container {
  name?: string;
  securityContext?: {
    privileged?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type?: string };
    procMount?: string;
    appArmorProfile?: { type?: string };
    seLinuxOptions?: SeLinux;
    windowsOptions?: { hostProcess?: boolean };
  };
  ports?: { hostPort?: number }[];
  livenessProbe?: Handler;
  readinessProbe?: Handler;
  startupProbe?: Handler;
  lifecycle?: { postStart?: Handler; preStop?: Handler };
}
interface Handler {
  httpGet?: { host?: string };
  tcpSocket?: { host?: string };
}
interface SeLinux {
  type?: string;
  user?: string;
  role?: string;
}
interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  os?: { name?: string };
  volumes?: (Json & { name?: string })[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type?: string };
    sysctls?: { name?: string }[];
    appArmorProfile?: { type?: string };
    seLinuxOptions?: SeLinux;
    windowsOptions?: { hostProcess?: boolean };
  };
  initContainers?: Container[];
  containers?: Container[];
  ephemeralContainers?: Container[];
}

const plural = (one: string, many: string, n: number): string => (n === 1 ? one : many);
const joinQuote = (xs: string[]): string => (xs.length ? `"${xs.join('", "')}"` : '');
const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const containersOf = (s: PodSpec): Container[] => [
  ...(s.initContainers ?? []),
  ...(s.containers ?? []),
  ...(s.ephemeralContainers ?? []),
];
const windows = (s: PodSpec): boolean => s.os?.name === 'windows';
const userNamespaced = (s: PodSpec): boolean => s.hostUsers === false;
const names = (cs: Container[]): string =>
  `${plural('container', 'containers', cs.length)} ${joinQuote(cs.map((c) => c.name ?? ''))}`;

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]); // prettier-ignore
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]); // prettier-ignore
const ALLOWED_VOLUMES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]); // prettier-ignore
const VOLUME_TYPES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
]; // prettier-ignore

type Check = (spec: PodSpec, meta: KubeObject['metadata']) => Result | undefined;

const capabilitiesBaseline: Check = (s) => {
  const bad: Container[] = [];
  const caps: string[] = [];
  for (const c of containersOf(s)) {
    const add = (c.securityContext?.capabilities?.add ?? []).filter((x) => !BASELINE_CAPS.has(x));
    if (add.length) {
      bad.push(c);
      caps.push(...add);
    }
  }
  if (!bad.length) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${names(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`,
  };
};

const hostNamespaces: Check = (s) => {
  const ns = [
    ...(s.hostNetwork ? ['hostNetwork=true'] : []),
    ...(s.hostPID ? ['hostPID=true'] : []),
    ...(s.hostIPC ? ['hostIPC=true'] : []),
  ];
  return ns.length ? { reason: 'host namespaces', detail: ns.join(', ') } : undefined;
};

const hostPathVolumes: Check = (s) => {
  const vols = (s.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name ?? '');
  return vols.length
    ? { reason: 'hostPath volumes', detail: `${plural('volume', 'volumes', vols.length)} ${joinQuote(vols)}` }
    : undefined;
};

const hostPorts: Check = (s) => {
  const bad: Container[] = [];
  const ports: string[] = [];
  for (const c of containersOf(s)) {
    const hp = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
    if (hp.length) {
      bad.push(c);
      ports.push(...hp);
    }
  }
  if (!bad.length) return undefined;
  const list = sortedUnique(ports);
  return {
    reason: 'hostPort',
    detail: `${names(bad)} ${plural('uses', 'use', bad.length)} ${plural('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  };
};

const privileged: Check = (s) => {
  const bad = containersOf(s).filter((c) => c.securityContext?.privileged === true);
  return bad.length
    ? { reason: 'privileged', detail: `${names(bad)} must not set securityContext.privileged=true` }
    : undefined;
};

const procMount: Check = (s) => {
  if (userNamespaced(s)) return undefined;
  const bad = containersOf(s).filter((c) => (c.securityContext?.procMount ?? 'Default') !== 'Default');
  if (!bad.length) return undefined;
  return {
    reason: 'procMount',
    detail: `${names(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(bad.map((c) => c.securityContext!.procMount!)))}`,
  };
};

const validSeccomp = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';

function seccomp(s: PodSpec, restricted: boolean): Result | undefined {
  const setters: string[] = [];
  const values: string[] = [];
  let podSet = false;
  const podProfile = s.securityContext?.seccompProfile;
  if (podProfile) {
    if (!validSeccomp(podProfile.type)) {
      setters.push('pod');
      values.push(podProfile.type ?? '');
    } else podSet = true;
  }
  const explicit: Container[] = [];
  const implicit: Container[] = [];
  for (const c of containersOf(s)) {
    const p = c.securityContext?.seccompProfile;
    if (p) {
      if (!validSeccomp(p.type)) {
        explicit.push(c);
        values.push(p.type ?? '');
      }
    } else if (!podSet) implicit.push(c);
  }
  if (explicit.length) setters.push(names(explicit));
  if (setters.length)
    return {
      reason: 'seccompProfile',
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values))}`,
    };
  if (restricted && implicit.length)
    return {
      reason: 'seccompProfile',
      detail: `pod or ${names(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  return undefined;
}

const sysctls: Check = (s) => {
  const bad = (s.securityContext?.sysctls ?? []).map((x) => x.name ?? '').filter((n) => !SAFE_SYSCTLS.has(n));
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
};

const allowPrivilegeEscalation: Check = (s) => {
  if (windows(s)) return undefined;
  const bad = containersOf(s).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false);
  return bad.length
    ? {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${names(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      }
    : undefined;
};

const capabilitiesRestricted: Check = (s) => {
  if (windows(s)) return undefined;
  const missingDrop: Container[] = [];
  const adding: Container[] = [];
  const caps: string[] = [];
  for (const c of containersOf(s)) {
    const cap = c.securityContext?.capabilities;
    if (!cap) {
      missingDrop.push(c);
      continue;
    }
    if (!(cap.drop ?? []).includes('ALL')) missingDrop.push(c);
    const add = (cap.add ?? []).filter((x) => x !== 'NET_BIND_SERVICE');
    if (add.length) {
      adding.push(c);
      caps.push(...add);
    }
  }
  const details = [
    ...(missingDrop.length
      ? [`${names(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`]
      : []),
    ...(adding.length
      ? [
          `${names(adding)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`,
        ]
      : []),
  ];
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

const procMountRestricted: Check = (s) => {
  const bad = containersOf(s).filter((c) => (c.securityContext?.procMount ?? 'Default') !== 'Default');
  if (!bad.length) return undefined;
  return {
    reason: 'procMount',
    detail: `${names(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(bad.map((c) => c.securityContext!.procMount!)))}`,
  };
};

const restrictedVolumes: Check = (s) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of s.volumes ?? []) {
    const keys = Object.keys(v).filter((k) => k !== 'name');
    if (keys.some((k) => ALLOWED_VOLUMES.has(k))) continue;
    bad.push(v.name ?? '');
    types.push(VOLUME_TYPES.find((t) => keys.includes(t)) ?? 'unknown');
  }
  if (!bad.length) return undefined;
  const list = sortedUnique(types);
  return {
    reason: 'restricted volume types',
    detail: `${plural('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${plural('uses', 'use', bad.length)} ${plural('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  };
};

const runAsNonRoot: Check = (s) => {
  if (userNamespaced(s)) return undefined;
  const setters: string[] = [];
  let podNonRoot = false;
  const pod = s.securityContext?.runAsNonRoot;
  if (pod !== undefined) {
    if (!pod) setters.push('pod');
    else podNonRoot = true;
  }
  const explicit: Container[] = [];
  const implicit: Container[] = [];
  for (const c of containersOf(s)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v !== undefined) {
      if (!v) explicit.push(c);
    } else if (!podNonRoot) implicit.push(c);
  }
  if (explicit.length) setters.push(names(explicit));
  if (setters.length)
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
    };
  if (implicit.length)
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${names(implicit)} must set securityContext.runAsNonRoot=true`,
    };
  return undefined;
};

const runAsUser: Check = (s) => {
  if (userNamespaced(s)) return undefined;
  const setters = s.securityContext?.runAsUser === 0 ? ['pod'] : [];
  const bad = containersOf(s).filter((c) => c.securityContext?.runAsUser === 0);
  if (bad.length) setters.push(names(bad));
  return setters.length
    ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` }
    : undefined;
};

const appArmorProfile: Check = (s, meta) => {
  const ok = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const setters: string[] = [];
  const values: string[] = [];
  const pod = s.securityContext?.appArmorProfile;
  if (pod && !ok(pod.type)) {
    setters.push('pod');
    values.push(pod.type ?? '');
  }
  const bad = containersOf(s).filter(
    (c) => c.securityContext?.appArmorProfile && !ok(c.securityContext.appArmorProfile.type),
  );
  for (const c of bad) values.push(c.securityContext!.appArmorProfile!.type ?? '');
  if (bad.length) setters.push(names(bad));
  const list = sortedUnique(values);
  const annotations = Object.entries(meta.annotations ?? {})
    .filter(
      ([k, v]) =>
        k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
        !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')),
    )
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  if (annotations.length) {
    list.push(...annotations);
    setters.push(plural('annotation', 'annotations', annotations.length));
  }
  if (!setters.length) return undefined;
  return {
    reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(list)}`,
  };
};

const hostProbesAndHostLifecycle: Check = (s) => {
  const bad = new Set<string>();
  const hosts = new Set<string>();
  const hostsOf = (h: Handler | undefined): string[] =>
    [h?.httpGet?.host, h?.tcpSocket?.host].filter((x): x is string => !!x);
  for (const c of containersOf(s)) {
    for (const h of [
      c.livenessProbe,
      c.readinessProbe,
      c.startupProbe,
      c.lifecycle?.postStart,
      c.lifecycle?.preStop,
    ]) {
      const found = hostsOf(h);
      if (!found.length) continue;
      bad.add(c.name ?? '');
      for (const x of found) hosts.add(x);
    }
  }
  if (!bad.size) return undefined;
  const cs = [...bad].sort();
  const hs = [...hosts].sort();
  return {
    reason: 'probe or lifecycle host',
    detail: `${plural('container', 'containers', cs.length)} ${joinQuote(cs)} ${plural('uses', 'use', cs.length)} ${plural('probe or lifecycle host', 'probe or lifecycle hosts', hs.length)} ${joinQuote(hs)}`,
  };
};

const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const seLinuxOptions: Check = (s) => {
  const types = new Set<string>();
  let user = false;
  let role = false;
  const valid = (o: SeLinux): boolean => {
    let ok = true;
    if (!SELINUX_TYPES.has(o.type ?? '')) {
      ok = false;
      types.add(o.type ?? '');
    }
    if (o.user) {
      ok = false;
      user = true;
    }
    if (o.role) {
      ok = false;
      role = true;
    }
    return ok;
  };
  const setters: string[] = [];
  const pod = s.securityContext?.seLinuxOptions;
  if (pod && !valid(pod)) setters.push('pod');
  const bad = containersOf(s).filter(
    (c) => c.securityContext?.seLinuxOptions && !valid(c.securityContext.seLinuxOptions),
  );
  if (bad.length) setters.push(names(bad));
  if (!setters.length) return undefined;
  const data = [
    ...(types.size ? [`${plural('type', 'types', types.size)} ${joinQuote([...types].sort())}`] : []),
    ...(user ? ['user may not be set'] : []),
    ...(role ? ['role may not be set'] : []),
  ];
  return {
    reason: 'seLinuxOptions',
    detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
  };
};

const windowsHostProcess: Check = (s) => {
  const setters = s.securityContext?.windowsOptions?.hostProcess === true ? ['pod'] : [];
  const bad = containersOf(s).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true);
  if (bad.length) setters.push(names(bad));
  return setters.length
    ? {
        reason: 'hostProcess',
        detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
      }
    : undefined;
};

// Baseline check IDs in Go's (byte-wise) sorted order.
const BASELINE: [string, Check][] = [
  ['appArmorProfile', appArmorProfile],
  ['capabilities_baseline', capabilitiesBaseline],
  ['hostNamespaces', hostNamespaces],
  ['hostPathVolumes', hostPathVolumes],
  ['hostPorts', hostPorts],
  ['hostProbesAndHostLifecycle', hostProbesAndHostLifecycle],
  ['privileged', privileged],
  ['procMount', procMount],
  ['seLinuxOptions', seLinuxOptions],
  ['seccompProfile_baseline', (s) => seccomp(s, false)],
  ['sysctls', sysctls],
  ['windowsHostProcess', windowsHostProcess],
];
const RESTRICTED: [string, Check, string?][] = [
  ['allowPrivilegeEscalation', allowPrivilegeEscalation],
  ['capabilities_restricted', capabilitiesRestricted, 'capabilities_baseline'],
  ['procMount_restricted', procMountRestricted, 'procMount'],
  ['restrictedVolumes', restrictedVolumes, 'hostPathVolumes'],
  ['runAsNonRoot', runAsNonRoot],
  ['runAsUser', runAsUser],
  [
    'seccompProfile_restricted',
    (s) => (windows(s) ? undefined : seccomp(s, true)),
    'seccompProfile_baseline',
  ],
];

/** The aggregated refusal text ("reason (detail), reason (detail)"), or undefined when allowed. */
export function evaluatePod(level: Level, spec: PodSpec, meta: KubeObject['metadata']): string | undefined {
  const results = evaluate(level, spec, meta);
  if (!results.length) return undefined;
  return results.map((r) => (r.detail ? `${r.reason} (${r.detail})` : r.reason)).join(', ');
}

function evaluate(level: Level, spec: PodSpec, meta: KubeObject['metadata']): Result[] {
  if (level === 'privileged') return [];
  let checks: Check[];
  if (level === 'baseline') checks = BASELINE.map(([, c]) => c);
  else {
    const overridden = new Set(RESTRICTED.map(([, , o]) => o).filter(Boolean));
    checks = [
      ...BASELINE.filter(([id]) => !overridden.has(id)).map(([, c]) => c),
      ...RESTRICTED.map(([, c]) => c),
    ];
  }
  return checks.map((c) => c(spec, meta)).filter((r): r is Result => !!r);
}

export interface LevelVersion {
  level: Level;
  version: string;
}

export interface NamespacePolicy {
  enforce: LevelVersion;
  warn: LevelVersion;
  audit: LevelVersion;
}

const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];
const PREFIX = 'pod-security.kubernetes.io/';

/** A label the plugin cannot parse (its field error). */
export interface LabelError {
  label: string;
  value: string;
  message: string;
}

/**
 * api.PolicyToEvaluate: the labels over the default (privileged:latest); an unparsable enforce
 * level fails closed (restricted), warn/audit fail open; warn follows enforce when unset.
 */
export function policyOf(labels: Record<string, string> | undefined): NamespacePolicy {
  return parsePolicy(labels).policy;
}

export function parsePolicy(labels: Record<string, string> | undefined): {
  policy: NamespacePolicy;
  errors: LabelError[];
} {
  const l = labels ?? {};
  const errors: LabelError[] = [];
  const level = (k: string, onError: Level): Level => {
    const key = PREFIX + k;
    if (!(key in l)) return 'privileged';
    if (LEVELS.includes(l[key] as Level)) return l[key] as Level;
    errors.push({ label: key, value: l[key]!, message: `must be one of ${LEVELS.join(', ')}` });
    return onError;
  };
  const version = (k: string): string => {
    const key = `${PREFIX}${k}-version`;
    const v = l[key];
    if (v === undefined || v === 'latest') return 'latest';
    if (/^v1\.(0|[1-9][0-9]*)$/.test(v)) return v;
    errors.push({ label: key, value: v, message: 'must be "latest" or "v1.x"' });
    return 'latest';
  };
  const p: NamespacePolicy = {
    enforce: { level: level('enforce', 'restricted'), version: version('enforce') },
    audit: { level: level('audit', 'privileged'), version: version('audit') },
    warn: { level: level('warn', 'privileged'), version: version('warn') },
  };
  const hasEnforce = LEVELS.includes(l[`${PREFIX}enforce`] as Level);
  if (
    !(`${PREFIX}warn` in l) &&
    hasEnforce &&
    LEVELS.indexOf(p.enforce.level) > LEVELS.indexOf(p.warn.level)
  ) {
    p.warn.level = p.enforce.level;
    if (!(`${PREFIX}warn-version` in l)) p.warn.version = p.enforce.version;
  }
  return { policy: { enforce: p.enforce, warn: p.warn, audit: p.audit }, errors };
}

const show = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;

/** The pod template of a workload kind (PodSpecExtractor), or undefined for other kinds. */
export function podTemplateOf(
  resource: string,
  obj: KubeObject,
): { spec: PodSpec; meta: KubeObject['metadata'] } | undefined {
  const spec = obj.spec as Json | undefined;
  let template: Json | undefined;
  if (
    ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'replicationcontrollers'].includes(
      resource,
    )
  )
    template = spec?.template as Json | undefined;
  else if (resource === 'cronjobs')
    template = ((spec?.jobTemplate as Json | undefined)?.spec as Json | undefined)?.template as
      Json | undefined;
  else if (resource === 'podtemplates') template = (obj as Json).template as Json | undefined;
  else return undefined;
  if (!template) return undefined;
  return {
    spec: (template.spec ?? {}) as PodSpec,
    meta: (template.metadata ?? {}) as KubeObject['metadata'],
  };
}

export type PodSecurityDecision = { refused: string } | { warnings: string[] };

/** Pods: enforce (refusal) then warn. Workloads (`enforce` false): warn only. */
export function podSecurity(
  policy: NamespacePolicy,
  spec: PodSpec,
  meta: KubeObject['metadata'],
  enforce: boolean,
): PodSecurityDecision {
  if (enforce) {
    const why = evaluatePod(policy.enforce.level, spec, meta);
    if (why) return { refused: `violates PodSecurity "${show(policy.enforce)}": ${why}` };
  }
  const warn = evaluatePod(policy.warn.level, spec, meta);
  return { warnings: warn ? [`would violate PodSecurity "${show(policy.warn)}": ${warn}`] : [] };
}

/** isSignificantPodUpdate: only image changes and container-set changes re-evaluate an update. */
export function significantPodUpdate(next: KubeObject, old: KubeObject): boolean {
  const n = (next.spec ?? {}) as PodSpec;
  const o = (old.spec ?? {}) as PodSpec;
  const images = (cs: Container[] | undefined): string =>
    JSON.stringify((cs ?? []).map((c) => (c as Json).image ?? null));
  if ((n.containers ?? []).length !== (o.containers ?? []).length) return true;
  if ((n.initContainers ?? []).length !== (o.initContainers ?? []).length) return true;
  if (images(n.containers) !== images(o.containers) || images(n.initContainers) !== images(o.initContainers))
    return true;
  const oldEph = new Map((o.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const c of n.ephemeralContainers ?? []) {
    const prev = oldEph.get(c.name);
    if (!prev || (prev as Json).image !== (c as Json).image) return true;
  }
  return false;
}

/** A pod or workload write, judged by the namespace's labels; throws nothing, says what to do. */
export function admitPodSecurity(
  resource: string,
  obj: KubeObject,
  namespaceLabels: Record<string, string> | undefined,
  op: { operation: 'CREATE' | 'UPDATE'; old?: KubeObject; subresource?: string },
): PodSecurityDecision | undefined {
  const policy = policyOf(namespaceLabels);
  if (resource === 'pods') {
    if (
      op.subresource &&
      ['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status'].includes(
        op.subresource,
      )
    )
      return undefined;
    if (
      policy.enforce.level === 'privileged' &&
      policy.warn.level === 'privileged' &&
      policy.audit.level === 'privileged'
    )
      return undefined;
    if (op.operation === 'UPDATE' && op.old && !significantPodUpdate(obj, op.old)) return undefined;
    return podSecurity(policy, (obj.spec ?? {}) as PodSpec, obj.metadata, true);
  }
  if (op.subresource) return undefined;
  if (policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return undefined;
  const t = podTemplateOf(resource, obj);
  return t ? podSecurity(policy, t.spec, t.meta, false) : undefined;
}

/**
 * ValidateNamespace: unparsable labels are a 422 (on update only when they changed); raising the
 * enforce level warns about the existing pods that would violate it (one line per distinct
 * reason list, naming the first pod by name and how many others share it).
 */
export function admitNamespace(
  ns: KubeObject,
  old: KubeObject | undefined,
  pods: KubeObject[],
): { invalid: LabelError[] } | { warnings: string[] } | undefined {
  const next = parsePolicy(ns.metadata.labels);
  if (!old) return next.errors.length ? { invalid: next.errors } : undefined;
  const prev = parsePolicy(old.metadata.labels);
  if (
    next.errors.length &&
    (!prev.errors.length || JSON.stringify(next.errors) !== JSON.stringify(prev.errors))
  )
    return { invalid: next.errors };
  const e = next.policy.enforce;
  const o = prev.policy.enforce;
  if (e.level === o.level && e.version === o.version) return undefined;
  if (e.level === 'privileged') return undefined;
  if (e.version === o.version && LEVELS.indexOf(e.level) <= LEVELS.indexOf(o.level)) return undefined;
  // prioritizePods: one pod per controller first, then the other replicas.
  const seen = new Set<string>();
  const first: KubeObject[] = [];
  const rest: KubeObject[] = [];
  for (const p of pods) {
    const ctl = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (ctl && seen.has(ctl.uid)) rest.push(p);
    else {
      if (ctl) seen.add(ctl.uid);
      first.push(p);
    }
  }
  const counts = new Map<string, { pod: string; n: number }>();
  const order: string[] = [];
  for (const p of [...first, ...rest].slice(0, 3000)) {
    const r = evaluate(e.level, (p.spec ?? {}) as PodSpec, p.metadata);
    if (!r.length) continue;
    const reason = r.map((x) => x.reason).join(', ');
    const c = counts.get(reason);
    if (!c) {
      counts.set(reason, { pod: p.metadata.name!, n: 1 });
      order.push(reason);
    } else {
      c.n++;
      if (p.metadata.name! < c.pod) c.pod = p.metadata.name!;
    }
  }
  if (!order.length) return { warnings: [] };
  const lines = order
    .map((reason) => {
      const c = counts.get(reason)!;
      if (c.n === 1) return `${c.pod}: ${reason}`;
      if (c.n === 2) return `${c.pod} (and 1 other pod): ${reason}`;
      return `${c.pod} (and ${c.n - 1} other pods): ${reason}`;
    })
    .sort();
  return {
    warnings: [
      `existing pods in namespace "${ns.metadata.name}" violate the new PodSecurity enforce level "${show(e)}"`,
      ...lines,
    ],
  };
}

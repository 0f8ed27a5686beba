// startEmbeddedKube: boots the embedded Kubernetes API server (HTTPS by default).
import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createPki, type Pki } from './certs.ts';
import { KindRegistry } from './registry.ts';
import { ObjectStore, type KubeObject, type StoreSnapshot } from './store.ts';
import { Resources } from './resources.ts';
import { OpenApiDocuments } from './openapi.ts';
import { RbacAuthorizer, escalationCheck } from './rbac.ts';
import { ApiError, errors, qualifiedResource } from './status.ts';
import { HttpApi, type AuditRecord } from './http.ts';
import { Controllers } from './controllers.ts';
import { admitNamespace, admitPodSecurity } from './psa.ts';
import { ValidatingAdmissionPolicies } from './vap.ts';
import { aggregateClusterRoles, createBootstrapRbac } from './rbac-bootstrap.ts';
import { registerCrd, unregisterCrd } from './crd.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import type { StaticToken, UserInfo } from './auth.ts';

export interface EmbeddedKubeOptions {
  /** 'https' (default; kubectl sends tokens only over TLS) or 'http' for in-process use. */
  protocol?: 'https' | 'http';
  host?: string;
  port?: number;
  /** Static bearer tokens → identities. An admin token (system:masters) is always added. */
  tokens?: Record<string, StaticToken>;
  /** Switch the RBAC authorizer on (system:masters always passes). */
  rbac?: boolean;
  /** Simulated node names. */
  nodes?: string[];
  podStartMs?: number;
  podCompleteMs?: number;
  bookmarkIntervalMs?: number;
  /** Directory for the kubeconfig file (a fresh temp dir by default). */
  dir?: string;
  /** How often CronJob schedules are checked (default 1 s). */
  cronTickMs?: number;
  /** Clock for CronJob scheduling (tests move it); defaults to Date.now. */
  now?: () => number;
  /** Generate a new CA instead of reusing this process's one. */
  freshPki?: boolean;
  /** Over plain HTTP, requests without credentials act as this user (default: refused with 401). */
  plainHttpUser?: UserInfo;
}

export interface EmbeddedKube {
  url: string;
  /** Path of the admin kubeconfig file. */
  kubeconfig: string;
  kubeconfigYaml: string;
  caPem?: string;
  adminToken: string;
  /** Writes a kubeconfig for a token (creating the token's identity when user is given). */
  kubeconfigFor(token: string, user?: StaticToken): string;
  /** Writes a kubeconfig authenticating by client certificate as user/groups. */
  kubeconfigForCert(user: string, groups?: string[]): Promise<string>;
  addToken(token: string, user: StaticToken): void;
  setRbac(on: boolean): void;
  audit(): AuditRecord[];
  resources: Resources;
  snapshot(): string;
  revert(id: string): void;
  reset(): void;
  stop(): Promise<void>;
}

const pkiCache = new Map<string, Promise<Pki>>();

/**
 * One throw-away CA per process and host (certificate signing is most of the boot
 * time); servers in the same process share it unless a fresh one is asked for.
 */
function processPki(host: string, fresh: boolean): Promise<Pki> {
  const hosts = [...new Set([host, 'localhost', '127.0.0.1', '::1'])];
  if (fresh) return createPki(hosts);
  let p = pkiCache.get(host);
  if (!p) {
    p = createPki(hosts);
    pkiCache.set(host, p);
    p.catch(() => pkiCache.delete(host));
  }
  return p;
}

export async function startEmbeddedKube(opts: EmbeddedKubeOptions = {}): Promise<EmbeddedKube> {
  const protocol = opts.protocol ?? 'https';
  const host = opts.host ?? '127.0.0.1';
  const registry = new KindRegistry();
  const store = new ObjectStore();
  const resources = new Resources(registry, store);
  const openapi = new OpenApiDocuments(registry);
  const rbac = new RbacAuthorizer(store);
  let rbacOn = Boolean(opts.rbac);
  const adminToken = randomBytes(24).toString('hex');
  const tokens = new Map<string, StaticToken>(Object.entries(opts.tokens ?? {}));
  tokens.set(adminToken, { user: 'admin', groups: ['system:masters'] });
  const audit: AuditRecord[] = [];
  const streams = new Set<ServerResponse>();

  const controllers = new Controllers(resources, {
    nodes: opts.nodes ?? ['embedded-node-1'],
    podStartMs: opts.podStartMs ?? 30,
    podCompleteMs: opts.podCompleteMs ?? 60,
    cronTickMs: opts.cronTickMs,
    now: opts.now,
  });
  // CRD registration runs right after the CRD is stored, so the next request sees the new kinds.
  resources.afterWrite.push((rk, obj) => {
    if (
      rk.group === 'apiextensions.k8s.io' &&
      rk.resource === 'customresourcedefinitions' &&
      !obj.metadata.deletionTimestamp
    )
      registerCrd(resources, obj.metadata.name!);
  });
  resources.afterDelete.push((rk, obj) => {
    if (rk.group === 'apiextensions.k8s.io' && rk.resource === 'customresourcedefinitions')
      unregisterCrd(resources, obj);
  });

  // RBAC escalation prevention, as the RBAC REST storage of kube-apiserver enforces it.
  resources.admission.push((rk, obj, o) => {
    if (!rbacOn || !o.actor || rk.group !== 'rbac.authorization.k8s.io' || rk.crdName) return;
    const refusal = escalationCheck(rbac, o.actor, rk.kind, obj);
    if (!refusal) return;
    if (refusal.code === 404)
      throw new ApiError(404, 'NotFound', refusal.message, {
        name: refusal.name,
        group: 'rbac.authorization.k8s.io',
        kind: refusal.kind,
      });
    throw new ApiError(
      403,
      'Forbidden',
      `${qualifiedResource(rk)} "${obj.metadata.name}" is forbidden: ${refusal.message}`,
      { name: obj.metadata.name, group: rk.group, kind: rk.resource },
    );
  });
  // Pod Security Admission (the PodSecurity plugin): pods refused or warned, workloads warned.
  resources.admission.push((rk, obj, _o, req) => {
    if (!rk.crdName && rk.group === '' && rk.resource === 'namespaces' && !req.subresource) {
      const d = admitNamespace(obj, req.old, store.list('/pods', obj.metadata.name));
      if (d && 'invalid' in d)
        throw errors.invalid(
          rk,
          obj.metadata.name ?? '',
          d.invalid.map((e) => ({
            field: `metadata.labels[${e.label}]`,
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(e.value)}: ${e.message}`,
          })),
        );
      return d?.warnings;
    }
    if (rk.crdName || !rk.namespaced || !obj.metadata.namespace) return;
    if (rk.group !== '' && rk.group !== 'apps' && rk.group !== 'batch') return;
    const ns = store.get('/namespaces', undefined, obj.metadata.namespace);
    const d = admitPodSecurity(rk.resource, obj, ns?.metadata.labels, req);
    if (!d) return;
    if ('refused' in d)
      throw new ApiError(
        403,
        'Forbidden',
        `${qualifiedResource(rk)}${req.name ? ` "${req.name}"` : ''} is forbidden: ${d.refused}`,
        {
          ...(req.name ? { name: req.name } : {}),
          ...(rk.group ? { group: rk.group } : {}),
          kind: rk.resource,
        },
      );
    return d.warnings;
  });
  // ValidatingAdmissionPolicies with their bindings (the plugin runs after PodSecurity).
  const policies = new ValidatingAdmissionPolicies(store);
  resources.admission.push((rk, obj, o, req) => {
    if (rk.group === 'admissionregistration.k8s.io') return; // kube never applies a policy to policies
    return policies.admit(rk, obj, req, o.actor, Boolean(o.dryRun));
  });
  // The policy status controller: observedGeneration and (empty: no type checking here) typeChecking,
  // written by server-side apply on the status subresource as kube-apiserver's controller does.
  resources.afterWrite.push((rk, obj) => {
    if (rk.group !== 'admissionregistration.k8s.io' || rk.resource !== 'validatingadmissionpolicies') return;
    const gen = obj.metadata.generation ?? 1;
    if ((obj.status as { observedGeneration?: number } | undefined)?.observedGeneration === gen) return;
    const manager = 'validatingadmissionpolicy-status';
    const entry = {
      manager,
      operation: 'Apply',
      apiVersion: 'admissionregistration.k8s.io/v1',
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:observedGeneration': {}, 'f:typeChecking': {} } },
      subresource: 'status',
    };
    const others = ((obj.metadata.managedFields ?? []) as { manager?: string }[]).filter(
      (e) => e.manager !== manager,
    );
    resources.writeRaw(rk, {
      ...obj,
      metadata: {
        ...obj.metadata,
        managedFields: [entry, ...others] as KubeObject['metadata']['managedFields'],
      },
      status: { observedGeneration: gen, typeChecking: {} },
    });
  });
  // ClusterRole aggregation follows every ClusterRole write (kube-controller-manager's job).
  resources.afterWrite.push((rk) => {
    if (rk.group === 'rbac.authorization.k8s.io' && rk.resource === 'clusterroles' && !rk.crdName)
      aggregateClusterRoles(resources);
  });
  resources.afterDelete.push((rk) => {
    if (rk.group === 'rbac.authorization.k8s.io' && rk.resource === 'clusterroles' && !rk.crdName)
      aggregateClusterRoles(resources);
  });

  let pki: Pki | undefined;
  if (protocol === 'https') pki = await processPki(host, Boolean(opts.freshPki));
  controllers.caPem = pki?.ca.certPem ?? '';
  if (pki) controllers.signer = (csr, usages, seconds) => pki.signCsr(csr, usages, seconds);
  controllers.start();
  controllers.bootstrap();
  createBootstrapRbac(resources);

  const api = new HttpApi({
    registry,
    resources,
    openapi,
    tokens,
    rbac,
    rbacEnabled: () => rbacOn,
    audit,
    auditLimit: 10_000,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5_000,
    plainHttpUser: protocol === 'http' ? opts.plainHttpUser : undefined,
    serverAddress: `${host}:${opts.port ?? 0}`,
    streams,
  });

  const server: HttpServer =
    protocol === 'https'
      ? createHttpsServer(
          {
            key: pki!.server.keyPem,
            cert: pki!.server.certPem,
            ca: pki!.ca.certPem,
            requestCert: true,
            rejectUnauthorized: false,
          },
          api.handle,
        )
      : createHttpServer(api.handle);
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'embedded-kube-'));
  const ownsDir = !opts.dir;
  const write = (file: string, yaml: string): string => {
    const p = join(dir, file);
    writeFileSync(p, yaml, { mode: 0o600 });
    return p;
  };
  const adminYaml = kubeconfigYaml({ url, caPem: pki?.ca.certPem, user: { token: adminToken } });
  const kubeconfig = write('kubeconfig', adminYaml);

  const snapshots = new Map<string, StoreSnapshot>();
  const initial = store.snapshot();
  let snapCounter = 0;
  const restore = (snap: StoreSnapshot): void => {
    store.restore(snap);
    // CRD kinds follow the restored CRDs.
    registry.removeWhere((k) => Boolean(k.crdName));
    for (const crd of store.list('apiextensions.k8s.io/customresourcedefinitions'))
      registerCrd(resources, crd.metadata.name!);
  };

  return {
    url,
    kubeconfig,
    kubeconfigYaml: adminYaml,
    caPem: pki?.ca.certPem,
    adminToken,
    kubeconfigFor(token, user) {
      if (user) tokens.set(token, user);
      return write(
        `kubeconfig-${randomBytes(4).toString('hex')}`,
        kubeconfigYaml({ url, caPem: pki?.ca.certPem, user: { token } }),
      );
    },
    async kubeconfigForCert(user, groups = []) {
      if (!pki) throw new Error('client certificates need the https protocol: start with protocol "https"');
      const c = await pki.issueClient(user, groups);
      return write(
        `kubeconfig-${randomBytes(4).toString('hex')}`,
        kubeconfigYaml({
          url,
          caPem: pki.ca.certPem,
          user: { clientCertPem: c.certPem, clientKeyPem: c.keyPem },
        }),
      );
    },
    addToken(token, user) {
      tokens.set(token, user);
    },
    setRbac(on) {
      rbacOn = on;
    },
    audit: () => [...audit],
    resources,
    snapshot() {
      controllers.flush();
      const id = `snap-${++snapCounter}`;
      snapshots.set(id, store.snapshot());
      return id;
    },
    revert(id) {
      const snap = snapshots.get(id);
      if (!snap) throw new Error(`unknown snapshot "${id}": take one with snapshot() first`);
      restore(snap);
    },
    reset() {
      restore(initial);
    },
    async stop() {
      controllers.stop();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

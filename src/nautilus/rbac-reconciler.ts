/**
 * The RBAC mirror's reconcile loop (#18): every period, the cluster's live SealTokens
 * (token-source.ts) become Kubernetes RBAC (rbac-mirror.ts) and tenant admission
 * (tenant-admission.ts), applied server-side (idempotent), and every object it manages that no
 * live token needs any more — a token revoked, expired or destroyed — is deleted. A request of a
 * token issued since the last pass reconciles at once (`ensureToken`), so a new token works on
 * its first request. Runs with its own credential (`--rbac-kubeconfig`): creating a Role that
 * grants what a token allows needs `escalate`/`bind`, i.e. it is RBAC-admin; the executor's
 * own credential stays impersonate-only.
 */
import type { Logger } from '../shared/logger.ts';
import type { KubeObjects } from './kube-objects.ts';
import { type KubeObject } from './kube-objects.ts';
import {
  TOKEN_LABEL,
  clusterSelector,
  executorRole,
  tokenNamespaces,
  tokenObjects,
  type MirroredToken,
  type PodSecurityLevel,
  type RbacObject,
} from './rbac-mirror.ts';
import { tenantAdmissionObjects, tenantNamespaceLabels } from './tenant-admission.ts';
import type { TokenSource } from './token-source.ts';

const MANAGED_KINDS = ['RoleBinding', 'Role', 'ClusterRoleBinding', 'ClusterRole'] as const;
const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

export interface ReconcileResult {
  tokens: number;
  applied: number;
  deleted: number;
  /** objects that could not be applied or deleted this pass (retried next pass) */
  failed: number;
  /** what went wrong with them, first few */
  failures?: string[];
  ms: number;
}

const FAILURES_KEPT = 5;

export interface RbacReconcilerOptions {
  kube: KubeObjects;
  tokens: TokenSource;
  clusterId: string;
  podSecurity: PodSecurityLevel;
  logger: Logger;
  /** Default 3 s. */
  periodMs?: number;
}

function key(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export class RbacReconciler {
  private mirrored = new Set<string>();
  /** last applied form of each object (skip re-applying what did not change) */
  private readonly applied = new Map<string, string>();
  /** namespace → whether it was last applied as a tenant namespace */
  private readonly labelledNamespaces = new Map<string, boolean>();
  private running: Promise<ReconcileResult> | undefined;
  private stopped = false;
  private passes = 0;
  private timer: NodeJS.Timeout | undefined;
  private last?: ReconcileResult & { at: number; error?: string };

  constructor(private readonly o: RbacReconcilerOptions) {}

  get periodMs(): number {
    return this.o.periodMs ?? 3_000;
  }

  /** The last pass (for /healthz). */
  get lastPass(): (ReconcileResult & { at: number; error?: string }) | undefined {
    return this.last;
  }

  /** The admission policy, then a first pass; then every period. */
  async start(): Promise<ReconcileResult> {
    for (const o of tenantAdmissionObjects(this.o.clusterId)) await this.o.kube.apply(o);
    const first = await this.reconcile();
    this.schedule();
    return first;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.reconcile()
        .catch((e: unknown) =>
          this.o.logger.error({ err: (e as Error).message }, 'RBAC mirror pass failed; retrying next period'),
        )
        .finally(() => this.schedule());
    }, this.periodMs);
  }

  /** Mirrors `tokenId` now if the last pass did not; true when a pass ran for it. */
  async ensureToken(tokenId: string): Promise<boolean> {
    if (this.mirrored.has(tokenId)) return false;
    await this.reconcile();
    return true;
  }

  /** One pass; concurrent callers share it. */
  reconcile(): Promise<ReconcileResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<ReconcileResult> {
    const started = Date.now();
    try {
      const tokens = await this.o.tokens.liveTokens();
      const r = await this.converge(tokens);
      this.mirrored = new Set(tokens.map((t) => t.id));
      const result: ReconcileResult = {
        tokens: tokens.length,
        applied: r.applied,
        deleted: r.deleted,
        failed: r.failures.length,
        ...(r.failures.length ? { failures: r.failures.slice(0, FAILURES_KEPT) } : {}),
        ms: Date.now() - started,
      };
      this.last = {
        ...result,
        at: Date.now(),
        ...(r.failures.length ? { error: r.failures.slice(0, FAILURES_KEPT).join('; ') } : {}),
      };
      if (r.failures.length)
        this.o.logger.warn(result, 'RBAC mirror: some objects could not be converged; retrying next period');
      else if (r.applied || r.deleted) this.o.logger.info(result, 'RBAC mirror converged');
      return result;
    } catch (e) {
      this.last = {
        tokens: 0,
        applied: 0,
        deleted: 0,
        failed: 0,
        ms: Date.now() - started,
        at: Date.now(),
        error: (e as Error).message,
      };
      throw e;
    }
  }

  /**
   * One object's failure (a namespace being deleted, an object someone else holds) fails only that
   * object, retried next pass: one tenant's state must not stop every other tenant's mirror, nor the
   * listener's start. The executor's role is applied whatever failed: impersonating a token's group
   * whose Role is missing only gets that token's requests refused by Kubernetes.
   */
  private async converge(
    tokens: MirroredToken[],
  ): Promise<{ applied: number; deleted: number; failures: string[] }> {
    const { kube, clusterId } = this.o;
    const failures: string[] = [];
    const attempt = async (what: string, f: () => Promise<unknown>): Promise<boolean> => {
      try {
        await f();
        return true;
      } catch (e) {
        failures.push(`${what}: ${(e as Error).message}`);
        return false;
      }
    };
    // Namespaces first: a Role cannot be created in a namespace that does not exist.
    // Namespace labels are re-applied now and then (someone may have removed them).
    if (++this.passes % 20 === 0) {
      this.labelledNamespaces.clear();
      this.applied.clear();
    }
    // Namespaces a token may write to carry the Pod Security level and the tenant label.
    const namespaces = tokenNamespaces(tokens);
    for (const ns of namespaces.all) {
      const tenant = namespaces.writable.has(ns);
      if (this.labelledNamespaces.get(ns) === tenant) continue;
      const labels = tenant ? tenantNamespaceLabels(clusterId, this.o.podSecurity) : {};
      if (
        await attempt(`namespace ${ns}`, () =>
          kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } }),
        )
      )
        this.labelledNamespaces.set(ns, tenant);
    }
    const desired: RbacObject[] = [
      ...tokens.flatMap((t) => tokenObjects(t, clusterId)),
      executorRole(clusterId, tokens),
    ];
    const want = new Set(desired.map(key));
    const existing: KubeObject[] = [];
    for (const kind of MANAGED_KINDS)
      existing.push(...(await kube.list(RBAC_V1, kind, clusterSelector(clusterId))));
    const present = new Set(existing.map(key));
    let applied = 0;
    // Roles before bindings (tokenObjects' order), the executor's role last: by the time the
    // executor may impersonate a token's group, that group's RBAC exists. An object someone
    // deleted is put back at once, one changed by hand within 20 periods (the cache resets).
    for (const o of desired) {
      const form = JSON.stringify(o);
      if (present.has(key(o)) && this.applied.get(key(o)) === form) continue;
      if (!(await attempt(key(o), () => kube.apply(o)))) continue;
      this.applied.set(key(o), form);
      applied++;
    }
    let deleted = 0;
    // Bindings before roles (MANAGED_KINDS' order): never a binding left pointing at a deleted role.
    for (const o of existing) {
      // Only per-token objects are collected (the executor's binding is the bootstrap's).
      if (want.has(key(o)) || !o.metadata.labels?.[TOKEN_LABEL]) continue;
      if (!(await attempt(`delete ${key(o)}`, () => kube.delete(o)))) continue;
      this.applied.delete(key(o));
      deleted++;
    }
    return { applied, deleted, failures };
  }
}

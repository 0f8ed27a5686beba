/**
 * The reconcile loop against an in-memory object store that answers as kube-apiserver does for
 * the calls the mirror makes (server-side apply creates or replaces, list by label selector,
 * delete): convergence, idempotence, garbage collection on revocation, the executor's binding
 * left alone, a hand-deleted object put back. The real thing: harness/e2e/defence-in-depth.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { K8sAnswer, K8sCall } from './k8s-executor.ts';
import { KubeObjects, type KubeClient } from './kube-objects.ts';
import { clusterLabels, type MirroredToken } from './rbac-mirror.ts';
import { RbacReconciler } from './rbac-reconciler.ts';

const CLUSTER = `0x${'c1'.repeat(32)}`;

class MemoryKube implements KubeClient {
  readonly objects = new Map<string, { metadata: { labels?: Record<string, string> } }>();
  readonly calls: string[] = [];
  /** namespaces being deleted: kube-apiserver refuses new content in them (403) */
  readonly terminating = new Set<string>();
  async execute(call: K8sCall): Promise<K8sAnswer> {
    await Promise.resolve();
    expect(call.as).toBe('self');
    const [path = '', query = ''] = call.path.split('?');
    this.calls.push(`${call.method} ${decodeURIComponent(path)}`);
    const ok = (body: unknown, statusCode = 200): K8sAnswer => ({
      statusCode,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(body)),
    });
    const ns = /\/namespaces\/([^/]+)\//.exec(path)?.[1];
    if (call.method === 'PATCH' && ns && this.terminating.has(ns))
      return ok(
        {
          kind: 'Status',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: `unable to create new content in namespace ${ns} because it is being terminated`,
        },
        403,
      );
    if (call.method === 'PATCH') {
      expect(call.contentType).toBe('application/apply-patch+yaml');
      this.objects.set(decodeURIComponent(path), JSON.parse(Buffer.from(call.body!).toString()));
      return ok({});
    }
    if (call.method === 'DELETE') return ok({}, this.objects.delete(decodeURIComponent(path)) ? 200 : 404);
    if (call.method === 'GET') {
      // a list across namespaces: /apis/rbac.authorization.k8s.io/v1/<plural>?labelSelector=
      const plural = path.split('/').at(-1)!;
      const selector = new URLSearchParams(query).get('labelSelector')!.split(',');
      const items = [...this.objects]
        .filter(([p]) => p.split('/').at(-2) === plural)
        .filter(([, o]) =>
          selector.every((kv) => {
            const [k, v] = kv.split('=');
            return o.metadata.labels?.[k!] === v;
          }),
        )
        .map(([, o]) => o);
      return ok({ items });
    }
    return ok({ message: `unexpected ${call.method}` }, 500);
  }
  names(): string[] {
    return [...this.objects.keys()].sort();
  }
}

const token = (id: string, namespaces: string[]): MirroredToken => ({
  id,
  owner: `0x${'0b'.repeat(32)}`,
  rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces, resourceNames: [] }],
  expiresAtMs: 0,
});

function setup(initial: MirroredToken[]) {
  const kube = new MemoryKube();
  let live = initial;
  const reconciler = new RbacReconciler({
    kube: new KubeObjects(kube),
    tokens: { liveTokens: () => Promise.resolve(live) },
    clusterId: CLUSTER,
    podSecurity: 'restricted',
    logger: pino({ level: 'silent' }),
  });
  return { kube, reconciler, setLive: (t: MirroredToken[]) => (live = t) };
}

const A = `0x${'aa'.repeat(32)}`;
const B = `0x${'bb'.repeat(32)}`;

describe('RbacReconciler', () => {
  it('converges, is idempotent, and collects what a revoked token had', async () => {
    const { kube, reconciler, setLive } = setup([token(A, ['team-a']), token(B, ['team-b'])]);
    const first = await reconciler.reconcile();
    expect(first).toMatchObject({ tokens: 2, applied: 5, deleted: 0 });
    const rb = '/apis/rbac.authorization.k8s.io/v1';
    expect(kube.names()).toEqual([
      '/api/v1/namespaces/team-a',
      '/api/v1/namespaces/team-b',
      `${rb}/clusterroles/k3s-daas:executor:${'c1'.repeat(20)}`,
      `${rb}/namespaces/team-a/rolebindings/k3s-daas:token:${'aa'.repeat(32)}`,
      `${rb}/namespaces/team-a/roles/k3s-daas:token:${'aa'.repeat(32)}`,
      `${rb}/namespaces/team-b/rolebindings/k3s-daas:token:${'bb'.repeat(32)}`,
      `${rb}/namespaces/team-b/roles/k3s-daas:token:${'bb'.repeat(32)}`,
    ]);
    expect(kube.objects.get('/api/v1/namespaces/team-a')!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    // Nothing changed: nothing applied, nothing deleted.
    expect(await reconciler.reconcile()).toMatchObject({ applied: 0, deleted: 0 });

    // The executor's binding (bootstrap's, no token label) is never collected.
    kube.objects.set(`${rb}/clusterrolebindings/k3s-daas:executor:x`, {
      metadata: { labels: clusterLabels(CLUSTER) },
    });
    setLive([token(A, ['team-a'])]);
    const afterRevoke = await reconciler.reconcile();
    expect(afterRevoke).toMatchObject({ tokens: 1, deleted: 2, applied: 1 }); // B's two objects; the executor role shrinks
    const deletes = kube.calls.filter((c) => c.startsWith('DELETE'));
    expect(deletes).toEqual([
      `DELETE ${rb}/namespaces/team-b/rolebindings/k3s-daas:token:${'bb'.repeat(32)}`,
      `DELETE ${rb}/namespaces/team-b/roles/k3s-daas:token:${'bb'.repeat(32)}`,
    ]);
    expect(kube.objects.has(`${rb}/clusterrolebindings/k3s-daas:executor:x`)).toBe(true);
    const executor = kube.objects.get(
      `${rb}/clusterroles/k3s-daas:executor:${'c1'.repeat(20)}`,
    ) as unknown as {
      rules: { resourceNames: string[] }[];
    };
    expect(executor.rules[1]!.resourceNames).not.toContain(`k3s-daas:token:${B}`);

    // Deleted by hand: put back on the next pass.
    kube.objects.delete(`${rb}/namespaces/team-a/roles/k3s-daas:token:${'aa'.repeat(32)}`);
    expect(await reconciler.reconcile()).toMatchObject({ applied: 1 });
  });

  it('a namespace being deleted fails only its own token: the others converge, the pass does not throw, and it is retried', async () => {
    const { kube, reconciler } = setup([token(A, ['team-a']), token(B, ['gone'])]);
    kube.terminating.add('gone');
    const first = await reconciler.reconcile();
    expect(first).toMatchObject({ tokens: 2, failed: 2 });
    expect(first.failures?.[0]).toMatch(/gone.*being terminated/);
    const rb = '/apis/rbac.authorization.k8s.io/v1';
    expect(kube.objects.has(`${rb}/namespaces/team-a/roles/k3s-daas:token:${'aa'.repeat(32)}`)).toBe(true);
    expect(kube.objects.has(`${rb}/clusterroles/k3s-daas:executor:${'c1'.repeat(20)}`)).toBe(true);
    expect(reconciler.lastPass?.error).toMatch(/being terminated/);
    // Next pass: the namespace is usable again and B's objects are applied.
    kube.terminating.clear();
    expect(await reconciler.reconcile()).toMatchObject({ failed: 0, applied: 2 });
    expect(kube.objects.has(`${rb}/namespaces/gone/roles/k3s-daas:token:${'bb'.repeat(32)}`)).toBe(true);
    expect(reconciler.lastPass?.error).toBeUndefined();
  });

  it('a token issued since the last pass is mirrored on its first request (ensureToken)', async () => {
    const { reconciler, setLive } = setup([]);
    await reconciler.reconcile();
    setLive([token(A, ['team-a'])]);
    expect(await reconciler.ensureToken(A)).toBe(true);
    expect(await reconciler.ensureToken(A)).toBe(false);
  });
});

// API machinery over raw HTTP: status codes and reasons, tables, watch semantics,
// finalizers, server-side apply, dry-run, field validation, selectors, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';

let kube: EmbeddedKube;

interface Res {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
  headers: Headers;
  text: string;
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Res> {
  const r = await fetch(`${kube.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${kube.adminToken}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: parsed, headers: r.headers, text };
}

const CM = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  kube = await startEmbeddedKube({ protocol: 'http', bookmarkIntervalMs: 100 });
});

afterAll(async () => {
  await kube?.stop();
});

describe('status errors', () => {
  it('401 without credentials, 404/405/400 with reasons', async () => {
    const anon = await fetch(`${kube.url}/api/v1/namespaces`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { reason: string }).reason).toBe('Unauthorized');
    const nf = await api('GET', `${CM}/missing`);
    expect(nf.status).toBe(404);
    expect(nf.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
    expect((await api('GET', '/apis/nope.example.com/v1/things')).status).toBe(404);
    expect((await api('POST', `${CM}/x`, {})).status).toBe(405);
    const bad = await api('POST', CM, '{not json');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
    const badSel = await api('GET', `${CM}?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(badSel.status).toBe(400);
    const badField = await api('GET', `${CM}?fieldSelector=spec.nope=1`);
    // ConfigMaps have no field labels of their own: kube-apiserver's default wording.
    expect(badField.body.message).toBe(
      '"spec.nope" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(
      (await api('POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } })).body.message,
    ).toBe('namespaces "nope" not found');
  });

  it('422 Invalid with causes, 409 AlreadyExists and Conflict', async () => {
    const inv = await api('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'd' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    });
    expect(inv.status).toBe(422);
    expect(inv.body.reason).toBe('Invalid');
    expect(inv.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.replicas',
      'spec.template.metadata.labels',
    ]);
    expect((await api('POST', CM, { metadata: { name: 'dup' } })).status).toBe(201);
    const dup = await api('POST', CM, { metadata: { name: 'dup' } });
    expect([dup.status, dup.body.reason]).toEqual([409, 'AlreadyExists']);
    const conflict = await api('PUT', `${CM}/dup`, {
      metadata: { name: 'dup', resourceVersion: '1' },
      data: { a: 'b' },
    });
    expect([conflict.status, conflict.body.reason]).toEqual([409, 'Conflict']);
  });

  it('410 Expired for a watch from a compacted resourceVersion', async () => {
    // History is bounded; resourceVersion 1 predates everything once enough writes happened.
    const store = kube.resources.store;
    const kind = kube.resources.kind('', 'configmaps');
    for (let i = 0; i < 31_000; i++)
      kube.resources.create(kind, 'default', { metadata: { name: `bulk-${i}` } }, { dryRun: false });
    const r = await api('GET', `${CM}?watch=true&resourceVersion=2&timeoutSeconds=1`);
    expect(r.text).toContain('"type":"ERROR"');
    expect(r.text).toContain('"code":410');
    expect(r.text).toContain('"reason":"Expired"');
    kube.resources.deleteCollection(kind, 'default', { labelSelector: '' });
    expect(store.count('/configmaps')).toBeLessThan(5);
  });
});

describe('object metadata and lifecycle', () => {
  it('generateName, uid, creationTimestamp, generation, resourceVersion', async () => {
    const d = await api('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { generateName: 'gen-' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      },
    });
    expect(d.status).toBe(201);
    expect(d.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(d.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(d.body.metadata.generation).toBe(1);
    expect(d.body.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    const p = await api(
      'PATCH',
      `/apis/apps/v1/namespaces/default/deployments/${d.body.metadata.name}`,
      { spec: { replicas: 4 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(p.body.metadata.generation).toBe(2);
    const l = await api(
      'PATCH',
      `/apis/apps/v1/namespaces/default/deployments/${d.body.metadata.name}`,
      { metadata: { labels: { x: 'y' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(l.body.metadata.generation).toBe(2);
  });

  it('finalizers hold deletion until removed', async () => {
    await api('POST', CM, { metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
    const del = await api('DELETE', `${CM}/fin`);
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect((await api('GET', `${CM}/fin`)).status).toBe(200);
    const rm = await api('PATCH', `${CM}/fin`, [{ op: 'remove', path: '/metadata/finalizers' }], {
      'Content-Type': 'application/json-patch+json',
    });
    expect(rm.status).toBe(200);
    expect((await api('GET', `${CM}/fin`)).status).toBe(404);
  });

  it('dry-run=All validates without storing; fieldValidation Strict/Warn/Ignore', async () => {
    const dry = await api('POST', `${CM}?dryRun=All`, { metadata: { name: 'dry' } });
    expect(dry.status).toBe(201);
    expect((await api('GET', `${CM}/dry`)).status).toBe(404);
    // kube-apiserver validates options as CreateOptions: 422 Invalid (checked by the differential suite).
    expect((await api('POST', `${CM}?dryRun=Some`, { metadata: { name: 'dry' } })).status).toBe(422);
    const strict = await api('POST', `${CM}?fieldValidation=Strict`, { metadata: { name: 'fv' }, extra: 1 });
    expect(strict.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"',
    );
    const warn = await api('POST', `${CM}?fieldValidation=Warn`, { metadata: { name: 'fv' }, extra: 1 });
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toContain('unknown field \\"extra\\"');
    expect(warn.body.extra).toBeUndefined();
    const typeErr = await api('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'te' },
      spec: { replicas: 'two' },
    });
    expect(typeErr.status).toBe(400);
  });

  it('server-side apply creates, updates and drops fields the manager stopped applying', async () => {
    const ssa = { 'Content-Type': 'application/apply-patch+yaml' };
    const first = await api(
      'PATCH',
      `${CM}/ssa?fieldManager=me`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1", b: "2"}\n',
      ssa,
    );
    expect(first.status).toBe(201);
    const second = await api(
      'PATCH',
      `${CM}/ssa?fieldManager=me`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "3"}\n',
      ssa,
    );
    expect(second.body.data).toEqual({ a: '3' });
    expect(
      (await api('PATCH', `${CM}/ssa`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\n', ssa))
        .status,
    ).toBe(422); // PatchOptions fieldManager: Required value, as kube-apiserver answers
  });

  it('strategic merge patch uses merge keys and directives', async () => {
    const pod = {
      metadata: { name: 'smp' },
      spec: {
        containers: [
          { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }], ports: [{ containerPort: 80 }] },
          { name: 'b', image: 'b:1' },
        ],
      },
    };
    expect((await api('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    const p = await api(
      'PATCH',
      '/api/v1/namespaces/default/pods/smp',
      {
        spec: {
          containers: [
            { name: 'a', image: 'a:2', env: [{ name: 'Y', value: '2' }], ports: [{ containerPort: 81 }] },
          ],
        },
      },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    const a = p.body.spec.containers[0];
    expect(p.body.spec.containers.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
    expect(a.image).toBe('a:2');
    expect(a.env).toEqual([
      { name: 'X', value: '1' },
      { name: 'Y', value: '2' },
    ]);
    expect(a.ports.map((x: { containerPort: number }) => x.containerPort)).toEqual([80, 81]);
    const del = await api(
      'PATCH',
      '/api/v1/namespaces/default/pods/smp',
      { spec: { containers: [{ name: 'a', env: [{ name: 'X', $patch: 'delete' }] }] } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    expect(del.body.spec.containers[0].env).toEqual([{ name: 'Y', value: '2' }]);
  });
});

describe('lists, tables and watch', () => {
  it('label/field selectors and limit/continue', async () => {
    for (const [n, tier] of [
      ['s1', 'web'],
      ['s2', 'db'],
      ['s3', 'web'],
    ])
      await api('POST', CM, { metadata: { name: n, labels: { tier: tier!, sel: 'yes' } } });
    const web = await api('GET', `${CM}?labelSelector=${encodeURIComponent('sel=yes,tier in (web)')}`);
    expect(web.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['s1', 's3']);
    expect((await api('GET', `${CM}?labelSelector=sel,tier!=web`)).body.items).toHaveLength(1);
    expect((await api('GET', `${CM}?fieldSelector=metadata.name=s2`)).body.items).toHaveLength(1);
    const p1 = await api('GET', `${CM}?labelSelector=sel&limit=2`);
    expect(p1.body.items).toHaveLength(2);
    // With a selector the remaining count is unknown, so absent (as kube-apiserver does).
    expect(p1.body.metadata.remainingItemCount).toBeUndefined();
    const p2 = await api(
      'GET',
      `${CM}?labelSelector=sel&limit=2&continue=${encodeURIComponent(p1.body.metadata.continue)}`,
    );
    expect(p2.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['s3']);
    expect((await api('GET', `${CM}?continue=garbage!`)).status).toBe(400);
  });

  it('Table responses carry the kubectl columns', async () => {
    const t = await api('GET', '/api/v1/namespaces', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(t.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(t.body.kind).toBe('Table');
    expect(t.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(t.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const pods = await api('GET', '/api/v1/namespaces/default/pods?includeObject=Object', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(
      pods.body.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`),
    ).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ]);
    expect(pods.body.rows[0].object.kind).toBe('Pod');
  });

  it('aggregated discovery and OpenAPI documents', async () => {
    const agg = await api('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(agg.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(agg.body.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toContain('apps');
    const legacy = await api('GET', '/api');
    expect(legacy.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const index = await api('GET', '/openapi/v3');
    const appsUrl: string = index.body.paths['apis/apps/v1'].serverRelativeURL;
    const apps = await api('GET', appsUrl);
    const patch = apps.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const v2 = await api('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
    expect(v2.body.swagger).toBe('2.0');
    expect(v2.body.definitions['io.k8s.api.v1.Pod']['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'Pod' },
    ]);
    expect(
      (
        await api('GET', '/openapi/v2', undefined, {
          Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
        })
      ).status,
    ).toBe(200); // gnostic protobuf, what kubectl ≤ 1.28 needs
  });

  it('watch: initial ADDED without resourceVersion, bookmarks, selector transitions, timeoutSeconds', async () => {
    const rv = (await api('GET', CM)).body.metadata.resourceVersion as string;
    const streamP = api(
      'GET',
      `${CM}?watch=1&resourceVersion=${rv}&labelSelector=w%3Dyes&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    await new Promise((r) => setTimeout(r, 100));
    await api('POST', CM, { metadata: { name: 'w1', labels: { w: 'yes' } } });
    await api(
      'PATCH',
      `${CM}/w1`,
      { metadata: { labels: { w: 'no' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await api('POST', CM, { metadata: { name: 'w2', labels: { w: 'no' } } });
    const stream = await streamP;
    const events = stream.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name?: string } } });
    expect(
      events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type}:${e.object.metadata.name}`),
    ).toEqual(['ADDED:w1', 'DELETED:w1']);
    expect(events.some((e) => e.type === 'BOOKMARK')).toBe(true);
    const initial = await api('GET', `${CM}?watch=true&fieldSelector=metadata.name%3Dw2&timeoutSeconds=1`);
    expect(
      initial.text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['ADDED']);
  });
});

describe('impersonation and RBAC', () => {
  it('honours Impersonate-User/Group and records the impersonator', async () => {
    kube.addToken('alice-token', { user: 'alice' });
    kube.setRbac(true);
    try {
      const asAlice = { Authorization: 'Bearer alice-token' };
      const denied = await api('GET', CM, undefined, asAlice);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(
        'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
      );
      const impDenied = await api('GET', CM, undefined, { ...asAlice, 'Impersonate-User': 'root' });
      // kube-apiserver 1.36 tries constrained impersonation first and answers with its refusal.
      expect(impDenied.body.message).toBe(
        'configmaps is forbidden: User "alice" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "default"',
      );
      // The admin (system:masters) may impersonate; the request is authorized as the impersonated user.
      const asGroup = await api('GET', CM, undefined, {
        'Impersonate-User': 'someone',
        'Impersonate-Group': 'system:masters',
      });
      expect(asGroup.status).toBe(200);
      const rec = kube
        .audit()
        .reverse()
        .find((a) => a.user === 'someone');
      expect(rec).toMatchObject({
        impersonatedBy: 'admin',
        groups: ['system:masters', 'system:authenticated'],
        verb: 'list',
        code: 200,
      });
    } finally {
      kube.setRbac(false);
    }
  });
});

describe('RBAC escalation prevention', () => {
  it('refuses roles and bindings that grant more than the creator holds', async () => {
    kube.addToken('carol-token', { user: 'carol' });
    const admin = {};
    await api(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
      {
        metadata: { name: 'role-admin' },
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['roles', 'rolebindings'],
            verbs: ['create'],
          },
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        ],
      },
      admin,
    );
    await api(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
      {
        metadata: { name: 'carol-role-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'role-admin' },
        subjects: [{ kind: 'User', name: 'carol', apiGroup: 'rbac.authorization.k8s.io' }],
      },
      admin,
    );
    kube.setRbac(true);
    try {
      const asCarol = { Authorization: 'Bearer carol-token' };
      const okRole = await api(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
        {
          metadata: { name: 'pod-reader' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        },
        asCarol,
      );
      expect(okRole.status).toBe(201);
      const esc = await api(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
        {
          metadata: { name: 'secret-deleter' },
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }],
        },
        asCarol,
      );
      expect(esc.status).toBe(403);
      expect(esc.body.message).toBe(
        'roles.rbac.authorization.k8s.io "secret-deleter" is forbidden: user "carol" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}',
      );
      await api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
        metadata: { name: 'secret-deleter' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }],
      });
      const bind = await api(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
        {
          metadata: { name: 'self-escalate' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-deleter' },
          subjects: [{ kind: 'User', name: 'carol' }],
        },
        asCarol,
      );
      expect(bind.status).toBe(403);
      expect(bind.body.message).toContain('is attempting to grant RBAC permissions not currently held');
      const okBind = await api(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
        {
          metadata: { name: 'share-reader' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
          subjects: [{ kind: 'User', name: 'dave' }],
        },
        asCarol,
      );
      expect(okBind.status).toBe(201);
    } finally {
      kube.setRbac(false);
    }
  });
});

describe('snapshots', () => {
  it('revert restores exactly the snapshotted objects after patches of every kind', async () => {
    const dep = {
      metadata: { name: 'snap-d' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { a: 's' } },
        template: {
          metadata: { labels: { a: 's' } },
          spec: { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'E', value: '1' }] }] },
        },
      },
    };
    expect((await api('POST', '/apis/apps/v1/namespaces/default/deployments', dep)).status).toBe(201);
    const id = kube.snapshot();
    const before = JSON.stringify(
      (await api('GET', '/apis/apps/v1/namespaces/default/deployments/snap-d')).body,
    );
    const path = '/apis/apps/v1/namespaces/default/deployments/snap-d';
    await api(
      'PATCH',
      path,
      { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'F', value: '2' }] }] } } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    await api(
      'PATCH',
      path,
      { spec: { template: { metadata: { labels: { extra: 'y' } } } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await api('PATCH', path, [{ op: 'replace', path: '/spec/replicas', value: 5 }], {
      'Content-Type': 'application/json-patch+json',
    });
    await api(
      'PATCH',
      `${path}?fieldManager=t&force=true`,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: snap-d}\nspec: {paused: true}\n',
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    kube.revert(id);
    const after = (await api('GET', path)).body;
    const strip = (o: Res['body']): string =>
      JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
    expect(strip(after)).toBe(strip(JSON.parse(before)));
  });
});

// @kubernetes/client-node against the embedded API server: typed CRUD, conflicts, and watch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';

let kube: EmbeddedKube;
let kc: KubeConfig;

beforeAll(async () => {
  kube = await startEmbeddedKube();
  kc = new KubeConfig();
  kc.loadFromFile(kube.kubeconfig);
});

afterAll(async () => {
  await kube?.stop();
});

function statusCode(e: unknown): number | undefined {
  return (e as { code?: number }).code;
}

describe('@kubernetes/client-node', () => {
  it('creates, reads, updates, lists with selectors and deletes a configmap', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cn1', labels: { suite: 'client-node' } }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    const read = await core.readNamespacedConfigMap({ name: 'cn1', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    const updated = await core.replaceNamespacedConfigMap({
      name: 'cn1',
      namespace: 'default',
      body: { ...read, data: { a: '2' } },
    });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    // A stale resourceVersion is a 409 Conflict.
    const stale = await core
      .replaceNamespacedConfigMap({ name: 'cn1', namespace: 'default', body: { ...read, data: { a: '3' } } })
      .catch((e: unknown) => e);
    expect(statusCode(stale)).toBe(409);
    const list = await core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'suite=client-node',
    });
    expect(list.items.map((c) => c.metadata?.name)).toEqual(['cn1']);
    await core.deleteNamespacedConfigMap({ name: 'cn1', namespace: 'default' });
    const gone = await core
      .readNamespacedConfigMap({ name: 'cn1', namespace: 'default' })
      .catch((e: unknown) => e);
    expect(statusCode(gone)).toBe(404);
  });

  it('pages a list with limit/continue', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++)
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: `page-${i}`, labels: { page: 'yes' } } },
      });
    const names: string[] = [];
    let cont: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'default',
        labelSelector: 'page=yes',
        limit: 2,
        _continue: cont,
      });
      names.push(...page.items.map((c) => c.metadata!.name!));
      cont = page.metadata?._continue;
    } while (cont);
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('watches ADDED, MODIFIED and DELETED events from a resourceVersion', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const start = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: string[] = [];
    const watch = new Watch(kc);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const ctl = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: start.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type: string, obj: V1ConfigMap) => {
        if (obj.metadata?.name !== 'watched') return;
        events.push(`${type}:${obj.data?.v ?? ''}`);
        if (type === 'DELETED') finish();
      },
      () => finish(),
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'watched' }, data: { v: '1' } },
    });
    await core.patchNamespacedConfigMap({
      name: 'watched',
      namespace: 'default',
      body: [{ op: 'replace', path: '/data/v', value: '2' }],
    }); // client-node sends JSON patch by default
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    ctl.abort();
    expect(events).toEqual(['ADDED:1', 'MODIFIED:2', 'DELETED:2']);
  });

  it('scales a deployment through the scale subresource and pods become Running', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'cn-web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'cn-web' } },
          template: {
            metadata: { labels: { app: 'cn-web' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
          },
        },
      },
    });
    await apps.replaceNamespacedDeploymentScale({
      name: 'cn-web',
      namespace: 'default',
      body: { metadata: { name: 'cn-web', namespace: 'default' }, spec: { replicas: 3 } },
    });
    let running = 0;
    for (let i = 0; i < 50 && running < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const pods = await core.listNamespacedPod({
        namespace: 'default',
        labelSelector: 'app=cn-web',
        fieldSelector: 'status.phase=Running',
      });
      running = pods.items.length;
    }
    expect(running).toBe(3);
    const d = await apps.readNamespacedDeployment({ name: 'cn-web', namespace: 'default' });
    expect(d.status?.readyReplicas).toBe(3);
  });

  it('snapshot, revert and reset restore the store', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'before-snap' } },
    });
    const id = kube.snapshot();
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'after-snap' } },
    });
    await core.deleteNamespacedConfigMap({ name: 'before-snap', namespace: 'default' });
    kube.revert(id);
    const names = (await core.listNamespacedConfigMap({ namespace: 'default' })).items.map(
      (c) => c.metadata?.name,
    );
    expect(names).toContain('before-snap');
    expect(names).not.toContain('after-snap');
    kube.reset();
    const after = (await core.listNamespacedConfigMap({ namespace: 'default' })).items.map(
      (c) => c.metadata?.name,
    );
    expect(after).not.toContain('before-snap');
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public']),
    );
    expect(() => kube.revert('nope')).toThrow(/unknown snapshot "nope"/);
  });
});

// Pure building blocks: patch engines, selectors, printers, store snapshots, managed fields.
import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  fieldPaths,
} from '../patch.ts';
import { labelSelectorMatcher, parseFieldSelector, parseLabelSelector } from '../selectors.ts';
import { humanDuration } from '../tables.ts';
import { ObjectStore, ResourceVersionTooOld, type KubeObject } from '../store.ts';
import { fieldsV1ToPaths, pathsToFieldsV1 } from '../managed-fields.ts';
import { compareKubeVersions, wantsAggregated } from '../discovery.ts';
import { negotiate } from '../media.ts';

describe('patch engines', () => {
  it('JSON patch: add/replace/remove/move/copy/test and errors', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/e', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 'y', e: 'y' });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
    // kube-apiserver names no cause for a patch that does not apply (checked by the differential suite).
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'z' }])).toThrow(
      /^the server rejected our request due to an error in our request$/,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(/rejected our request/);
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(/JSON array/);
    expect(applyJsonPatch({ 'a/b': { '~k': 1 } }, [{ op: 'replace', path: '/a~1b/~0k', value: 2 }])).toEqual({
      'a/b': { '~k': 2 },
    });
  });

  it('merge patch: null deletes, arrays replace', () => {
    expect(
      applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: null, x: 1 }, e: [2] }),
    ).toEqual({ b: { d: 3, x: 1 }, e: [2] });
  });

  it('strategic merge patch: merge keys, $patch, $retainKeys, $setElementOrder, primitive lists', () => {
    const target = {
      metadata: { finalizers: ['a'] },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'a:1',
            ports: [{ containerPort: 80 }],
            volumeMounts: [{ name: 'v', mountPath: '/data' }],
          },
          { name: 'side', image: 's:1' },
        ],
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        tolerations: [{ key: 'k' }],
      },
    };
    const out = applyStrategicMergePatch(target, {
      metadata: { finalizers: ['b'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'side' }],
        containers: [
          {
            name: 'app',
            image: 'a:2',
            ports: [{ containerPort: 443 }],
            volumeMounts: [{ mountPath: '/data', readOnly: true }],
          },
          { name: 'side', $patch: 'delete' },
        ],
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        tolerations: [{ key: 'other' }],
      },
    }) as unknown as {
      metadata: { finalizers: string[] };
      spec: {
        containers: { image: string; ports: { containerPort: number }[]; volumeMounts: unknown[] }[];
        strategy: unknown;
        tolerations: unknown[];
      };
    };
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
    expect(out.spec.containers).toHaveLength(1);
    expect(out.spec.containers[0]!.image).toBe('a:2');
    expect(out.spec.containers[0]!.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([
      80, 443,
    ]);
    expect(out.spec.containers[0]!.volumeMounts).toEqual([{ name: 'v', mountPath: '/data', readOnly: true }]);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.tolerations).toEqual([{ key: 'other' }]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('server-side apply removes fields the manager no longer applies', () => {
    const first = { data: { a: '1', b: '2' } };
    const owned = fieldPaths(first);
    const live = { metadata: { name: 'x' }, data: { a: '1', b: '2', other: 'kept' } };
    expect(applyServerSideApply(live, { data: { a: '3' } }, owned)).toEqual({
      metadata: { name: 'x' },
      data: { a: '3', other: 'kept' },
    });
    const paths = fieldPaths({ spec: { containers: [{ name: 'c', image: 'i' }] } });
    expect(paths).toEqual(['.spec.containers[name=c].name', '.spec.containers[name=c].image']);
    expect(fieldsV1ToPaths(pathsToFieldsV1(paths)).sort()).toEqual([...paths].sort());
  });
});

describe('selectors', () => {
  it('label selector syntax', () => {
    const m = parseLabelSelector('app=web,tier in (a, b),!legacy,env,version!=2');
    expect(m({ app: 'web', tier: 'a', env: 'x', version: '1' })).toBe(true);
    expect(m({ app: 'web', tier: 'c', env: 'x' })).toBe(false);
    expect(m({ app: 'web', tier: 'a', env: 'x', legacy: 'y' })).toBe(false);
    expect(m({ app: 'web', tier: 'b', env: 'x', version: '2' })).toBe(false);
    expect(parseLabelSelector('')({})).toBe(true);
    expect(() => parseLabelSelector('a in (b')).toThrow();
    expect(() => parseLabelSelector('bad key=1')).toThrow();
  });

  it('LabelSelector objects and field selectors', () => {
    const m = labelSelectorMatcher({
      matchLabels: { a: '1' },
      matchExpressions: [
        { key: 'b', operator: 'NotIn', values: ['x'] },
        { key: 'c', operator: 'Exists' },
      ],
    });
    expect(m({ a: '1', c: '' })).toBe(true);
    expect(m({ a: '1', b: 'x', c: '' })).toBe(false);
    const pod = {
      metadata: { name: 'p', namespace: 'n' },
      spec: { nodeName: 'node-1' },
      status: { phase: 'Running' },
    } as unknown as KubeObject;
    expect(parseFieldSelector('spec.nodeName=node-1,status.phase!=Failed', 'pods')(pod)).toBe(true);
    expect(parseFieldSelector('metadata.name==q', 'pods')(pod)).toBe(false);
    expect(() => parseFieldSelector('spec.nodeName=x', 'configmaps')).toThrow(
      /"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"/,
    );
    expect(() => parseFieldSelector('spec.nope=x', 'pods')).toThrow(/field label not supported: spec.nope/);
  });
});

describe('printers and negotiation', () => {
  it('humanDuration matches apimachinery', () => {
    expect(
      [
        0,
        59_000,
        119_000,
        120_000,
        150_000,
        600_000,
        3 * 3600_000,
        3 * 3600_000 + 60_000,
        30 * 3600_000,
        50 * 3600_000,
        10 * 86400_000,
        800 * 86400_000,
      ].map(humanDuration),
    ).toEqual(['0s', '59s', '119s', '2m', '2m30s', '10m', '3h', '3h1m', '30h', '2d2h', '10d', '2y70d']);
    expect(humanDuration(-5000)).toBe('<invalid>');
  });

  it('Accept negotiation and discovery helpers', () => {
    expect(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', true).shape).toBe(
      'table',
    );
    expect(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', false).shape).toBe(
      'object',
    );
    expect(negotiate('application/vnd.kubernetes.protobuf,application/json', true).contentType).toBe(
      'application/json',
    );
    expect(() => negotiate('application/vnd.kubernetes.protobuf', true)).toThrow(/media types/);
    expect(negotiate('application/yaml', false).yaml).toBe(true);
    expect(
      wantsAggregated(
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      ),
    ).toBe('v2');
    expect(wantsAggregated('application/json')).toBeUndefined();
    expect(['v1alpha1', 'v1', 'v2beta1', 'v1beta2', 'v2'].sort(compareKubeVersions)).toEqual([
      'v2',
      'v1',
      'v2beta1',
      'v1beta2',
      'v1alpha1',
    ]);
  });
});

describe('store', () => {
  const obj = (name: string, v: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion: v },
    data: { v },
  });

  it('lists sorted by key, watches from a resourceVersion, snapshots and restores', () => {
    const s = new ObjectStore();
    s.put('/configmaps', obj('b', String(s.nextRv())));
    s.put('/configmaps', obj('a', String(s.nextRv())));
    expect(s.list('/configmaps', 'ns').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    const snap = s.snapshot();
    const seen: string[] = [];
    const stop = s.watch('/configmaps', snap.rv, (ev) => seen.push(`${ev.type}:${ev.object.metadata.name}`));
    s.put('/configmaps', obj('c', String(s.nextRv())));
    s.remove('/configmaps', obj('a', '0'));
    s.restore(snap);
    stop();
    expect(seen).toEqual(['ADDED:c', 'DELETED:a', 'DELETED:c', 'ADDED:a']);
    expect(s.list('/configmaps', 'ns').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(Number(s.list('/configmaps', 'ns')[0]!.metadata.resourceVersion)).toBeGreaterThan(snap.rv);
  });

  it('refuses a watch older than the retained history', () => {
    const s = new ObjectStore();
    for (let i = 0; i < 31_000; i++) s.put('/configmaps', obj(`o${i % 10}`, String(s.nextRv())));
    expect(() => s.watch('/configmaps', 5, () => undefined)).toThrow(ResourceVersionTooOld);
    expect(() => s.watch('/configmaps', s.currentRv() - 10, () => undefined)).not.toThrow();
  });

  it('a failing watcher does not fail the write', () => {
    const s = new ObjectStore();
    s.watchAll(() => {
      throw new Error('watcher bug');
    });
    expect(() => s.put('/configmaps', obj('x', String(s.nextRv())))).not.toThrow();
    expect(s.watcherErrors).toEqual(['watcher bug']);
  });
});

// CustomResourceDefinitions: registering served versions as resource kinds
// (discovery and OpenAPI follow the registry) and maintaining CRD status.
import type { Resources } from './resources.ts';
import type { KubeObject } from './store.ts';
import type { PrinterColumn, ResourceKind } from './registry.ts';
import { deepClone } from './patch.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CRD specs are user-provided trees

const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function kindsOfCrd(crd: Obj): ResourceKind[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const out: ResourceKind[] = [];
  for (const v of (spec.versions ?? []) as Obj[]) {
    if (!v?.served || !v.name) continue;
    const schema = v.schema?.openAPIV3Schema as Obj | undefined;
    out.push({
      group: spec.group,
      version: v.name,
      resource: names.plural,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      subresources: [
        ...(v.subresources?.status !== undefined ? ['status'] : []),
        ...(v.subresources?.scale !== undefined ? ['scale'] : []),
      ],
      crdSchema: schema,
      preserveUnknown: !schema || schema['x-kubernetes-preserve-unknown-fields'] === true,
      printerColumns: (v.additionalPrinterColumns ?? []) as PrinterColumn[],
      crdName: crd.metadata.name,
    });
  }
  return out;
}

/** Syncs the registry with a CRD and marks it Established. */
export function registerCrd(r: Resources, name: string): void {
  const crdKind = r.kind('apiextensions.k8s.io', 'customresourcedefinitions');
  const crd = r.tryGet(crdKind, undefined, name) as Obj | undefined;
  if (!crd || crd.metadata.deletionTimestamp) return;
  const kinds = kindsOfCrd(crd);
  const builtinClash = kinds.some((k) => {
    const existing = r.registry.get(k.group, k.version, k.resource);
    return existing && !existing.crdName;
  });
  if (builtinClash) return;
  r.registry.removeWhere((k) => k.crdName === name && !kinds.some((n) => n.version === k.version));
  for (const k of kinds) r.registry.add(k);
  if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) {
    const next = deepClone(crd);
    next.metadata.finalizers = [...(next.metadata.finalizers ?? []), CLEANUP_FINALIZER];
    r.writeRaw(crdKind, next as KubeObject);
  }
  const cur = r.tryGet(crdKind, undefined, name) as Obj;
  const t =
    (cur.status?.conditions as Obj[] | undefined)?.find((c) => c.type === 'Established')
      ?.lastTransitionTime ?? now();
  const names = cur.spec.names;
  r.writeStatus(crdKind, cur as KubeObject, {
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: t,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: t,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: ((cur.spec.versions ?? []) as Obj[]).filter((v) => v.storage).map((v) => v.name),
  });
}

export function unregisterCrd(r: Resources, crd: KubeObject): void {
  r.registry.removeWhere((k) => k.crdName === crd.metadata.name);
}

export { CLEANUP_FINALIZER };

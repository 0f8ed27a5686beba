// The create-only review kinds (kubectl auth can-i / whoami), answered by the same authorizer as requests.
import type { UserInfo } from '../auth.ts';
import { aggregate, type Attributes, type Decision } from '../rbac.ts';
import { groupVersion, type ResourceKind } from '../registry.ts';
import { errors } from '../status.ts';
import type { HttpContext } from './context.ts';
import { recordUpdate } from '../managed-fields.ts';
import { fieldPaths } from '../patch.ts';
import type { KubeObject } from '../store.ts';

/** Answers the create-only review kinds (kubectl auth can-i / whoami) from RBAC. */
export function reviewAnswer(
  ctx: HttpContext,
  rk: ResourceKind,
  body: Record<string, unknown>,
  user: UserInfo,
  manager: string | undefined,
): Record<string, unknown> {
  if (!body || typeof body !== 'object')
    throw errors.badRequest(`the body of a ${rk.kind} must be a JSON object`);
  const spec = (body.spec ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- review specs are small free-form trees
  // As kube-apiserver answers: access reviews carry the writer's managedFields and no timestamp,
  // rules reviews an empty metadata and spec, the self review a timestamp and no spec.
  const head = { kind: rk.kind, apiVersion: groupVersion(rk) };
  const out: Record<string, unknown> = { ...head, metadata: accessReviewMetadata(head, spec, manager), spec };
  const decide = (u: UserInfo, a: Attributes): Decision =>
    ctx.rbacEnabled() ? ctx.rbac.authorize(u, a) : { allowed: true, reason: '' };
  const attrs = (): Attributes => {
    const ra = spec.resourceAttributes as Record<string, string> | undefined;
    const nra = spec.nonResourceAttributes as Record<string, string> | undefined;
    if (ra)
      return {
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
      };
    if (nra) return { verb: nra.verb ?? '', group: '', resource: '', path: nra.path ?? '/' };
    throw errors.invalid(rk, '', [
      {
        field: 'spec.resourceAttributes',
        reason: 'FieldValueRequired',
        message:
          'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  };
  switch (rk.review) {
    case 'selfsubjectaccessreviews': {
      const d = decide(user, attrs());
      return { ...out, status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) } };
    }
    case 'subjectaccessreviews': {
      // The subject exactly as given: a SubjectAccessReview adds no implicit groups.
      const subject: UserInfo = {
        name: String(spec.user ?? ''),
        groups: (spec.groups as string[] | undefined) ?? [],
        ...(spec.uid ? { uid: String(spec.uid) } : {}),
        ...(spec.extra ? { extra: spec.extra as Record<string, string[]> } : {}),
      };
      const d = decide(subject, attrs());
      return { ...out, status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) } };
    }
    case 'selfsubjectrulesreviews': {
      const ns = String(spec.namespace ?? '');
      const { rules, errors: errs } = ctx.rbacEnabled()
        ? ctx.rbac.rulesFor(user, ns || undefined)
        : {
            rules: [
              { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
              { verbs: ['*'], nonResourceURLs: ['*'] },
            ],
            errors: [],
          };
      return {
        ...head,
        metadata: {},
        spec: {},
        status: {
          resourceRules: rules
            .filter((r) => !r.nonResourceURLs?.length)
            .map((r) => ({
              verbs: r.verbs ?? [],
              ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
              ...(r.resources ? { resources: r.resources } : {}),
              ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
            })),
          nonResourceRules: rules
            .filter((r) => r.nonResourceURLs?.length)
            .map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs })),
          incomplete: false,
          ...(errs.length ? { evaluationError: aggregate(errs) } : {}),
        },
      };
    }
    default:
      return {
        ...head,
        metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
        status: {
          userInfo: {
            username: user.name,
            ...(user.uid ? { uid: user.uid } : {}),
            groups: user.groups,
            ...(user.extra ? { extra: user.extra } : {}),
          },
        },
      };
  }
}

function accessReviewMetadata(
  head: { kind: string; apiVersion: string },
  spec: Record<string, unknown>,
  manager: string | undefined,
): Record<string, unknown> {
  if (!manager || !Object.keys(spec).length) return {};
  const view = { ...head, metadata: {}, spec } as KubeObject;
  recordUpdate(undefined, view, manager, (o) => fieldPaths(o).filter((p) => p.startsWith('.spec')));
  const mf = view.metadata.managedFields as { fieldsV1?: Record<string, unknown> }[] | undefined;
  // The attribute structs are pointers the write created: members of the set (".").
  const specSet = mf?.[0]?.fieldsV1?.['f:spec'] as Record<string, Record<string, unknown>> | undefined;
  for (const k of ['f:resourceAttributes', 'f:nonResourceAttributes'])
    if (specSet?.[k]) specSet[k] = { '.': {}, ...specSet[k] };
  return mf ? { managedFields: mf } : {};
}

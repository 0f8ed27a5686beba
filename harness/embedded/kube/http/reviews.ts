// The create-only review kinds (kubectl auth can-i / whoami), answered by the same authorizer as requests.
import type { UserInfo } from '../auth.ts';
import type { Attributes } from '../rbac.ts';
import { groupVersion, type ResourceKind } from '../registry.ts';
import { errors } from '../status.ts';
import type { HttpContext } from './context.ts';

/** Answers the create-only review kinds (kubectl auth can-i / whoami) from RBAC. */
export function reviewAnswer(
  ctx: HttpContext,
  rk: ResourceKind,
  body: Record<string, unknown>,
  user: UserInfo,
): Record<string, unknown> {
  if (!body || typeof body !== 'object')
    throw errors.badRequest(`the body of a ${rk.kind} must be a JSON object`);
  const spec = (body.spec ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- review specs are small free-form trees
  const out = { kind: rk.kind, apiVersion: groupVersion(rk), metadata: { creationTimestamp: null }, spec };
  const allows = (u: UserInfo, a: Attributes): boolean => !ctx.rbacEnabled() || ctx.rbac.allows(u, a);
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
      const ok = allows(user, attrs());
      return {
        ...out,
        status: { allowed: ok, ...(ok && ctx.rbacEnabled() ? { reason: 'allowed by RBAC' } : {}) },
      };
    }
    case 'subjectaccessreviews': {
      const subject: UserInfo = {
        name: String(spec.user ?? ''),
        groups: (spec.groups as string[] | undefined) ?? [],
      };
      const ok = allows(subject, attrs());
      return { ...out, status: { allowed: ok } };
    }
    case 'selfsubjectrulesreviews': {
      const ns = String(spec.namespace ?? 'default');
      const rules = ctx.rbacEnabled()
        ? ctx.rbac.rulesFor(user, ns)
        : [
            { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
            { verbs: ['*'], nonResourceURLs: ['*'] },
          ];
      return {
        ...out,
        status: {
          resourceRules: rules
            .filter((r) => r.resources)
            .map((r) => ({
              verbs: r.verbs,
              apiGroups: r.apiGroups,
              resources: r.resources,
              ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
            })),
          nonResourceRules: rules
            .filter((r) => r.nonResourceURLs)
            .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
          incomplete: false,
        },
      };
    }
    default:
      return {
        ...out,
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

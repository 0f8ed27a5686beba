// meta/v1 Status errors, shaped and worded like kube-apiserver's so kubectl
// prints the same "Error from server (Reason): message" lines.
import type { ResourceKind } from './registry.ts';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "deployments.apps" / "pods" — how the server names a resource in messages. */
export function qualifiedResource(rk: Pick<ResourceKind, 'group' | 'resource'>): string {
  return rk.group ? `${rk.resource}.${rk.group}` : rk.resource;
}

const bracketed = (xs: string[]): string => (xs.length > 1 ? `[${xs.join(', ')}]` : (xs[0] ?? ''));

export const errors = {
  notFound: (rk: ResourceKind, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedResource(rk)} "${name}" not found`, {
      name,
      ...(rk.group ? { group: rk.group } : {}),
      kind: rk.resource,
    }),
  alreadyExists: (rk: ResourceKind, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualifiedResource(rk)} "${name}" already exists`, {
      name,
      ...(rk.group ? { group: rk.group } : {}),
      kind: rk.resource,
    }),
  conflict: (
    rk: ResourceKind,
    name: string,
    why = 'the object has been modified; please apply your changes to the latest version and try again',
  ) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(rk)} "${name}": ${why}`,
      {
        name,
        ...(rk.group ? { group: rk.group } : {}),
        kind: rk.resource,
      },
    ),
  invalid: (rk: ResourceKind, name: string, causes: StatusCause[]) =>
    new ApiError(
      422,
      'Invalid',
      // field.ErrorList.ToAggregate(): several errors in brackets, as kube-apiserver prints them.
      `${rk.kind}${rk.group ? `.${rk.group}` : ''} "${name}" is invalid: ${bracketed(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)))}`,
      {
        name,
        ...(rk.group ? { group: rk.group } : {}),
        kind: rk.kind,
        causes: causes.map((c) => ({
          reason: c.reason ?? 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    ),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (
    user: string,
    verb: string,
    rk: Pick<ResourceKind, 'group' | 'resource'> | undefined,
    name: string | undefined,
    namespace: string | undefined,
    subresource?: string,
    rawPath?: string,
  ) => {
    if (!rk)
      return new ApiError(
        403,
        'Forbidden',
        `forbidden: User "${user}" cannot ${verb} path "${rawPath ?? '/'}"`,
      );
    const res = `${rk.resource}${subresource ? `/${subresource}` : ''}`;
    const subject = `${qualifiedResource(rk)}${name ? ` "${name}"` : ''}`;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${rk.group}" ${scope}`,
      {
        ...(name ? { name } : {}),
        ...(rk.group ? { group: rk.group } : {}),
        kind: rk.resource,
      },
    );
  },
  // kube-apiserver's generic errors carry an empty details object.
  methodNotAllowed: () =>
    new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  notAcceptable: (message: string) => new ApiError(406, 'NotAcceptable', message, {}),
  unsupportedMediaType: (type: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
    ),
  tooLarge: () => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
  pageNotFound: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};

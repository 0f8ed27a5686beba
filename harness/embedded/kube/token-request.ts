// TokenRequest (serviceaccounts/<name>/token, what `kubectl create token` posts): a JWT-shaped
// bearer token for the ServiceAccount, registered so that it authenticates as
// system:serviceaccount:<ns>:<name> with kube-apiserver's groups. Not signed with a key a
// client could verify (the embedded server has no OIDC issuer documents) and not expired by
// the server; the status says when kube-apiserver would expire it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { StaticToken } from './auth.ts';
import { ApiError } from './status.ts';
import { recordUpdate } from './managed-fields.ts';
import { fieldPaths } from './patch.ts';
import type { KubeObject } from './store.ts';

export const DEFAULT_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

interface TokenRequestBody {
  spec?: {
    audiences?: string[];
    expirationSeconds?: number;
    boundObjectRef?: Record<string, unknown> | null;
  };
}

export function issueToken(
  sa: KubeObject,
  body: unknown,
  tokens: Map<string, StaticToken>,
  manager: string | undefined,
  now: Date = new Date(),
): Record<string, unknown> {
  const spec = (body as TokenRequestBody | undefined)?.spec ?? {};
  const ns = sa.metadata.namespace ?? 'default';
  const name = sa.metadata.name!;
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  // kube-apiserver's own floor for bound tokens.
  if (expirationSeconds < 600) {
    const message = `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`;
    throw new ApiError(
      422,
      'Invalid',
      `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: ${message}`,
      {
        group: 'authentication.k8s.io',
        kind: 'TokenRequest',
        causes: [{ reason: 'FieldValueInvalid', message, field: 'spec.expirationSeconds' }],
      },
    );
  }
  const audiences = spec.audiences?.length ? spec.audiences : [DEFAULT_AUDIENCE];
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + expirationSeconds;
  const claims = {
    aud: audiences,
    exp,
    iat,
    iss: DEFAULT_AUDIENCE,
    jti: randomBytes(16).toString('hex'),
    'kubernetes.io': { namespace: ns, serviceaccount: { name, uid: sa.metadata.uid } },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${name}`,
  };
  const token = `${b64url(JSON.stringify({ alg: 'ES256', kid: 'embedded' }))}.${b64url(JSON.stringify(claims))}.${b64url(randomBytes(64))}`;
  tokens.set(token, {
    user: claims.sub,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
  });
  // Like any create, the request's own fields are the caller's (the defaulted audiences are not).
  const sent: KubeObject = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name, namespace: ns },
    spec: { ...(spec as Record<string, unknown>) },
  };
  if (manager) recordUpdate(undefined, sent, manager, fieldPaths);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {
      name,
      namespace: ns,
      uid: randomUUID(),
      creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(sent.metadata.managedFields
        ? {
            managedFields: (sent.metadata.managedFields as Record<string, unknown>[]).map((e) => ({
              ...e,
              subresource: 'token',
            })),
          }
        : {}),
    },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
  };
}

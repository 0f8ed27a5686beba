/**
 * Definite answers for creates (issue #16): every named create the listener sends carries the
 * request's object id in the annotation `k3s-daas.io/request`. Kubernetes refuses a second object
 * of that name, and the annotation tells our object from anyone else's, so running the create
 * again after a crash or a takeover answers what the first run did: 201 with the object (ours,
 * found after the re-run's 409 AlreadyExists) or Kubernetes' own answer. No executor has to guess.
 *
 * What the contract checked is unchanged: the verb, resource, namespace and the payload digest
 * are the user's; the listener adds one annotation under metadata (no spec, data or name changes),
 * and replaces any value the user put under that key, so a body cannot claim another request's id.
 * Pure functions, no I/O; k8s-call.ts does the calls.
 */
import { decodeBody, type RequestFields } from '../contract/index.ts';

export const REQUEST_ANNOTATION = 'k3s-daas.io/request';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request body as a JSON object, or undefined (no body, not JSON, not an object). */
function jsonBody(f: Pick<RequestFields, 'payload' | 'contentEncoding' | 'contentType'>): Json | undefined {
  if (!f.payload || f.payload.length === 0) return undefined;
  if (!/^application\/json\b/.test(f.contentType)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(decodeBody(f.payload, f.contentEncoding)).toString('utf8'));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The name a create gives its object when the create can be re-run safely: a `create` of a
 * resource (no subresource) with a JSON body naming the object in `metadata.name`. Creates with
 * `generateName` only, subresource creates (eviction, token, binding) and non-JSON bodies
 * (protobuf, YAML) get undefined: a second run of those is a second effect.
 */
export function namedCreate(
  f: Pick<RequestFields, 'verb' | 'subresource' | 'payload' | 'contentEncoding' | 'contentType'>,
): string | undefined {
  if (f.verb !== 'create' || f.subresource !== '') return undefined;
  const meta = jsonBody(f)?.metadata;
  const name = isObject(meta) ? meta.name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The JSON body with `metadata.annotations[k3s-daas.io/request] = requestObjectId`. */
export function tagBody(body: Uint8Array, requestObjectId: string): Uint8Array | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const meta: Json = isObject(v.metadata) ? { ...v.metadata } : {};
  const annotations: Json = isObject(meta.annotations) ? { ...meta.annotations } : {};
  annotations[REQUEST_ANNOTATION] = requestObjectId;
  meta.annotations = annotations;
  return Buffer.from(JSON.stringify({ ...v, metadata: meta }));
}

/** The request id an object read back from Kubernetes was written by, if it carries one. */
export function taggedRequest(objectJson: Uint8Array): string | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(objectJson).toString('utf8'));
    const meta = isObject(v) ? v.metadata : undefined;
    const a = isObject(meta) ? meta.annotations : undefined;
    const id = isObject(a) ? a[REQUEST_ANNOTATION] : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A Kubernetes Status body says AlreadyExists. */
export function isAlreadyExists(statusCode: number, body: Uint8Array): boolean {
  if (statusCode !== 409) return false;
  try {
    const v: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    return isObject(v) && v.reason === 'AlreadyExists';
  } catch {
    return false;
  }
}

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
 * JSON and Kubernetes-protobuf bodies are tagged (kubectl sends protobuf for built-in kinds).
 * Pure functions, no I/O; k8s-call.ts does the calls.
 */
import { decodeBody, type RequestFields } from '../contract/index.ts';

export const REQUEST_ANNOTATION = 'k3s-daas.io/request';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request body as a JSON object, or undefined (no body, not JSON, not an object). */
function jsonBody(body: Uint8Array): Json | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const isJson = (contentType: string) => /^application\/json\b/.test(contentType);
const isProtobuf = (contentType: string) => /^application\/vnd\.kubernetes\.protobuf\b/.test(contentType);

// ---- Kubernetes protobuf: "k8s\0" + runtime.Unknown{1 typeMeta, 2 raw, 3 contentEncoding,
// 4 contentType}; raw is the object, whose field 1 is its ObjectMeta {1 name, 2 generateName,
// 12 annotations (map entries {1 key, 2 value})} for every built-in kind (kubectl sends these).
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface PbField {
  no: number;
  /** whole field (key + length + value) */
  start: number;
  end: number;
  /** value of a length-delimited field */
  value?: Buffer;
}

function varint(b: Buffer, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = at; i < b.length && i < at + 10; i++) {
    v += (b[i]! & 0x7f) * mul;
    if ((b[i]! & 0x80) === 0) return [v, i + 1];
    mul *= 128;
  }
  throw new Error('truncated varint');
}

function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** The fields of one protobuf message (throws on malformed input). */
function pbFields(b: Buffer): PbField[] {
  const out: PbField[] = [];
  for (let at = 0; at < b.length;) {
    const start = at;
    const [key, next] = varint(b, at);
    at = next;
    const no = Math.floor(key / 8);
    switch (key % 8) {
      case 0:
        at = varint(b, at)[1];
        out.push({ no, start, end: at });
        break;
      case 1:
        at += 8;
        out.push({ no, start, end: at });
        break;
      case 5:
        at += 4;
        out.push({ no, start, end: at });
        break;
      case 2: {
        const [len, from] = varint(b, at);
        if (from + len > b.length) throw new Error('truncated field');
        at = from + len;
        out.push({ no, start, end: at, value: b.subarray(from, at) });
        break;
      }
      default:
        throw new Error('unsupported wire type');
    }
  }
  return out;
}

const lengthDelimited = (no: number, value: Buffer) =>
  Buffer.concat([encodeVarint(no * 8 + 2), encodeVarint(value.length), value]);

/** `msg` with its (first) length-delimited field `no` replaced by `value` (appended if absent). */
function withField(msg: Buffer, no: number, value: Buffer): Buffer {
  const f = pbFields(msg).find((x) => x.no === no && x.value);
  if (!f) return Buffer.concat([msg, lengthDelimited(no, value)]);
  return Buffer.concat([msg.subarray(0, f.start), lengthDelimited(no, value), msg.subarray(f.end)]);
}

/** runtime.Unknown → object → ObjectMeta, each as bytes (undefined: not a Kubernetes protobuf object). */
function protobufParts(body: Buffer): { unknown: Buffer; raw: Buffer; meta: Buffer } | undefined {
  try {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) return undefined;
    const unknown = body.subarray(4);
    const raw = pbFields(unknown).find((f) => f.no === 2)?.value;
    if (!raw) return undefined;
    const meta = pbFields(raw).find((f) => f.no === 1)?.value ?? Buffer.alloc(0);
    return { unknown, raw, meta };
  } catch {
    return undefined;
  }
}

/** The object's metadata.name (and whether it is there at all), JSON or protobuf. */
function objectName(body: Uint8Array, contentType: string): string | undefined {
  if (isJson(contentType)) {
    const meta = jsonBody(body)?.metadata;
    const name = isObject(meta) ? meta.name : undefined;
    return typeof name === 'string' && name !== '' ? name : undefined;
  }
  if (isProtobuf(contentType)) {
    const parts = protobufParts(Buffer.from(body));
    if (!parts) return undefined;
    try {
      const name = pbFields(parts.meta)
        .find((f) => f.no === 1)
        ?.value?.toString('utf8');
      return name || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The name a create gives its object when the create can be re-run safely: a `create` of a
 * resource (no subresource) whose JSON or Kubernetes-protobuf body names the object in
 * `metadata.name`. Creates with `generateName` only, subresource creates (eviction, token,
 * binding) and other bodies (YAML, CBOR) get undefined: a second run of those is a second effect.
 */
export function namedCreate(
  f: Pick<RequestFields, 'verb' | 'subresource' | 'query' | 'payload' | 'contentEncoding' | 'contentType'>,
): string | undefined {
  if (f.verb !== 'create' || f.subresource !== '' || !f.payload || f.payload.length === 0) return undefined;
  if (isDryRun(f.query)) return undefined;
  try {
    return objectName(decodeBody(f.payload, f.contentEncoding), f.contentType);
  } catch {
    return undefined;
  }
}

/**
 * A dry run has no effect to tell apart, and a tag in its answer would show as a change
 * (`kubectl diff` compares a dry-run patch's result with the live object): never tagged.
 */
const isDryRun = (query: string) => /(^|&)dryRun=/.test(query);

const MERGE_PATCH = /^application\/(merge-patch|strategic-merge-patch)\+json\b/;

/**
 * The name of the object an update (PUT, JSON body) or a merge / strategic-merge patch writes, when
 * the write can carry the tag (server-side apply never does: the annotation would be a field every
 * field manager sets to a different value, a conflict for each other's applies): afterwards, reading the object tells whether this request's write
 * landed (the tag is ours) — never whether it did not (a stalled holder may still land it), so such
 * a write is never re-run, only answered 200 with the object once it provably ran.
 */
export function taggedWrite(
  f: Pick<
    RequestFields,
    'verb' | 'subresource' | 'name' | 'query' | 'payload' | 'contentEncoding' | 'contentType'
  >,
): string | undefined {
  if (f.subresource !== '' || f.name === '' || !f.payload || f.payload.length === 0) return undefined;
  if (isDryRun(f.query)) return undefined;
  const json =
    f.verb === 'update' ? isJson(f.contentType) : f.verb === 'patch' && MERGE_PATCH.test(f.contentType);
  if (!json) return undefined;
  try {
    return jsonBody(decodeBody(f.payload, f.contentEncoding)) ? f.name : undefined;
  } catch {
    return undefined;
  }
}

/** The body (JSON or Kubernetes protobuf) with `metadata.annotations[k3s-daas.io/request] = requestObjectId`. */
export function tagBody(
  body: Uint8Array,
  contentType: string,
  requestObjectId: string,
): Uint8Array | undefined {
  if (isProtobuf(contentType)) {
    const parts = protobufParts(Buffer.from(body));
    if (!parts) return undefined;
    // A map entry appended to ObjectMeta: protobuf merges it into the map, and a later entry
    // of the same key wins, so a value the user set under our key is replaced.
    const entry = Buffer.concat([
      lengthDelimited(1, Buffer.from(REQUEST_ANNOTATION)),
      lengthDelimited(2, Buffer.from(requestObjectId)),
    ]);
    const meta = Buffer.concat([parts.meta, lengthDelimited(12, entry)]);
    return Buffer.concat([MAGIC, withField(parts.unknown, 2, withField(parts.raw, 1, meta))]);
  }
  // JSON: an object, an update's body or a merge patch (which then merges the annotation in).
  const v = jsonBody(body);
  if (!v) return undefined;
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

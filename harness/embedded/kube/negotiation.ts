/**
 * Where protobuf meets content negotiation, answered as kube-apiserver v1.36 answers (measured on
 * harness/controlplane; cases in differential/corpus.ts, "content negotiation"):
 *
 * - built-in resources are go-restful routes producing JSON, YAML and protobuf: an Accept with
 *   none of them (params ignored) is refused before the handler, as "406: Not Acceptable…";
 * - the handler then picks the first acceptable range; with none, "only the following media
 *   types are accepted: …" (media.ts). A custom resource has no protobuf form, so protobuf
 *   alone is refused there, and `protobuf, json` gets JSON;
 * - an error answer is negotiated like an object: a Status has a protobuf form, so a client whose
 *   first acceptable range is protobuf gets the Status in protobuf (also for the 406 itself).
 *
 * The embedded server still encodes no object in protobuf: a built-in object asked for in protobuf
 * only is refused with the handler's 406 (listed in differential/known-deviations.yaml).
 */
import { ApiError, type StatusDetails } from './status.ts';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** What every built-in resource route produces, in kube-apiserver's order. */
export const SERVED_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF] as const;

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

export function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((raw) => raw.split(';').map((p) => p.trim()))
    .filter((parts) => parts[0])
    .map((parts) => ({
      type: parts[0]!.toLowerCase(),
      params: new Map(
        parts.slice(1).map((p) => {
          const i = p.indexOf('=');
          return [p.slice(0, i < 0 ? p.length : i).trim(), i < 0 ? '' : p.slice(i + 1).trim()] as const;
        }),
      ),
    }));
}

const WILDCARDS = new Set(['*/*', 'application/*']);

/** The handler's refusal when no range is acceptable (no details, as kube-apiserver's). */
export function handlerNotAcceptable(): ApiError {
  return new ApiError(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${SERVED_MEDIA_TYPES.join(', ')}`,
  );
}

/**
 * Refuses, before a resource request is served, what kube-apiserver refuses at that point: for a
 * built-in resource an Accept naming none of the produced types (go-restful's route selection);
 * for a custom resource an Accept whose only acceptable ranges ask for protobuf.
 */
export function refuseUnacceptable(accept: string | undefined, custom: boolean): void {
  if (!accept) return;
  const ranges = parseAccept(accept);
  if (!custom) {
    const routable = ranges.some(
      (r) => WILDCARDS.has(r.type) || (SERVED_MEDIA_TYPES as readonly string[]).includes(r.type),
    );
    if (!routable)
      throw new ApiError(
        406,
        'NotAcceptable',
        `406: Not Acceptable\n\nAvailable representations: ${SERVED_MEDIA_TYPES.join(', ')}`,
        {},
      );
    return;
  }
  if (ranges.every((r) => r.type === PROTOBUF || !isJsonOrYaml(r.type))) throw handlerNotAcceptable();
}

function isJsonOrYaml(type: string): boolean {
  return type === 'application/json' || type === 'application/yaml' || WILDCARDS.has(type);
}

/** Whether an error Status goes out in protobuf: the first range a Status can be written in is protobuf. */
export function statusInProtobuf(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const r of parseAccept(accept)) {
    if (r.params.has('as')) continue; // Table / PartialObjectMetadata: not a Status
    if (r.type === PROTOBUF) return true;
    if (isJsonOrYaml(r.type)) return false;
  }
  return false;
}

/** Protobuf varint (non-negative). */
function varint(n: number): Buffer {
  const out: number[] = [];
  let x = n;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return Buffer.from(out);
}
/** A length-delimited field (string, bytes, message), written even when empty. */
const lenField = (f: number, v: Buffer | string): Buffer => {
  const data = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return Buffer.concat([varint((f << 3) | 2), varint(data.length), data]);
};
/** A varint field, written even when zero. */
const intField = (f: number, v: number): Buffer => Buffer.concat([varint(f << 3), varint(v)]);

/**
 * A Status in Kubernetes protobuf: "k8s\0" + runtime.Unknown{typeMeta, raw, contentEncoding,
 * contentType}. Field numbers from k8s.io/apimachinery's generated.proto; like the Go marshaller
 * (gogo, proto2), every non-pointer string and integer is written even when empty or zero, so
 * the bytes equal kube-apiserver's.
 */
export function encodeStatusProtobuf(status: {
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: StatusDetails;
}): Buffer {
  const listMeta = Buffer.concat([lenField(1, ''), lenField(2, ''), lenField(3, '')]);
  const d = status.details;
  const details = d
    ? lenField(
        5,
        Buffer.concat([
          lenField(1, d.name ?? ''),
          lenField(2, d.group ?? ''),
          lenField(3, d.kind ?? ''),
          ...(d.causes ?? []).map((c) =>
            lenField(
              4,
              Buffer.concat([
                lenField(1, c.reason ?? ''),
                lenField(2, c.message ?? ''),
                lenField(3, c.field ?? ''),
              ]),
            ),
          ),
          intField(5, d.retryAfterSeconds ?? 0),
          lenField(6, d.uid ?? ''),
        ]),
      )
    : Buffer.alloc(0);
  const raw = Buffer.concat([
    lenField(1, listMeta),
    lenField(2, status.status),
    lenField(3, status.message),
    lenField(4, status.reason),
    details,
    intField(6, status.code),
  ]);
  const typeMeta = Buffer.concat([lenField(1, 'v1'), lenField(2, 'Status')]);
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    lenField(1, typeMeta),
    lenField(2, raw),
    lenField(3, ''),
    lenField(4, ''),
  ]);
}

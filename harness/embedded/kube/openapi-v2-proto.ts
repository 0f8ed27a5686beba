// The Swagger 2.0 document in gnostic's protobuf form (openapi_v2.Document,
// github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto): what kubectl ≤ 1.28 asks
// /openapi/v2 for (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf).
// Without it they fall back to /swagger-2.0.0.pb-v1 and `apply` fails. Only what
// kube-openapi's proto parser reads is encoded: swagger, info and the definitions
// (schemas with refs, types, items, properties, additionalProperties, required and
// vendor extensions); paths are left out (kubectl takes parameters from /openapi/v3).
import { bool, encodeMessage, msg, str, type ProtoField } from './proto-writer.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export const OPENAPI_V2_PROTO_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** True for the Accept kubectl sends when it wants the gnostic protobuf document. */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return /application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/i.test(accept ?? '');
}

const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** gnostic `Any`: the value as YAML text (JSON is YAML). */
const anyValue = (v: Json): ProtoField[] => [[2, str(JSON.stringify(v))]];

function namedAny(name: string, v: Json): ProtoField[] {
  return [
    [1, str(name)],
    [2, msg(anyValue(v))],
  ];
}

function schema(s: Obj): ProtoField[] {
  const f: ProtoField[] = [];
  if (typeof s.$ref === 'string') f.push([1, str(s.$ref)]);
  if (typeof s.format === 'string') f.push([2, str(s.format)]);
  if (typeof s.title === 'string') f.push([3, str(s.title)]);
  if (typeof s.description === 'string') f.push([4, str(s.description)]);
  if (s.default !== undefined) f.push([5, msg(anyValue(s.default))]);
  if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') f.push([19, str(r)]);
  if (Array.isArray(s.enum)) for (const e of s.enum) f.push([20, msg(anyValue(e))]);
  if (isObj(s.additionalProperties)) f.push([21, msg([[1, msg(schema(s.additionalProperties))]])]);
  else if (typeof s.additionalProperties === 'boolean')
    f.push([21, msg([[2, bool(s.additionalProperties)]])]);
  if (typeof s.type === 'string') f.push([22, msg([[1, str(s.type)]])]);
  else if (Array.isArray(s.type))
    f.push([22, msg(s.type.filter((t) => typeof t === 'string').map((t) => [1, str(t)] as const))]);
  if (isObj(s.items)) f.push([23, msg([[1, msg(schema(s.items))]])]);
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) f.push([24, msg(schema(a))]);
  if (isObj(s.properties))
    f.push([
      25,
      msg(
        Object.entries(s.properties)
          .filter(([, v]) => isObj(v))
          .map(
            ([k, v]) =>
              [
                1,
                msg([
                  [1, str(k)],
                  [2, msg(schema(v as Obj))],
                ]),
              ] as const,
          ),
      ),
    ]);
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) f.push([31, msg(namedAny(k, v))]);
  return f;
}

/** Encodes a Swagger 2.0 JSON document (as /openapi/v2 serves it) into gnostic protobuf. */
export function encodeOpenApiV2(doc: Obj): Buffer {
  const info = isObj(doc.info) ? doc.info : {};
  const defs = isObj(doc.definitions) ? doc.definitions : {};
  const fields: ProtoField[] = [
    [1, str(typeof doc.swagger === 'string' ? doc.swagger : '2.0')],
    [
      2,
      msg([
        [1, str(typeof info.title === 'string' ? info.title : 'Kubernetes')],
        [2, str(typeof info.version === 'string' ? info.version : '')],
      ]),
    ],
    [8, msg([])],
    [
      9,
      msg(
        Object.entries(defs)
          .filter(([, v]) => isObj(v))
          .map(
            ([k, v]) =>
              [
                1,
                msg([
                  [1, str(k)],
                  [2, msg(schema(v as Obj))],
                ]),
              ] as const,
          ),
      ),
    ],
  ];
  return encodeMessage(fields);
}

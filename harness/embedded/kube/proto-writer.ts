// A minimal protocol-buffers writer (varints and length-delimited fields), enough to encode
// the gnostic OpenAPI v2 document kubectl ≤ 1.28 asks for and the test bodies the
// differential corpus sends. Fields are written in the order given; zero values are skipped
// like proto3 does.

export type ProtoValue =
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Buffer }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'varint'; readonly v: number }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'msg'; readonly v: Buffer };

export type ProtoField = readonly [field: number, value: ProtoValue];

function varint(n: number | bigint): Buffer {
  let x = BigInt(n);
  if (x < 0n) x += 1n << 64n; // negative int64 is ten bytes, two's complement
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return Buffer.from(out);
}

const key = (field: number, wire: number): Buffer => varint((field << 3) | wire);

export function encodeMessage(fields: readonly ProtoField[]): Buffer {
  const parts: Buffer[] = [];
  for (const [f, val] of fields) {
    switch (val.t) {
      case 'string':
      case 'bytes':
      case 'msg': {
        const data = val.t === 'string' ? Buffer.from(val.v, 'utf8') : val.v;
        parts.push(key(f, 2), varint(data.length), data);
        break;
      }
      case 'bool':
        if (val.v) parts.push(key(f, 0), varint(1));
        break;
      case 'varint':
        if (val.v) parts.push(key(f, 0), varint(val.v));
        break;
      case 'double': {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(val.v);
        parts.push(key(f, 1), b);
        break;
      }
    }
  }
  return Buffer.concat(parts);
}

export const str = (v: string): ProtoValue => ({ t: 'string', v });
export const msg = (fields: readonly ProtoField[]): ProtoValue => ({ t: 'msg', v: encodeMessage(fields) });
export const bool = (v: boolean): ProtoValue => ({ t: 'bool', v });
export const int = (v: number): ProtoValue => ({ t: 'varint', v });
export const bytes = (v: Buffer): ProtoValue => ({ t: 'bytes', v });
export const dbl = (v: number): ProtoValue => ({ t: 'double', v });

/** A protobuf `map<string, V>` is a repeated entry message {1: key, 2: value}. */
export function mapEntries(field: number, m: Readonly<Record<string, ProtoValue>>): ProtoField[] {
  return Object.entries(m).map(
    ([k, v]) =>
      [
        field,
        msg([
          [1, str(k)],
          [2, v],
        ]),
      ] as const,
  );
}

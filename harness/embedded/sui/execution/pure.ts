/**
 * Pure arguments are plain bytes until a command uses them; then they must decode as the
 * parameter type (primitives, vectors, String, ascii::String, ID, Option), consuming every byte.
 */
const STD = '0x0000000000000000000000000000000000000000000000000000000000000001';
const SUI = '0x0000000000000000000000000000000000000000000000000000000000000002';

export class PureArgError extends Error {
  override name = 'PureArgError';
}

const WIDTH: Record<string, number> = {
  bool: 1,
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  u128: 16,
  u256: 32,
  address: 32,
};

/** Whether a type can be passed as a pure argument at all. */
export function isPureType(type: string): boolean {
  if (type in WIDTH) return true;
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec) return isPureType(vec[1]!);
  if (type === `${STD}::string::String` || type === `${STD}::ascii::String` || type === `${SUI}::object::ID`)
    return true;
  const opt = new RegExp(`^${STD}::option::Option<(.+)>$`).exec(type);
  return opt ? isPureType(opt[1]!) : false;
}

/** Throws PureArgError unless `bytes` is exactly one BCS value of `type`. */
export function checkPureBytes(type: string, bytes: Uint8Array): void {
  const end = readValue(type, bytes, 0);
  if (end !== bytes.length) {
    throw new PureArgError(`pure argument has ${bytes.length - end} trailing bytes after a ${type} value`);
  }
}

function readUleb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new PureArgError('pure argument has a malformed ULEB128 length');
}

function need(bytes: Uint8Array, at: number, n: number, type: string): number {
  if (at + n > bytes.length) throw new PureArgError(`pure argument is too short for ${type}`);
  return at + n;
}

function readValue(type: string, bytes: Uint8Array, at: number): number {
  const width = WIDTH[type];
  if (width !== undefined) {
    const end = need(bytes, at, width, type);
    if (type === 'bool' && bytes[at]! > 1)
      throw new PureArgError(`pure argument byte ${bytes[at]} is not a bool`);
    return end;
  }
  if (type === `${SUI}::object::ID`) return need(bytes, at, 32, type);
  if (type === `${STD}::string::String` || type === `${STD}::ascii::String`) {
    const [len, start] = readUleb(bytes, at);
    const end = need(bytes, start, len, type);
    const slice = bytes.subarray(start, end);
    if (type.endsWith('ascii::String')) {
      if (slice.some((b) => b > 0x7f))
        throw new PureArgError('pure argument for ascii::String contains non-ASCII bytes');
    } else {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(slice);
      } catch {
        throw new PureArgError('pure argument for string::String is not valid UTF-8');
      }
    }
    return end;
  }
  const vec = /^vector<(.+)>$/.exec(type);
  const opt = new RegExp(`^${STD}::option::Option<(.+)>$`).exec(type);
  if (vec || opt) {
    const elem = (vec ?? opt)![1]!;
    const [len, start] = readUleb(bytes, at);
    let pos = start;
    if (opt && len > 1) throw new PureArgError(`pure argument for Option has ${len} elements`);
    const w = WIDTH[elem];
    if (w !== undefined && elem !== 'bool') return need(bytes, pos, len * w, type);
    for (let i = 0; i < len; i++) pos = readValue(elem, bytes, pos);
    return pos;
  }
  throw new PureArgError(`type ${type} cannot be a pure argument`);
}

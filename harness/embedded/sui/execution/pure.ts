/**
 * Pure arguments are plain bytes until a command uses them; then they must decode as the
 * parameter type (primitives, vectors, String, ascii::String, ID, Option), consuming every byte.
 */
import { readUleb } from '../move/uleb.ts';

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

/** A pure-argument type, parsed once per type string (every transaction repeats them). */
type PureShape =
  | { kind: 'fixed'; width: number; bool: boolean }
  | { kind: 'id' }
  | { kind: 'string'; ascii: boolean }
  | { kind: 'sequence'; option: boolean; elem: string }
  | { kind: 'invalid' };

const OPTION_RE = new RegExp(`^${STD}::option::Option<(.+)>$`);
const VECTOR_RE = /^vector<(.+)>$/;
const shapes = new Map<string, PureShape>();

function shapeOf(type: string): PureShape {
  let shape = shapes.get(type);
  if (shape) return shape;
  const width = WIDTH[type];
  const vec = VECTOR_RE.exec(type);
  const opt = OPTION_RE.exec(type);
  if (width !== undefined) shape = { kind: 'fixed', width, bool: type === 'bool' };
  else if (type === `${SUI}::object::ID`) shape = { kind: 'id' };
  else if (type === `${STD}::string::String`) shape = { kind: 'string', ascii: false };
  else if (type === `${STD}::ascii::String`) shape = { kind: 'string', ascii: true };
  else if (vec || opt) shape = { kind: 'sequence', option: !vec, elem: (vec ?? opt)![1]! };
  else shape = { kind: 'invalid' };
  // Types come from loaded packages (bounded), but stay safe against unbounded growth.
  if (shapes.size > 10_000) shapes.clear();
  shapes.set(type, shape);
  return shape;
}

/** Whether a type can be passed as a pure argument at all. */
export function isPureType(type: string): boolean {
  const shape = shapeOf(type);
  if (shape.kind === 'invalid') return false;
  return shape.kind === 'sequence' ? isPureType(shape.elem) : true;
}

/** Throws PureArgError unless `bytes` is exactly one BCS value of `type`. */
export function checkPureBytes(type: string, bytes: Uint8Array): void {
  const end = readValue(type, bytes, 0);
  if (end !== bytes.length) {
    throw new PureArgError(`pure argument has ${bytes.length - end} trailing bytes after a ${type} value`);
  }
}

function readLength(bytes: Uint8Array, at: number): [number, number] {
  const read = readUleb(bytes, at);
  if (!read) throw new PureArgError('pure argument has a malformed ULEB128 length');
  return read;
}

function need(bytes: Uint8Array, at: number, n: number, type: string): number {
  if (at + n > bytes.length) throw new PureArgError(`pure argument is too short for ${type}`);
  return at + n;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readValue(type: string, bytes: Uint8Array, at: number): number {
  const shape = shapeOf(type);
  switch (shape.kind) {
    case 'fixed': {
      const end = need(bytes, at, shape.width, type);
      if (shape.bool && bytes[at]! > 1)
        throw new PureArgError(`pure argument byte ${bytes[at]} is not a bool`);
      return end;
    }
    case 'id':
      return need(bytes, at, 32, type);
    case 'string': {
      const [len, start] = readLength(bytes, at);
      const end = need(bytes, start, len, type);
      const slice = bytes.subarray(start, end);
      if (shape.ascii) {
        if (slice.some((b) => b > 0x7f))
          throw new PureArgError('pure argument for ascii::String contains non-ASCII bytes');
      } else {
        try {
          utf8.decode(slice);
        } catch {
          throw new PureArgError('pure argument for string::String is not valid UTF-8');
        }
      }
      return end;
    }
    case 'sequence': {
      const [len, start] = readLength(bytes, at);
      let pos = start;
      if (shape.option && len > 1) throw new PureArgError(`pure argument for Option has ${len} elements`);
      const elem = shapeOf(shape.elem);
      if (elem.kind === 'fixed' && !elem.bool) return need(bytes, pos, len * elem.width, type);
      for (let i = 0; i < len; i++) pos = readValue(shape.elem, bytes, pos);
      return pos;
    }
    case 'invalid':
      throw new PureArgError(`type ${type} cannot be a pure argument`);
  }
}

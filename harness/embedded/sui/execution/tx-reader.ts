/**
 * BCS TransactionData reader and writer for what users submit (V1 programmable transactions with pure and
 * object inputs, no expiration or an epoch). Produces exactly what
 * `bcs.TransactionData.parse` produces — same shape, `$kind` tags, strings for u64, base64
 * for byte vectors, type tags as strings — at a fraction of the cost of the generic reader,
 * which every transaction paid twice (execute, and simulate before it); the writer serves
 * SimulateTransaction's resolution. Anything else
 * (other kinds, funds withdrawals, ValidDuring expirations, malformed bytes) goes through
 * `bcs.TransactionData.parse`, so results and error messages stay the SDK's.
 */
import { bcs, TypeTagSerializer } from '@mysten/sui/bcs';
import { toBase58 } from '@mysten/sui/utils';
import { BcsWriter } from '../ledger/bcs-writer.ts';

export type ParsedTransactionData = ReturnType<typeof bcs.TransactionData.parse>;

class Unsupported extends Error {}

class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos === this.bytes.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Unsupported('truncated');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u64(): string {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v.toString();
  }

  bool(): boolean {
    return this.u8() === 1;
  }

  uleb(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
      shift += 7;
      if (shift > 28) throw new Unsupported('uleb too long');
    }
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return Buffer.from(this.raw(this.uleb())).toString('utf8');
  }

  base64Vector(): string {
    return Buffer.from(this.raw(this.uleb())).toString('base64');
  }

  address(): string {
    return '0x' + Buffer.from(this.raw(32)).toString('hex');
  }

  digest(): string {
    return toBase58(this.raw(this.uleb()));
  }

  vector<T>(item: () => T): T[] {
    const n = this.uleb();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
}

const PRIMITIVE_TAGS = [
  'bool',
  'u8',
  'u64',
  'u128',
  'address',
  'signer',
  'vector',
  'struct',
  'u16',
  'u32',
  'u256',
];

type InnerTypeTag = Record<string, unknown> & { $kind: string };

function innerTypeTag(r: Reader): InnerTypeTag {
  const index = r.u8();
  const kind = PRIMITIVE_TAGS[index];
  if (!kind) throw new Unsupported(`type tag ${index}`);
  if (kind === 'vector') return { $kind: kind, vector: innerTypeTag(r) };
  if (kind === 'struct') {
    const address = r.address();
    const module = r.string();
    const name = r.string();
    const typeParams = r.vector(() => innerTypeTag(r));
    return { $kind: kind, struct: { address, module, name, typeParams } };
  }
  return { $kind: kind, [kind]: true };
}

function typeTag(r: Reader): string {
  return TypeTagSerializer.tagToString(innerTypeTag(r) as never);
}

function argument(r: Reader) {
  const k = r.u8();
  switch (k) {
    case 0:
      return { $kind: 'GasCoin', GasCoin: true };
    case 1:
      return { $kind: 'Input', Input: r.u16() };
    case 2:
      return { $kind: 'Result', Result: r.u16() };
    case 3:
      return { $kind: 'NestedResult', NestedResult: [r.u16(), r.u16()] };
    default:
      throw new Unsupported(`argument ${k}`);
  }
}

function objectRef(r: Reader) {
  return { objectId: r.address(), version: r.u64(), digest: r.digest() };
}

function callArg(r: Reader) {
  const k = r.u8();
  if (k === 0) return { $kind: 'Pure', Pure: { bytes: r.base64Vector() } };
  if (k !== 1) throw new Unsupported(`call arg ${k}`);
  const o = r.u8();
  const Object =
    o === 0
      ? { $kind: 'ImmOrOwnedObject', ImmOrOwnedObject: objectRef(r) }
      : o === 1
        ? {
            $kind: 'SharedObject',
            SharedObject: { objectId: r.address(), initialSharedVersion: r.u64(), mutable: r.bool() },
          }
        : o === 2
          ? { $kind: 'Receiving', Receiving: objectRef(r) }
          : undefined;
  if (!Object) throw new Unsupported(`object arg ${o}`);
  return { $kind: 'Object', Object };
}

function command(r: Reader) {
  const k = r.u8();
  const args = () => r.vector(() => argument(r));
  switch (k) {
    case 0: {
      const pkg = r.address();
      const module = r.string();
      const fn = r.string();
      const typeArguments = r.vector(() => typeTag(r));
      return {
        $kind: 'MoveCall',
        MoveCall: { package: pkg, module, function: fn, typeArguments, arguments: args() },
      };
    }
    case 1: {
      const objects = args();
      return { $kind: 'TransferObjects', TransferObjects: { objects, address: argument(r) } };
    }
    case 2: {
      const coin = argument(r);
      return { $kind: 'SplitCoins', SplitCoins: { coin, amounts: args() } };
    }
    case 3: {
      const destination = argument(r);
      return { $kind: 'MergeCoins', MergeCoins: { destination, sources: args() } };
    }
    case 4: {
      const modules = r.vector(() => r.base64Vector());
      return { $kind: 'Publish', Publish: { modules, dependencies: r.vector(() => r.address()) } };
    }
    case 5: {
      const some = r.u8();
      if (some > 1) throw new Unsupported('option tag');
      const type = some === 1 ? typeTag(r) : null;
      return { $kind: 'MakeMoveVec', MakeMoveVec: { type, elements: args() } };
    }
    case 6: {
      const modules = r.vector(() => r.base64Vector());
      const dependencies = r.vector(() => r.address());
      const pkg = r.address();
      return { $kind: 'Upgrade', Upgrade: { modules, dependencies, package: pkg, ticket: argument(r) } };
    }
    default:
      throw new Unsupported(`command ${k}`);
  }
}

/** The fast path alone; throws for what it does not cover (exported for the tests). */
export function fastParse(bytes: Uint8Array): ParsedTransactionData {
  const r = new Reader(bytes);
  if (r.u8() !== 0) throw new Unsupported('not V1');
  if (r.u8() !== 0) throw new Unsupported('not a programmable transaction');
  const inputs = r.vector(() => callArg(r));
  const commands = r.vector(() => command(r));
  const sender = r.address();
  const payment = r.vector(() => objectRef(r));
  const owner = r.address();
  const price = r.u64();
  const budget = r.u64();
  const e = r.u8();
  let expiration;
  if (e === 0) expiration = { $kind: 'None', None: true };
  else if (e === 1) expiration = { $kind: 'Epoch', Epoch: Number(r.u64()) };
  else throw new Unsupported(`expiration ${e}`);
  if (!r.done) throw new Unsupported('trailing bytes');
  return {
    $kind: 'V1',
    V1: {
      kind: { $kind: 'ProgrammableTransaction', ProgrammableTransaction: { inputs, commands } },
      sender,
      gasData: { payment, owner, price, budget },
      expiration,
    },
  } as unknown as ParsedTransactionData;
}

/** Same result as `bcs.TransactionData.parse(bytes)` (throws the same errors). */
export function parseTransactionData(bytes: Uint8Array): ParsedTransactionData {
  try {
    return fastParse(bytes);
  } catch {
    // Uncommon shapes and malformed bytes: the SDK reader decides (and words the error).
    return bcs.TransactionData.parse(bytes);
  }
}

// ---- writing ----

type TransactionDataInput = Parameters<typeof bcs.TransactionData.serialize>[0];
type Variant = Record<string, unknown>;

/** The variant name of an SDK enum value ({ $kind?, Name: payload }). */
function variant(v: Variant): [string, unknown] {
  for (const k in v) if (k !== '$kind') return [k, v[k]];
  throw new Unsupported('empty enum value');
}

const typeTagBytes = new Map<string, Uint8Array>();

function writeTypeTag(w: BcsWriter, type: string): void {
  let bytes = typeTagBytes.get(type);
  if (!bytes) {
    bytes = bcs.TypeTag.serialize(type).toBytes();
    if (typeTagBytes.size > 10_000) typeTagBytes.clear();
    typeTagBytes.set(type, bytes);
  }
  w.raw(bytes);
}

function writeArgument(w: BcsWriter, a: Variant): void {
  const [k, v] = variant(a);
  if (k === 'GasCoin') w.u8(0);
  else if (k === 'Input') w.u8(1).u16(v as number);
  else if (k === 'Result') w.u8(2).u16(v as number);
  else if (k === 'NestedResult') {
    const [x, y] = v as [number, number];
    w.u8(3).u16(x).u16(y);
  } else throw new Unsupported(`argument ${k}`);
}

function writeArguments(w: BcsWriter, args: Variant[]): void {
  w.uleb(args.length);
  for (const a of args) writeArgument(w, a);
}

function writeBytes(w: BcsWriter, b: unknown): void {
  if (typeof b === 'string') w.byteVector(Buffer.from(b, 'base64'));
  else if (b instanceof Uint8Array) w.byteVector(b);
  else throw new Unsupported('bytes');
}

function writeObjectRef(
  w: BcsWriter,
  r: { objectId: string; version: string | number | bigint; digest: string },
) {
  w.address(r.objectId).u64(BigInt(r.version)).digest(r.digest);
}

function writeCallArg(w: BcsWriter, arg: Variant): void {
  const [k, v] = variant(arg);
  if (k === 'Pure') {
    w.u8(0);
    writeBytes(w, (v as { bytes: unknown }).bytes);
    return;
  }
  if (k !== 'Object') throw new Unsupported(`call arg ${k}`);
  const [o, ref] = variant(v as Variant);
  w.u8(1);
  if (o === 'ImmOrOwnedObject') writeObjectRef(w.u8(0), ref as never);
  else if (o === 'Receiving') writeObjectRef(w.u8(2), ref as never);
  else if (o === 'SharedObject') {
    const s = ref as { objectId: string; initialSharedVersion: string | number | bigint; mutable: boolean };
    w.u8(1)
      .address(s.objectId)
      .u64(BigInt(s.initialSharedVersion))
      .u8(s.mutable ? 1 : 0);
  } else throw new Unsupported(`object arg ${o}`);
}

function writeCommand(w: BcsWriter, c: Variant): void {
  const [k, v] = variant(c);
  const x = v as Record<string, unknown>;
  switch (k) {
    case 'MoveCall': {
      const types = x.typeArguments as string[];
      if (types.some((t) => typeof t !== 'string')) throw new Unsupported('type argument objects');
      w.u8(0)
        .address(x.package as string)
        .string(x.module as string)
        .string(x.function as string);
      w.uleb(types.length);
      for (const t of types) writeTypeTag(w, t);
      writeArguments(w, x.arguments as Variant[]);
      return;
    }
    case 'TransferObjects':
      writeArguments(w.u8(1), x.objects as Variant[]);
      writeArgument(w, x.address as Variant);
      return;
    case 'SplitCoins':
      writeArgument(w.u8(2), x.coin as Variant);
      writeArguments(w, x.amounts as Variant[]);
      return;
    case 'MergeCoins':
      writeArgument(w.u8(3), x.destination as Variant);
      writeArguments(w, x.sources as Variant[]);
      return;
    case 'Publish': {
      const modules = x.modules as unknown[];
      w.u8(4).uleb(modules.length);
      for (const m of modules) writeBytes(w, m);
      const deps = x.dependencies as string[];
      w.uleb(deps.length);
      for (const d of deps) w.address(d);
      return;
    }
    case 'MakeMoveVec': {
      const type = x.type as string | null | undefined;
      if (type !== null && type !== undefined && typeof type !== 'string')
        throw new Unsupported('type object');
      w.u8(5);
      if (type === null || type === undefined) w.u8(0);
      else writeTypeTag(w.u8(1), type);
      writeArguments(w, x.elements as Variant[]);
      return;
    }
    default:
      throw new Unsupported(`command ${k}`);
  }
}

function fastSerialize(data: TransactionDataInput): Uint8Array {
  const [version, v1] = variant(data as Variant);
  if (version !== 'V1') throw new Unsupported('not V1');
  const d = v1 as {
    kind: Variant;
    sender: string;
    gasData: {
      payment: { objectId: string; version: string | number | bigint; digest: string }[];
      owner: string;
      price: string | number | bigint;
      budget: string | number | bigint;
    };
    expiration: Variant | null | undefined;
  };
  const [kind, ptb] = variant(d.kind);
  if (kind !== 'ProgrammableTransaction') throw new Unsupported(`kind ${kind}`);
  const { inputs, commands } = ptb as { inputs: Variant[]; commands: Variant[] };
  const w = new BcsWriter(1024).u8(0).u8(0).uleb(inputs.length);
  for (const i of inputs) writeCallArg(w, i);
  w.uleb(commands.length);
  for (const c of commands) writeCommand(w, c);
  w.address(d.sender).uleb(d.gasData.payment.length);
  for (const p of d.gasData.payment) writeObjectRef(w, p);
  w.address(d.gasData.owner).u64(BigInt(d.gasData.price)).u64(BigInt(d.gasData.budget));
  const [e, epoch] = d.expiration ? variant(d.expiration) : ['None', true];
  if (e === 'None') w.u8(0);
  else if (e === 'Epoch') w.u8(1).u64(BigInt(epoch as number));
  else throw new Unsupported(`expiration ${e}`);
  return w.toBytes();
}

/** Same bytes as `bcs.TransactionData.serialize(data).toBytes()`; the SDK serializer for anything uncommon. */
export function serializeTransactionData(data: TransactionDataInput): Uint8Array {
  try {
    return fastSerialize(data);
  } catch {
    // Uncommon shapes and invalid values: the SDK serializer decides (and words the error).
    return bcs.TransactionData.serialize(data).toBytes();
  }
}

/** The fast writer alone (exported for the tests). */
export { fastSerialize };

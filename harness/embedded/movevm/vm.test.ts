import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bcs } from '@mysten/sui/bcs';
import {
  InMemoryObjectRuntime,
  MAX_CALL_DEPTH,
  MoveAbortError,
  MoveCallError,
  MoveExecutionError,
  deriveDynamicFieldId,
  deriveObjectId,
  type MoveVM,
} from './index.ts';
import { vmWithPackage } from './testing/load.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PKG = '0x' + 'ab'.repeat(32);
const MOD = `${PKG}::api`;
const ALICE = '0x' + 'a1'.repeat(32);
const BOB = '0x' + 'b0'.repeat(32);
const digest = Uint8Array.from({ length: 32 }, (_, i) => i);

const u64 = (n: bigint | number) => ({ bcs: bcs.u64().serialize(n).toBytes() });
const str = (s: string) => ({ bcs: bcs.string().serialize(s).toBytes() });
const addr = (a: string) => ({ bcs: bcs.Address.serialize(a).toBytes() });
const Counter = bcs.struct('Counter', {
  id: bcs.Address,
  value: bcs.u64(),
  owner: bcs.Address,
  label: bcs.string(),
});

let vm: MoveVM;
beforeAll(async () => {
  ({ vm } = await vmWithPackage(path.join(here, 'fixtures', 'vmapi'), PKG));
}, 300_000);

const rt = () => new InMemoryObjectRuntime({ sender: ALICE, digest });

describe('call API', () => {
  it('runs a function and returns BCS + values', () => {
    const r = vm.call({ module: MOD, function: 'add', args: [u64(2), u64(40)], runtime: rt() });
    expect(r.returns).toHaveLength(1);
    expect(r.returns[0]!.type).toBe('u64');
    expect(r.returns[0]!.value).toBe(42n);
    expect(bcs.u64().parse(r.returns[0]!.bcs)).toBe('42');
    expect(r.gasUsed).toBeGreaterThan(0);
  });

  it('decodes pure arguments by parameter type and round-trips them', () => {
    const r = vm.call({
      module: MOD,
      function: 'echo',
      args: [
        { bcs: bcs.vector(bcs.u8()).serialize([1, 2, 3]).toBytes() },
        str('héllo'),
        { bcs: bcs.bool().serialize(true).toBytes() },
        addr(BOB),
        { bcs: bcs.option(bcs.u32()).serialize(7).toBytes() },
      ],
      runtime: rt(),
    });
    expect(r.returns.map((x) => x.type)).toEqual([
      'vector<u8>',
      '0x0000000000000000000000000000000000000000000000000000000000000001::string::String',
      'bool',
      'address',
      '0x0000000000000000000000000000000000000000000000000000000000000001::option::Option<u32>',
    ]);
    expect(bcs.string().parse(r.returns[1]!.bcs)).toBe('héllo');
    expect(r.returns[3]!.value).toBe(BOB);
    expect(bcs.option(bcs.u32()).parse(r.returns[4]!.bcs)).toBe(7);
  });

  it('refuses private and package functions that are not entry, allows entry ones', () => {
    expect(() => vm.call({ module: MOD, function: 'private_helper', runtime: rt() })).toThrow(
      /private and not entry/,
    );
    expect(() => vm.call({ module: MOD, function: 'package_helper', runtime: rt() })).toThrow(
      /public\(package\) and not entry/,
    );
    expect(
      vm.call({ module: MOD, function: 'private_entry', args: [u64(5)], runtime: rt() }).returns,
    ).toEqual([]);
    expect(
      vm.call({ module: MOD, function: 'private_helper', runtime: rt(), allowPrivate: true }).returns[0]!
        .value,
    ).toBe(1n);
  });

  it('names what is wrong with a call', () => {
    expect(() => vm.call({ module: `${PKG}::nope`, function: 'x', runtime: rt() })).toThrow(MoveCallError);
    expect(() => vm.call({ module: `${PKG}::nope`, function: 'x', runtime: rt() })).toThrow(/is not loaded/);
    expect(() => vm.call({ module: MOD, function: 'missing', runtime: rt() })).toThrow(
      /does not exist.*it has: .*spin/,
    );
    expect(() => vm.call({ module: MOD, function: 'add', args: [u64(1)], runtime: rt() })).toThrow(
      /expects 2 argument\(s\) \(u64,? ?u64\), got 1/,
    );
    expect(() =>
      vm.call({ module: MOD, function: 'add', args: [u64(1), { bcs: Uint8Array.of(1, 2) }], runtime: rt() }),
    ).toThrow(/argument 1 is not a valid BCS u64/);
    expect(() =>
      vm.call({ module: MOD, function: 'add', args: [u64(1), u64(2)], typeArgs: ['u8'], runtime: rt() }),
    ).toThrow(/takes 0 type argument/);
  });

  it('reports aborts with code and location', () => {
    try {
      vm.call({ module: MOD, function: 'private_entry', args: [u64(500)], runtime: rt() });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MoveAbortError);
      const a = e as MoveAbortError;
      expect(a.code).toBe(17n);
      expect(a.location.module).toBe(MOD);
      expect(a.location.function).toBe('private_entry');
      expect(a.location.offset).toBeGreaterThan(0);
    }
  });

  it('reports arithmetic errors, call-depth overflow and out-of-gas', () => {
    const max = 2n ** 64n - 1n;
    expect(() => vm.call({ module: MOD, function: 'add', args: [u64(max), u64(1)], runtime: rt() })).toThrow(
      /ARITHMETIC_ERROR: u64 addition overflow in .*::api::add/,
    );
    expect(
      vm.call({ module: MOD, function: 'recurse', args: [u64(MAX_CALL_DEPTH - 2)], runtime: rt() })
        .returns[0]!.value,
    ).toBe(BigInt(MAX_CALL_DEPTH - 2));
    const deep = () =>
      vm.call({ module: MOD, function: 'recurse', args: [u64(MAX_CALL_DEPTH + 10)], runtime: rt() });
    expect(deep).toThrow(MoveExecutionError);
    expect(deep).toThrow(/CALL_STACK_OVERFLOW/);
    const spin = (gasBudget: number) =>
      vm.call({ module: MOD, function: 'spin', args: [u64(1_000_000)], runtime: rt(), gasBudget });
    expect(() => spin(10_000)).toThrow(/OUT_OF_GAS/);
    // deterministic metering: same call, same gas
    const a = vm.call({ module: MOD, function: 'spin', args: [u64(1000)], runtime: rt() }).gasUsed;
    const b = vm.call({ module: MOD, function: 'spin', args: [u64(1000)], runtime: rt() }).gasUsed;
    expect(a).toBe(b);
    const exact = (gasBudget: number) =>
      vm.call({ module: MOD, function: 'spin', args: [u64(1000)], runtime: rt(), gasBudget });
    expect(exact(a).gasUsed).toBe(a);
    expect(() => exact(a - 1)).toThrow(/OUT_OF_GAS/);
  });
});

describe('module descriptions and reloading', () => {
  it('describes functions and datatypes with type tags', () => {
    const d = vm.describeModule(MOD);
    const bump = d.functions.find((f) => f.name === 'bump')!;
    expect(bump).toEqual({
      name: 'bump',
      visibility: 'public',
      isEntry: false,
      typeParameters: [],
      parameters: [
        `&mut ${MOD}::Counter`,
        'u64',
        '&0x0000000000000000000000000000000000000000000000000000000000000002::tx_context::TxContext',
      ],
      returns: [],
    });
    const counter = d.datatypes.find((t) => t.name === 'Counter')!;
    expect(counter.abilities).toEqual(['store', 'key']);
    expect(counter.fields!.map((f) => f.name)).toEqual(['id', 'value', 'owner', 'label']);
  });

  it('reloading identical bytes is a no-op; different bytes at a loaded ID are refused', () => {
    const m = vm.linker.getModule(PKG, 'api')!;
    expect(vm.loadPackage([m.bytes], { address: PKG }).modules).toEqual(['api']);
    // same module, one identifier changed ("spin" → "spim"): still valid bytecode
    const changed = Buffer.from(m.bytes);
    const at = changed.indexOf('spin');
    expect(at).toBeGreaterThan(0);
    changed.write('spim', at);
    expect(() => vm.loadPackage([changed], { address: PKG })).toThrow(
      /already loaded with different bytecode/,
    );
  });
});

describe('objects through the ObjectRuntime', () => {
  it('creates, shares and transfers objects with Sui-derived IDs', () => {
    const runtime = rt();
    vm.call({ module: MOD, function: 'create_and_share', args: [str('shared')], runtime });
    vm.call({ module: MOD, function: 'create_and_send', args: [str('sent'), addr(BOB)], runtime });
    const id0 = deriveObjectId(digest, 0n);
    const id1 = deriveObjectId(digest, 1n);
    expect(runtime.createdIds).toEqual([id0, id1]);
    const shared = runtime.objects.get(id0)!;
    expect(shared.owner).toEqual({ kind: 'shared' });
    expect(shared.type).toBe(`${MOD}::Counter`);
    expect(Counter.parse(shared.bcs)).toMatchObject({ id: id0, value: '0', owner: ALICE, label: 'shared' });
    expect(runtime.objects.get(id1)!.owner).toEqual({ kind: 'address', address: BOB });
  });

  it('passes objects by &mut, returns the mutated contents and records events', () => {
    const runtime = rt();
    const created = vm.call({ module: MOD, function: 'create', args: [str('c')], runtime });
    const obj = created.returns[0]!.bcs;
    const r = vm.call({ module: MOD, function: 'bump', args: [{ bcs: obj }, u64(5)], runtime });
    expect(r.mutated).toHaveLength(1);
    expect(r.mutated[0]!.index).toBe(0);
    expect(Counter.parse(r.mutated[0]!.bcs).value).toBe('5');
    expect(runtime.events).toHaveLength(1);
    expect(runtime.events[0]!.type).toBe(`${MOD}::Bumped`);
    expect(runtime.events[0]!.sender).toBe(MOD);
    const ev = bcs
      .struct('Bumped', { id: bcs.Address, value: bcs.u64(), by: bcs.Address })
      .parse(runtime.events[0]!.bcs);
    expect(ev).toEqual({ id: Counter.parse(obj).id, value: '5', by: ALICE });
  });

  it('applies no effect when the call aborts', () => {
    const runtime = rt();
    const obj = vm.call({ module: MOD, function: 'create', args: [str('c')], runtime }).returns[0]!.bcs;
    expect(() =>
      vm.call({ module: MOD, function: 'bump', args: [{ bcs: obj }, u64(5000)], runtime }),
    ).toThrow(MoveAbortError);
    expect(runtime.events).toHaveLength(0);
  });

  it('stores dynamic fields as child objects with Sui-derived IDs and reads them back', () => {
    const runtime = rt();
    let obj = vm.call({ module: MOD, function: 'create', args: [str('c')], runtime }).returns[0]!.bcs;
    const parent = Counter.parse(obj).id;
    obj = vm.call({ module: MOD, function: 'set_note', args: [{ bcs: obj }, u64(7), str('first')], runtime })
      .mutated[0]!.bcs;
    const u64Tag = Uint8Array.of(2); // TypeTag::U64
    const childId = deriveDynamicFieldId(parent, u64Tag, bcs.u64().serialize(7).toBytes());
    const child = runtime.objects.get(childId)!;
    expect(child.owner).toEqual({ kind: 'object', parent });
    expect(child.type).toBe(
      '0x0000000000000000000000000000000000000000000000000000000000000002::dynamic_field::Field<u64,0x0000000000000000000000000000000000000000000000000000000000000001::string::String>',
    );
    // a later call reads the child from the runtime, mutates it in place
    vm.call({ module: MOD, function: 'set_note', args: [{ bcs: obj }, u64(7), str('second')], runtime });
    const note = vm.call({ module: MOD, function: 'note', args: [{ bcs: obj }, u64(7)], runtime });
    expect(bcs.string().parse(note.returns[0]!.bcs)).toBe('second');
    vm.call({ module: MOD, function: 'drop_note', args: [{ bcs: obj }, u64(7)], runtime });
    expect(runtime.objects.has(childId)).toBe(false);
    expect(() => vm.call({ module: MOD, function: 'note', args: [{ bcs: obj }, u64(7)], runtime })).toThrow(
      /abort with code 1 in 0x0+2::dynamic_field/,
    );
  });

  it('deletes objects passed by value', () => {
    const runtime = rt();
    const obj = vm.call({ module: MOD, function: 'create', args: [str('c')], runtime }).returns[0]!.bcs;
    vm.call({ module: MOD, function: 'destroy', args: [{ bcs: obj }], runtime });
    expect(runtime.deletedIds).toEqual([Counter.parse(obj).id]);
  });
});

/** Natives of the Sui framework (0x2), as declared by move/shim/sui-framework. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { serializeValue, deserializeValue } from '../src/bcs.ts';
import { deriveDynamicFieldId, deriveObjectId } from '../src/object-runtime.ts';
import type { Session } from '../src/session.ts';
import { blake2b256 } from '../src/blake2b.ts';
import { typeTagBcs } from '../src/typetag.ts';
import { TK, typeTagString, type Type } from '../src/types.ts';
import { Ref, copyValue, type Value, toBytes, fromBytes, bytesToAddress } from '../src/values.ts';
import type { NativeTable } from './registry.ts';

// sui::dynamic_field abort codes
const E_FIELD_ALREADY_EXISTS = 0;
const E_FIELD_DOES_NOT_EXIST = 1;
const E_FIELD_TYPE_MISMATCH = 2;
// sui::address
const E_ADDRESS_PARSE_ERROR = 0;
// sui::transfer
const E_UNABLE_TO_RECEIVE_OBJECT = 3;
const E_RECEIVING_TYPE_MISMATCH = 2;

/** ID address of an object value: first field `id: UID { id: ID { bytes } }`. */
export function objectIdOf(obj: Value): string {
  return (((obj as Value[])[0] as Value[])[0] as Value[])[0] as string;
}

function uidAddress(uidRef: Value): string {
  // &UID → UID { id: ID { bytes } }
  return ((uidRef as Ref).read() as Value[][])[0]![0] as string;
}

function stored(obj: Value, t: Type): { id: string; type: string; bcs: Uint8Array } {
  return { id: objectIdOf(obj), type: typeTagString(t), bcs: serializeValue(obj, t) };
}

function addressToBig(a: string): bigint {
  return BigInt(a);
}

function lastCreated(s: Session): string {
  return s.createdIds[s.createdIds.length - 1] ?? '0x' + '0'.repeat(64);
}

export const suiNatives: NativeTable = {
  // --- address / hash ---
  '0x2::address::to_u256': (_s, _f, _t, [a]) => [addressToBig(a as string)],
  '0x2::address::from_u256': (_s, _f, _t, [n]) => ['0x' + (n as bigint).toString(16).padStart(64, '0')],
  '0x2::address::from_bytes': (s, f, _t, [b]) => {
    const v = b as number[];
    if (v.length !== 32) return s.abort(f, E_ADDRESS_PARSE_ERROR);
    return [bytesToAddress(v)];
  },
  '0x2::hash::blake2b256': (s, f, _t, [v]) => {
    const data = (v as Ref).read() as number[];
    s.charge(data.length >> 4, f);
    return [fromBytes(blake2b256(toBytes(data)))];
  },
  '0x2::hash::keccak256': (s, f, _t, [v]) => {
    const data = (v as Ref).read() as number[];
    s.charge(data.length >> 4, f);
    return [fromBytes(keccak_256(toBytes(data)))];
  },
  // Sui verifies with ZIP 215 rules (fastcrypto over ed25519-consensus); noble's default matches.
  '0x2::ed25519::ed25519_verify': (s, f, _t, [sig, pk, msg]) => {
    const [signature, publicKey, message] = [sig, pk, msg].map((r) => toBytes((r as Ref).read() as number[]));
    s.charge(64 + (message!.length >> 4), f);
    if (signature!.length !== 64 || publicKey!.length !== 32) return [false];
    try {
      return [ed25519.verify(signature!, message!, publicKey!)];
    } catch {
      return [false];
    }
  },
  // --- object ---
  '0x2::object::borrow_uid': (_s, _f, _t, [obj]) => [new Ref((obj as Ref).read() as Value[], 0)],
  '0x2::object::delete_impl': (s, _f, _t, [id]) => {
    s.log({ op: 'delete', id: id as string });
    return [];
  },
  '0x2::object::record_new_uid': (s, _f, _t, [id]) => {
    s.log({ op: 'new', id: id as string });
    return [];
  },
  // --- tx_context ---
  '0x2::tx_context::native_sender': (s) => [s.runtime.tx.sender],
  '0x2::tx_context::native_epoch': (s) => [s.runtime.tx.epoch],
  '0x2::tx_context::native_epoch_timestamp_ms': (s) => [s.runtime.tx.epochTimestampMs],
  '0x2::tx_context::native_rgp': (s) => [s.runtime.tx.referenceGasPrice],
  '0x2::tx_context::native_gas_price': (s) => [s.runtime.tx.gasPrice],
  '0x2::tx_context::native_gas_budget': (s) => [s.runtime.tx.gasBudget],
  '0x2::tx_context::native_ids_created': (s) => [s.runtime.tx.idsCreated],
  '0x2::tx_context::native_sponsor': (s) => [s.runtime.tx.sponsor ? [s.runtime.tx.sponsor] : []],
  '0x2::tx_context::fresh_id': (s) => {
    // like Sui's native: a fresh ID is also registered as a new object ID
    const id = s.freshId();
    s.createdIds.push(id);
    s.log({ op: 'new', id });
    return [id];
  },
  '0x2::tx_context::last_created_id': (s) => [lastCreated(s)],
  '0x2::tx_context::derive_id': (_s, _f, _t, [hash, n]) => [deriveObjectId(toBytes(hash!), n as bigint)],
  '0x2::tx_context::replace': (s, _f, _t, args) => {
    const [sender, hash, epoch, ts, ids, rgp, price, budget, sponsor] = args;
    const tx = s.runtime.tx;
    tx.sender = sender as string;
    tx.digest = toBytes(hash!);
    tx.epoch = epoch as bigint;
    tx.epochTimestampMs = ts as bigint;
    tx.idsCreated = ids as bigint;
    tx.referenceGasPrice = rgp as bigint;
    tx.gasPrice = price as bigint;
    tx.gasBudget = budget as bigint;
    const sp = sponsor as string[];
    if (sp.length > 0) tx.sponsor = sp[0]!;
    else delete tx.sponsor;
    return [];
  },
  // --- event ---
  '0x2::event::emit': (s, f, [t], [v]) => {
    const bcs = serializeValue(v!, t!);
    s.charge(bcs.length >> 4, f);
    s.eventValues.push({ type: t!, value: v! });
    s.log({ op: 'event', ev: { type: typeTagString(t!), bcs, sender: s.callerModule } });
    return [];
  },
  '0x2::event::num_events': (s) => [s.eventValues.length],
  '0x2::event::events_by_type': (s, _f, [t]) => [
    // copies: Move code may mutate the returned vector's elements
    s.eventValues.filter((e) => typeTagString(e.type) === typeTagString(t!)).map((e) => copyValue(e.value)),
  ],
  // --- transfer ---
  '0x2::transfer::transfer_impl': (s, _f, [t], [obj, to]) => {
    s.log({ op: 'transfer', obj: stored(obj!, t!), owner: { kind: 'address', address: to as string } });
    return [];
  },
  '0x2::transfer::share_object_impl': (s, _f, [t], [obj]) => {
    s.log({ op: 'transfer', obj: stored(obj!, t!), owner: { kind: 'shared' } });
    return [];
  },
  '0x2::transfer::freeze_object_impl': (s, _f, [t], [obj]) => {
    s.log({ op: 'transfer', obj: stored(obj!, t!), owner: { kind: 'immutable' } });
    return [];
  },
  '0x2::transfer::receive_impl': (s, f, [t], [parent, id, version]) => {
    const oid = (id as Value[])[0] as string;
    const o = s.runtime.receiveObject?.(parent as string, oid, version as bigint);
    if (!o) return s.abort(f, E_UNABLE_TO_RECEIVE_OBJECT);
    if (o.type !== typeTagString(t!)) return s.abort(f, E_RECEIVING_TYPE_MISMATCH);
    return [deserializeValue(o.bcs, t!)];
  },
  // --- types ---
  '0x2::types::is_one_time_witness': (_s, _f, [t]) => [isOneTimeWitness(t!)],
  '0x2::test_utils::create_one_time_witness': (_s, _f, [t]) => {
    if (!isOneTimeWitness(t!)) throw new Error(`${typeTagString(t!)} is not a one-time witness type`);
    return [[false]];
  },
  // --- dynamic_field ---
  '0x2::dynamic_field::hash_type_and_key': (s, f, [kt], [parent, key]) => {
    const keyBcs = serializeValue(key!, kt!);
    s.charge(keyBcs.length >> 4, f);
    return [deriveDynamicFieldId(parent as string, typeTagBcs(kt!), keyBcs)];
  },
  '0x2::dynamic_field::add_child_object': (s, f, [t], [parent, child]) => {
    const id = objectIdOf(child!);
    if (s.child(parent as string, id, t!)) return s.abort(f, E_FIELD_ALREADY_EXISTS);
    s.addChild(parent as string, id, t!, child!);
    return [];
  },
  '0x2::dynamic_field::borrow_child_object': (s, f, [t], [uid, id]) => {
    const c = s.child(uidAddress(uid!), id as string, t!);
    if (!c) return s.abort(f, E_FIELD_DOES_NOT_EXIST);
    if (c.tag !== typeTagString(t!)) return s.abort(f, E_FIELD_TYPE_MISMATCH);
    return [new Ref(c.cell, 0)];
  },
  '0x2::dynamic_field::borrow_child_object_mut': (s, f, [t], [uid, id]) => {
    const c = s.child(uidAddress(uid!), id as string, t!);
    if (!c) return s.abort(f, E_FIELD_DOES_NOT_EXIST);
    if (c.tag !== typeTagString(t!)) return s.abort(f, E_FIELD_TYPE_MISMATCH);
    return [new Ref(c.cell, 0)];
  },
  '0x2::dynamic_field::remove_child_object': (s, f, [t], [parent, id]) => {
    const c = s.child(parent as string, id as string, t!);
    if (!c) return s.abort(f, E_FIELD_DOES_NOT_EXIST);
    if (c.tag !== typeTagString(t!)) return s.abort(f, E_FIELD_TYPE_MISMATCH);
    c.removed = true;
    return [c.cell[0]!];
  },
  '0x2::dynamic_field::has_child_object': (s, _f, _t, [parent, id]) => {
    const cached = s.children.get(id as string);
    if (cached) return [!cached.removed && cached.parent === parent];
    return [s.runtime.readChild(parent as string, id as string) !== undefined];
  },
  '0x2::dynamic_field::has_child_object_with_ty': (s, _f, [t], [parent, id]) => {
    const c = s.child(parent as string, id as string, t!);
    return [c !== undefined && c.tag === typeTagString(t!)];
  },
};

/** Sui's rule: a struct named like its module in upper case, no type parameters, exactly one bool field. */
function isOneTimeWitness(t: Type): boolean {
  if (t.k !== TK.Datatype || t.d.isEnum || t.args.length > 0) return false;
  if (t.d.name !== t.d.module.name.toUpperCase()) return false;
  const raw = t.d.module.raw.struct_defs[t.d.defIndex]!.field_information;
  if (raw === 'Native' || raw.Declared.length !== 1) return false;
  return raw.Declared[0]!.signature === 'Bool';
}

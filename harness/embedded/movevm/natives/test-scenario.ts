/**
 * Natives of sui::test_scenario (unit tests only). The inventories are the
 * InMemoryObjectRuntime's objects, grouped by owner and type; a "transaction"
 * ends when end_transaction commits the session's buffered effects.
 */
import { deserializeValue } from '../src/bcs.ts';
import type { LoadedFunction } from '../src/loader.ts';
import { InMemoryObjectRuntime, type InMemoryObject } from '../src/object-runtime.ts';
import type { Session } from '../src/session.ts';
import { TK, typeTagString, type Type } from '../src/types.ts';
import type { Value } from '../src/values.ts';
import type { NativeTable } from './registry.ts';

const E_OBJECT_NOT_FOUND = 4;
const E_INVALID_SHARED_OR_IMMUTABLE_USAGE = 1;

function mem(s: Session): InMemoryObjectRuntime {
  if (!(s.runtime instanceof InMemoryObjectRuntime))
    throw new Error('sui::test_scenario natives need the InMemoryObjectRuntime (they are for unit tests)');
  return s.runtime;
}

type OwnerFilter = (o: InMemoryObject) => boolean;

function idsOf(rt: InMemoryObjectRuntime, t: Type, owner: OwnerFilter): string[] {
  const tag = typeTagString(t);
  const out: string[] = [];
  for (const o of rt.objects.values()) if (o.type === tag && owner(o)) out.push(o.id);
  return out;
}

const idValue = (id: string): Value => [id];
const idOf = (v: Value): string => (v as Value[])[0] as string;
const optionOf = (id: string | undefined): Value => [id === undefined ? [] : [idValue(id)]];

const byAddress =
  (a: string): OwnerFilter =>
  (o) =>
    o.owner.kind === 'address' && o.owner.address === a;
const shared: OwnerFilter = (o) => o.owner.kind === 'shared';
const immutable: OwnerFilter = (o) => o.owner.kind === 'immutable';

function take(s: Session, f: LoadedFunction, t: Type, id: string, owner: OwnerFilter): Value[] {
  const rt = mem(s);
  const o = rt.objects.get(id);
  if (!o || o.type !== typeTagString(t) || !owner(o)) return s.abort(f, E_OBJECT_NOT_FOUND);
  rt.objects.delete(id);
  rt.taken.set(id, o.owner);
  return [deserializeValue(o.bcs, t)];
}

function wasTaken(s: Session, id: string, pred: (o: InMemoryObject['owner']) => boolean): boolean {
  const o = mem(s).taken.get(id);
  return o !== undefined && pred(o);
}

function endTransaction(s: Session, f: LoadedFunction, effectsType: Type): Value[] {
  const rt = mem(s);
  const created = new Set(s.createdIds);
  const deleted: string[] = [];
  const transferred: [string, string][] = [];
  const sharedIds: string[] = [];
  const frozen: string[] = [];
  const written: string[] = [];
  let events = 0;
  for (const e of s.effects) {
    if (e.op === 'delete') {
      if (!created.has(e.id)) deleted.push(e.id);
    } else if (e.op === 'event') events++;
    else if (e.op === 'transfer') {
      const id = e.obj.id;
      if (rt.taken.has(id)) written.push(id);
      if (e.owner.kind === 'address') transferred.push([id, e.owner.address]);
      else if (e.owner.kind === 'shared') sharedIds.push(id);
      else frozen.push(id);
    }
  }
  // A shared or immutable object that was taken must come back the same way (or be deleted).
  for (const [id, owner] of rt.taken) {
    if (owner.kind !== 'shared' && owner.kind !== 'immutable') continue;
    const back = s.effects.find((e) => e.op === 'transfer' && e.obj.id === id);
    const gone = s.effects.some((e) => e.op === 'delete' && e.id === id);
    if (gone && owner.kind === 'shared') continue;
    if (!back || back.op !== 'transfer' || back.owner.kind !== owner.kind)
      s.abort(f, E_INVALID_SHARED_OR_IMMUTABLE_USAGE);
  }
  s.commit();
  rt.taken.clear();
  s.eventValues.length = 0;
  const createdList = s.createdIds.filter((id) => rt.objects.has(id) || transferred.some(([t]) => t === id));
  s.createdIds.length = 0;
  const vecMap = (entries: [string, string][]): Value => [entries.map(([k, v]) => [idValue(k), v])];
  const fields: Record<string, Value> = {
    created: createdList.map(idValue),
    written: written.map(idValue),
    deleted: deleted.map(idValue),
    transferred_to_account: vecMap(transferred),
    transferred_to_object: [[]],
    shared: sharedIds.map(idValue),
    frozen: frozen.map(idValue),
    num_user_events: BigInt(events),
  };
  if (effectsType.k !== TK.Datatype) throw new Error('end_transaction must return a struct');
  return [effectsType.d.fieldNames.map((n) => fields[n] ?? [])];
}

export const testScenarioNatives: NativeTable = {
  '0x2::test_scenario::take_from_address_by_id': (s, f, [t], [, account, id]) =>
    take(s, f, t!, idOf(id!), byAddress(account as string)),
  '0x2::test_scenario::most_recent_id_for_address': (s, _f, [t], [account]) => [
    optionOf(idsOf(mem(s), t!, byAddress(account as string)).pop()),
  ],
  '0x2::test_scenario::ids_for_address': (s, _f, [t], [account]) => [
    idsOf(mem(s), t!, byAddress(account as string)).map(idValue),
  ],
  '0x2::test_scenario::was_taken_from_address': (s, _f, _t, [account, id]) => [
    wasTaken(s, idOf(id!), (o) => o.kind === 'address' && o.address === account),
  ],
  '0x2::test_scenario::take_immutable_by_id': (s, f, [t], [, id]) => take(s, f, t!, idOf(id!), immutable),
  '0x2::test_scenario::most_recent_immutable_id': (s, _f, [t]) => [
    optionOf(idsOf(mem(s), t!, immutable).pop()),
  ],
  '0x2::test_scenario::was_taken_immutable': (s, _f, _t, [id]) => [
    wasTaken(s, idOf(id!), (o) => o.kind === 'immutable'),
  ],
  '0x2::test_scenario::take_shared_by_id': (s, f, [t], [, id]) => take(s, f, t!, idOf(id!), shared),
  '0x2::test_scenario::most_recent_id_shared': (s, _f, [t]) => [optionOf(idsOf(mem(s), t!, shared).pop())],
  '0x2::test_scenario::was_taken_shared': (s, _f, _t, [id]) => [
    wasTaken(s, idOf(id!), (o) => o.kind === 'shared'),
  ],
  '0x2::test_scenario::allocate_receiving_ticket_for_object': () => [0n],
  '0x2::test_scenario::deallocate_receiving_ticket_for_object': () => [],
  '0x2::test_scenario::end_transaction': (s, f) => endTransaction(s, f, f.returns[0]!),
};

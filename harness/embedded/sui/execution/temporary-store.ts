/**
 * The transaction's temporary store (Sui: `temporary_store.rs`): the objects it loaded, wrote,
 * created and deleted, its events, and the TxContext the VM's natives read. It is the Move VM's
 * object store (`ObjectRuntime`): every effect of a successful Move call lands here in order,
 * and the native commands write through the same methods.
 */
import { toHex } from '@mysten/sui/utils';
import { blake2b256 } from '../ledger/objects.ts';
import type { LedgerObject, Owner } from '../ledger/types.ts';
import { ABILITY } from '../move/module-info.ts';
import type {
  EmittedEvent,
  ObjectRuntime,
  StoredObject,
  TxContextInfo,
  Owner as VmOwner,
} from '../../movevm/index.ts';
import { ExecutionErrorKind, ExecutionFailure } from './errors.ts';
import { checkLimit } from './limits.ts';
import type { InputObject, PtbEnv, PtbOutcome } from './ptb/types.ts';
import { objectIdOf } from './ptb/values.ts';

export class TemporaryStore implements ObjectRuntime {
  /** Shared with the VM: its natives bump idsCreated. */
  readonly tx: TxContextInfo;
  /** The package and module of the Move call running now (events are attributed to it). */
  currentCall = { package: '', module: '' };
  readonly outcome: PtbOutcome = {
    written: new Map(),
    deleted: new Set(),
    created: new Set(),
    packages: [],
    events: [],
    gasUnits: 0,
    commandOutputs: [],
  };
  /** Child objects loaded from the ledger during execution (their versions feed the effects). */
  readonly childrenRead = new Map<string, LedgerObject>();
  /** Packages published by this transaction, visible to its later commands. */
  readonly pendingPackages = new Map<string, [string, Uint8Array][]>();

  constructor(
    private readonly env: PtbEnv,
    private readonly inputs: InputObject[],
    private readonly gas: InputObject | undefined,
  ) {
    this.tx = {
      sender: env.sender,
      digest: env.txDigest,
      epoch: env.epoch,
      epochTimestampMs: env.epochTimestampMs,
      idsCreated: 0n,
      referenceGasPrice: env.referenceGasPrice,
      gasPrice: env.gasPrice,
      gasBudget: env.gasBudget,
    };
  }

  /** Next object id for native commands, from the same counter the VM's natives use. */
  freshId(): string {
    const counter = new Uint8Array(8);
    new DataView(counter.buffer).setBigUint64(0, this.tx.idsCreated++, true);
    const id = '0x' + toHex(blake2b256(new Uint8Array([0xf1]), this.tx.digest, counter));
    this.outcome.created.add(id);
    return id;
  }

  newId(id: string): void {
    this.outcome.created.add(id);
  }

  deleteId(id: string): void {
    this.deleteObject(id);
  }

  emitEvent(ev: EmittedEvent): void {
    checkLimit(this.env.limits, 'max_event_emit_size', ev.bcs.length, `event ${ev.type}`);
    if (this.outcome.events.length + 1 > this.env.limits.max_num_event_emit) {
      throw new ExecutionFailure(
        ExecutionErrorKind.EFFECTS_TOO_LARGE,
        `transaction emits more than max_num_event_emit = ${this.env.limits.max_num_event_emit} events`,
      );
    }
    this.outcome.events.push({
      packageId: this.currentCall.package,
      module: this.currentCall.module,
      type: ev.type,
      bytes: ev.bcs,
      sender: this.tx.sender,
    });
  }

  transfer(obj: StoredObject, owner: VmOwner): void {
    this.place(obj.type, obj.bcs, owner.kind === 'shared' ? { kind: 'shared-new' } : owner);
  }

  /** Writes an object with its new owner (transfer, share, child write, native TransferObjects). */
  place(type: string, bytes: Uint8Array, owner: Owner | { kind: 'shared-new' }): void {
    const id = objectIdOf(bytes);
    let finalOwner: Owner;
    if (owner.kind === 'shared-new') {
      const existing = this.inputObject(id);
      if (existing && existing.object.owner.kind === 'shared') finalOwner = existing.object.owner;
      else if (!this.outcome.created.has(id)) {
        throw new ExecutionFailure(
          ExecutionErrorKind.CONSENSUS_OBJECT_OPERATION_NOT_ALLOWED,
          `object ${id} was not created in this transaction and cannot be shared`,
        );
      } else finalOwner = { kind: 'shared', initialVersion: 0n }; // the executor sets the version
    } else finalOwner = owner;
    checkLimit(this.env.limits, 'max_move_object_size', bytes.length, `object ${id} of type ${type}`);
    this.outcome.written.set(id, {
      id,
      type,
      bytes,
      owner: finalOwner,
      hasPublicTransfer: (this.env.catalog.abilitiesOf(type) & ABILITY.store) !== 0,
    });
    this.outcome.deleted.delete(id);
  }

  deleteObject(id: string): void {
    this.outcome.written.delete(id);
    this.outcome.deleted.add(id);
  }

  readChild(parent: string, childId: string): StoredObject | undefined {
    const pending = this.outcome.written.get(childId);
    if (pending) {
      return pending.owner.kind === 'object' && pending.owner.parent === parent
        ? { id: childId, type: pending.type, bcs: pending.bytes }
        : undefined;
    }
    if (this.outcome.deleted.has(childId)) return undefined;
    const obj = this.env.ledger.get(childId);
    if (!obj || obj.owner.kind !== 'object' || obj.owner.parent !== parent || obj.data.kind !== 'move')
      return undefined;
    this.childrenRead.set(childId, obj);
    return { id: childId, type: obj.data.type, bcs: obj.data.contents };
  }

  writeChild(parent: string, obj: StoredObject): void {
    this.place(obj.type, obj.bcs, { kind: 'object', parent });
  }

  removeChild(_parent: string, id: string): void {
    this.deleteObject(id);
  }

  /** The input (or gas) object with this id, as loaded. */
  inputObject(id: string): InputObject | undefined {
    if (this.gas?.object.id === id) return this.gas;
    return this.inputs.find((i) => i.object.id === id);
  }
}

/**
 * Loads the PTB's input objects from the ledger and checks each reference (Sui:
 * `transaction_input_checker::check_objects`): existence, version and digest of owned objects,
 * ownership by the sender, shared objects passed as shared with their initial version.
 */
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { GrpcCode } from '../grpc-web/status.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { LedgerObject } from '../ledger/types.ts';
import { TransactionRejected } from './errors.ts';
import type { LoadedInput, ProgrammableTx } from './ptb/types.ts';

export interface LoadedInputs {
  inputs: LoadedInput[];
  sharedInputs: { obj: LedgerObject; mutable: boolean }[];
  /** Object ids already used (a gas coin may not repeat one). */
  seen: Set<string>;
}

export function loadInputObjects(
  ledger: Ledger,
  ptb: ProgrammableTx,
  sender: string,
  checks: boolean,
): LoadedInputs {
  const seen = new Set<string>();
  const inputs: LoadedInput[] = [];
  const sharedInputs: { obj: LedgerObject; mutable: boolean }[] = [];
  for (const [i, arg] of ptb.inputs.entries()) {
    if (arg.$kind === 'Pure') {
      inputs.push({ pure: new Uint8Array(Buffer.from(arg.Pure.bytes, 'base64')) });
      continue;
    }
    if (arg.$kind !== 'Object')
      throw new TransactionRejected(`input ${i} of kind ${arg.$kind} is not supported by the embedded node`);
    const o = arg.Object;
    if (o.$kind === 'Receiving')
      throw new TransactionRejected(
        `input ${i}: Receiving object arguments are not supported by the embedded node`,
      );
    const id = normalizeSuiAddress(
      o.$kind === 'ImmOrOwnedObject' ? o.ImmOrOwnedObject.objectId : o.SharedObject.objectId,
    );
    if (seen.has(id)) throw new TransactionRejected(`object ${id} appears twice among the inputs`);
    seen.add(id);
    const obj = ledger.get(id);
    if (!obj)
      throw new TransactionRejected(
        `input ${i}: object ${id} does not exist (it was deleted, wrapped, or never created)`,
        GrpcCode.NOT_FOUND,
      );
    if (o.$kind === 'ImmOrOwnedObject') {
      const ref = o.ImmOrOwnedObject;
      if (BigInt(ref.version) !== obj.version) {
        throw new TransactionRejected(
          `input ${i}: object ${id} version ${ref.version} is not its current version ${obj.version} (stale object reference: re-read the object and rebuild the transaction)`,
          GrpcCode.FAILED_PRECONDITION,
        );
      }
      if (ref.digest !== obj.digest) {
        throw new TransactionRejected(
          `input ${i}: object ${id} digest ${ref.digest} does not match ${obj.digest} at version ${obj.version}`,
          GrpcCode.FAILED_PRECONDITION,
        );
      }
      if (obj.owner.kind === 'shared')
        throw new TransactionRejected(`input ${i}: object ${id} is shared; pass it as a shared object input`);
      if (obj.owner.kind === 'object')
        throw new TransactionRejected(
          `input ${i}: object ${id} is owned by object ${obj.owner.parent} and cannot be a transaction input`,
        );
      if (checks && obj.owner.kind === 'address' && obj.owner.address !== sender) {
        throw new TransactionRejected(
          `input ${i}: object ${id} is owned by ${obj.owner.address}, not by the sender ${sender}; only its owner can use it`,
          GrpcCode.PERMISSION_DENIED,
        );
      }
      inputs.push({ object: { object: obj, mutable: obj.owner.kind === 'address', isGas: false } });
    } else {
      const ref = o.SharedObject;
      if (obj.owner.kind !== 'shared')
        throw new TransactionRejected(
          `input ${i}: object ${id} is not shared; pass it as an owned object reference`,
        );
      if (BigInt(ref.initialSharedVersion) !== obj.owner.initialVersion) {
        throw new TransactionRejected(
          `input ${i}: shared object ${id} has initial shared version ${obj.owner.initialVersion}, not ${ref.initialSharedVersion}`,
        );
      }
      inputs.push({ object: { object: obj, mutable: ref.mutable, isGas: false } });
      sharedInputs.push({ obj, mutable: ref.mutable });
    }
  }
  return { inputs, sharedInputs, seen };
}

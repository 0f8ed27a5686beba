import type { SuiClientTypes } from '@mysten/sui/client';
import type { Signer } from '@mysten/sui/cryptography';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Transaction } from '@mysten/sui/transactions';

export type ExecutedTx = SuiClientTypes.Transaction<{ effects: true; events: true; objectTypes: true }>;

export class TransactionFailedError extends Error {
  readonly digest: string;
  readonly error: SuiClientTypes.ExecutionError | null;
  constructor(what: string, digest: string, error: SuiClientTypes.ExecutionError | null) {
    super(`${what} failed on chain (transaction ${digest}): ${describeExecutionError(error)}`);
    this.name = 'TransactionFailedError';
    this.digest = digest;
    this.error = error;
  }
}

export function describeExecutionError(error: SuiClientTypes.ExecutionError | null): string {
  if (!error) return 'unknown error';
  if (error.$kind === 'MoveAbort') {
    const a = error.MoveAbort;
    return `Move abort ${a.abortCode} in ${a.location?.module ?? '?'}::${a.location?.functionName ?? '?'}`;
  }
  return error.message ?? error.$kind;
}

/** Signs, executes and waits until the transaction is indexed; throws with the digest when it failed. */
export async function execute(
  client: SuiGrpcClient,
  signer: Signer,
  tx: Transaction,
  what: string,
): Promise<ExecutedTx> {
  const r = await client.signAndExecuteTransaction({
    transaction: tx,
    signer,
    include: { effects: true, events: true, objectTypes: true },
  });
  const done = r.$kind === 'Transaction' ? r.Transaction : r.FailedTransaction;
  if (r.$kind === 'FailedTransaction' || !done.status.success) {
    throw new TransactionFailedError(what, done.digest, done.status.success ? null : done.status.error);
  }
  await client.waitForTransaction({ digest: done.digest });
  return done;
}

/** IDs of objects this transaction created whose type ends with `::module::Struct` (or any suffix given). */
export function createdOfType(tx: ExecutedTx, typeSuffix: string): string[] {
  return tx.effects.changedObjects
    .filter((c) => c.idOperation === 'Created' && (tx.objectTypes[c.objectId] ?? '').endsWith(typeSuffix))
    .map((c) => c.objectId);
}

export function createdOne(tx: ExecutedTx, typeSuffix: string, what: string): string {
  const ids = createdOfType(tx, typeSuffix);
  if (ids.length !== 1) {
    throw new Error(
      `${what}: expected one created ${typeSuffix}, found ${ids.length} (transaction ${tx.digest})`,
    );
  }
  return ids[0]!;
}

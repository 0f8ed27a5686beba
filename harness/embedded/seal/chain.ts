/**
 * The key server's view of the chain, through the official SuiGrpcClient only — so the same
 * code checks policies against the embedded node or any real full node. The checks follow
 * MystenLabs/seal crates/key-server/src/server.rs (check_policy) and common.rs
 * (fetch_first_pkg_id): the `seal_approve*` PTB is dry-run as a transaction from the
 * certificate's user with an empty gas payment; any failure in it means NoAccess.
 */
import { GrpcTypes, RpcError, type SuiGrpcClient } from '@mysten/sui/grpc';
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { SealServerError } from './errors.ts';
import type { Ptb } from './request.ts';

/** Budget of the dry run (server.rs GAS_BUDGET). */
export const POLICY_GAS_BUDGET = 500_000_000n;

/** How long the reference gas price is reused (the real server refreshes it every 60 s). */
const GAS_PRICE_TTL_MS = 60_000;

function grpcCode(error: unknown): string | undefined {
  return error instanceof RpcError ? error.code : undefined;
}

export class PolicyChain {
  #gasPrice: { value: bigint; at: number } | undefined;
  #originals = new Map<string, string>();

  constructor(readonly client: SuiGrpcClient) {}

  async referenceGasPrice(): Promise<bigint> {
    const now = Date.now();
    if (this.#gasPrice && now - this.#gasPrice.at < GAS_PRICE_TTL_MS) return this.#gasPrice.value;
    const { referenceGasPrice } = await this.client.core.getReferenceGasPrice();
    this.#gasPrice = { value: BigInt(referenceGasPrice), at: now };
    return this.#gasPrice.value;
  }

  /** The package's original id (the id namespace of its keys); InvalidPackage when it is no package. */
  async firstPackageId(packageId: string): Promise<string> {
    const cached = this.#originals.get(packageId);
    if (cached) return cached;
    let original: string | undefined;
    try {
      const { response } = await this.client.movePackageService.getPackage({ packageId });
      original = response.package?.originalId ?? response.package?.storageId;
    } catch (error) {
      const code = grpcCode(error);
      if (code === 'NOT_FOUND' || code === 'INVALID_ARGUMENT' || code === undefined)
        throw new SealServerError('InvalidPackage');
      throw new SealServerError('Failure', `resolving package ${packageId}: ${String(error)}`);
    }
    if (!original) throw new SealServerError('InvalidPackage');
    const first = normalizeSuiAddress(original);
    this.#originals.set(packageId, first);
    return first;
  }

  /**
   * The real server clears the version and digest of every input object so that the full node
   * dry-runs against current state (sui_rpc_client.rs strip_transaction); the node here takes
   * only resolved BCS, so owned and receiving inputs get their current references instead.
   */
  async #currentObjectRefs(ptb: Ptb): Promise<void> {
    const refs = ptb.inputs.flatMap((input) => {
      if (input.$kind !== 'Object') return [];
      const arg = input.Object;
      if (arg.$kind === 'ImmOrOwnedObject') return [arg.ImmOrOwnedObject];
      if (arg.$kind === 'Receiving') return [arg.Receiving];
      return [];
    });
    if (refs.length === 0) return;
    let objects;
    try {
      ({ objects } = await this.client.core.getObjects({ objectIds: refs.map((r) => r.objectId) }));
    } catch (error) {
      throw new SealServerError('Failure', `reading input objects: ${String(error)}`);
    }
    objects.forEach((o, i) => {
      const ref = refs[i]!;
      if (o instanceof Error)
        throw new SealServerError('InvalidParameter', `object ${ref.objectId} not found`);
      ref.version = o.version;
      ref.digest = o.digest;
    });
  }

  /** Dry-runs the PTB as `sender`; resolves when every `seal_approve*` call returned. */
  async checkPolicy(sender: string, ptb: Ptb): Promise<void> {
    const price = await this.referenceGasPrice();
    await this.#currentObjectRefs(ptb);
    const txBytes = bcs.TransactionData.serialize({
      V1: {
        kind: { ProgrammableTransaction: ptb },
        sender,
        gasData: {
          payment: [],
          owner: sender,
          price: price.toString(),
          budget: POLICY_GAS_BUDGET.toString(),
        },
        expiration: { None: true },
      },
    }).toBytes();
    let status: GrpcTypes.ExecutionStatus | undefined;
    try {
      const { response } = await this.client.transactionExecutionService.simulateTransaction({
        transaction: { bcs: { value: txBytes } },
        readMask: { paths: ['transaction.effects.status', 'transaction.effects.gas_used'] },
        doGasSelection: false,
        checks: GrpcTypes.SimulateTransactionRequest_TransactionChecks.ENABLED,
      });
      status = response.transaction?.effects?.status;
    } catch (error) {
      const code = grpcCode(error);
      // server.rs: InvalidArgument (malformed) and NotFound (an input the node has not seen yet).
      if (code === 'INVALID_ARGUMENT' || code === 'NOT_FOUND')
        throw new SealServerError('InvalidParameter', error instanceof Error ? error.message : String(error));
      throw new SealServerError('Failure', `simulate transaction failed: ${String(error)}`);
    }
    if (!status) throw new SealServerError('Failure', 'simulate transaction returned no effects status');
    if (status.success) return;
    const kind = status.error?.kind;
    if (kind === GrpcTypes.ExecutionError_ExecutionErrorKind.FUNCTION_NOT_FOUND)
      throw new SealServerError('InvalidPTB', 'The seal_approve function was not found on the module');
    const description =
      status.error?.description ??
      (kind !== undefined ? GrpcTypes.ExecutionError_ExecutionErrorKind[kind] : undefined) ??
      'execution failed';
    throw new SealServerError('NoAccess', description);
  }
}

/** sui.rpc.v2.TransactionExecutionService: ExecuteTransaction and SimulateTransaction (with resolution). */
import { parseTransactionData } from '../execution/tx-reader.ts';
import { GrpcTypes } from '@mysten/sui/grpc';
import type { GrpcRouter } from '../grpc-web/router.ts';
import { GrpcError, invalidArgument } from '../grpc-web/status.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import { TransactionRejected } from '../execution/errors.ts';
import { transactionDigest, type ExecutionResult } from '../execution/executor.ts';
import { applyMask, maskTree } from './convert.ts';
import { transactionView } from './ledger-service.ts';
import { buildResolved, estimateBudget } from './resolve.ts';
import { argumentToProto, transactionToProto } from './transaction-proto.ts';

const T = GrpcTypes;

function rejected(error: unknown): never {
  if (error instanceof TransactionRejected) throw new GrpcError(error.code, error.message);
  throw error;
}

export function registerExecutionService(router: GrpcRouter, node: EmbeddedSuiNode): void {
  router.unary(
    T.TransactionExecutionService,
    'ExecuteTransaction',
    T.ExecuteTransactionRequest,
    T.ExecuteTransactionResponse,
    async (req) => {
      const bytes = req.transaction?.bcs?.value;
      if (!bytes || bytes.length === 0)
        throw invalidArgument('transaction.bcs is required: send the BCS TransactionData that was signed');
      const signatures = req.signatures.map((s, i) => {
        if (!s.bcs?.value)
          throw invalidArgument(
            `signature ${i} has no bcs bytes (serialized Sui signature: flag ‖ sig ‖ public key)`,
          );
        return s.bcs.value;
      });
      let result: ExecutionResult;
      await node.finalizationDelay(bytes);
      try {
        result = await node.executor.execute(bytes, { signatures });
      } catch (error) {
        rejected(error);
      }
      result.executed.signatures = req.signatures.map((s) => ({ bcs: s.bcs }) as GrpcTypes.UserSignature);
      node.afterCommit();
      return { transaction: transactionView(result.record!, req.readMask?.paths) };
    },
  );

  router.unary(
    T.TransactionExecutionService,
    'SimulateTransaction',
    T.SimulateTransactionRequest,
    T.SimulateTransactionResponse,
    async (req) => {
      const tx = req.transaction;
      if (!tx) throw invalidArgument('transaction is required');
      const checks = req.checks !== T.SimulateTransactionRequest_TransactionChecks.DISABLED;
      const wantsEffectsBcs = (req.readMask?.paths ?? []).some((p) =>
        [
          'transaction',
          'transaction.effects',
          'transaction.effects.bcs',
          'transaction.effects.digest',
        ].includes(p),
      );
      const simulate = async (bytes: Uint8Array) => {
        try {
          return await node.executor.execute(bytes, { simulate: true, checks, effectsBcs: wantsEffectsBcs });
        } catch (error) {
          rejected(error);
        }
      };
      let bytes: Uint8Array;
      let result: ExecutionResult;
      if (tx.bcs?.value && !tx.kind) {
        bytes = tx.bcs.value;
        result = await simulate(bytes);
      } else {
        const first = buildResolved(node, tx, req.doGasSelection ?? false);
        bytes = first.bytes;
        result = await simulate(bytes);
        if (first.estimated && result.executed.effects?.status?.success) {
          // The dry run decided the budget; the transaction is rebuilt with it (and possibly fewer
          // gas coins). Effects stay those of the dry run, which differs only in gas data.
          const price = tx.gasPayment?.price ?? node.ledger.state.referenceGasPrice;
          const budget = estimateBudget(result.executed.effects.gasUsed, price);
          bytes = first.withBudget(budget);
        }
      }
      const data = parseTransactionData(bytes).V1;
      const digest = transactionDigest(bytes);
      const executed: GrpcTypes.ExecutedTransaction = {
        ...result.executed,
        digest,
        transaction: transactionToProto(data, bytes, digest),
      };
      const paths = (req.readMask?.paths ?? [])
        .filter((p) => p.startsWith('transaction.'))
        .map((p) => p.slice('transaction.'.length));
      return {
        transaction: applyMask(executed, maskTree(paths.length ? paths : ['digest', 'effects.status'])),
        commandOutputs: (result.commandOutputs ?? []).map((c) => ({
          returnValues: c.returns.map((v) => ({ value: { name: v.type, value: v.bytes } })),
          mutatedByRef: c.mutated.map((m) => ({
            argument: argumentToProto(m.argument),
            value: { name: m.value.type, value: m.value.bytes },
          })),
        })),
        suggestedGasPrice: node.ledger.state.referenceGasPrice,
      };
    },
  );
}

/** sui.rpc.v2.LedgerService: service info, objects, transactions, checkpoints, epochs, events. */
import { parseTransactionData } from '../execution/tx-reader.ts';
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress, isValidSuiAddress } from '@mysten/sui/utils';
import type { GrpcRouter } from '../grpc-web/router.ts';
import { GrpcCode, GrpcError, invalidArgument, notFound } from '../grpc-web/status.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import { transactionToProto } from './transaction-proto.ts';
import {
  applyMask,
  checkpointToProto,
  eventToProto,
  maskTree,
  objectToProto,
  subMask,
  timestampOf,
} from './convert.ts';
import { boundaryCursor, itemCursor, validateListEvents } from './event-query.ts';
import { PROTOCOL_VERSION } from '../execution/gas.ts';
import { eventFilter, transactionFilter } from './filters.ts';
import type { CheckpointRecord, EventRecord, TransactionRecord } from '../ledger/ledger.ts';

const T = GrpcTypes;
const DEFAULT_OBJECT_MASK = ['object_id', 'version', 'digest'];
const DEFAULT_TX_MASK = ['digest'];
const FULL_TX_PATHS = [
  'digest',
  'transaction',
  'signatures',
  'effects',
  'events',
  'balance_changes',
  'checkpoint',
  'timestamp',
];
const DEFAULT_CHECKPOINT_MASK = ['sequence_number', 'digest'];
const MAX_PAGE = 1000;

export function parseObjectId(id: string | undefined, what = 'object_id'): string {
  if (!id || !isValidSuiAddress(normalizeSuiAddress(id)))
    throw invalidArgument(`${what} '${id ?? ''}' is not a valid object id (0x + up to 64 hex digits)`);
  return normalizeSuiAddress(id);
}

export function readObject(
  node: EmbeddedSuiNode,
  req: { objectId?: string; version?: bigint },
  paths: string[] | undefined,
): GrpcTypes.Object {
  const id = parseObjectId(req.objectId);
  const obj = req.version !== undefined ? node.ledger.getAt(id, req.version) : node.ledger.get(id);
  if (!obj) {
    throw notFound(
      req.version !== undefined
        ? `object ${id} at version ${req.version} not found`
        : `object ${id} not found (deleted, wrapped or never created)`,
    );
  }
  return applyMask(objectToProto(obj), maskTree(paths?.length ? paths : DEFAULT_OBJECT_MASK));
}

/** Full ExecutedTransaction view of a record, filtered by a read mask. */
export function transactionView(
  record: TransactionRecord,
  paths: readonly string[] | undefined,
): GrpcTypes.ExecutedTransaction {
  const mask = maskTree(paths?.length ? paths : DEFAULT_TX_MASK);
  const full = { ...record.executed };
  const txMask = subMask(mask, 'transaction');
  if (!mask || mask.has('transaction')) {
    const bytes = record.executed.transaction?.bcs?.value;
    if (bytes && (txMask === undefined || [...txMask.keys()].some((k) => k !== 'bcs' && k !== 'digest'))) {
      full.transaction = transactionToProto(parseTransactionData(bytes).V1, bytes, record.digest);
    }
  }
  return applyMask(full, mask);
}

/** Checkpoint filtered by a read mask; full transactions only when the mask asks for them. */
export function checkpointView(
  node: EmbeddedSuiNode,
  c: CheckpointRecord,
  paths: readonly string[] | undefined,
): GrpcTypes.Checkpoint {
  const mask = maskTree(paths?.length ? paths : DEFAULT_CHECKPOINT_MASK);
  const proto = checkpointToProto(
    c,
    (tx) => node.ledger.state.transactions.get(tx)?.executed.effects?.digest,
  );
  if (mask?.has('transactions')) {
    // `transactions.events` etc. select fields of each transaction, as the real server's mask does;
    // `transactions` alone means all of them.
    const sub = (paths ?? [])
      .filter((p) => p.startsWith('transactions.'))
      .map((p) => p.slice('transactions.'.length));
    const txPaths = sub.length ? sub : FULL_TX_PATHS;
    proto.transactions = c.transactions.flatMap((d) => {
      const r = node.ledger.state.transactions.get(d);
      return r ? [transactionView(r, txPaths)] : [];
    });
  }
  return applyMask(proto, mask);
}

export function registerLedgerService(router: GrpcRouter, node: EmbeddedSuiNode): void {
  router.unary(T.LedgerService, 'GetServiceInfo', T.GetServiceInfoRequest, T.GetServiceInfoResponse, () => {
    const tip = node.latestCheckpoint;
    return {
      chainId: node.chainId,
      chain: 'localnet',
      epoch: node.ledger.state.epoch,
      checkpointHeight: tip.sequenceNumber,
      timestamp: timestampOf(tip.timestampMs),
      lowestAvailableCheckpoint: 0n,
      lowestAvailableCheckpointObjects: 0n,
      // A real node says e.g. "sui-node/1.71.0"; the embedded one names the release it imitates.
      server: `k3s-daas-embedded-sui/0.1 (rpc profile ${node.rpcProfile})`,
    };
  });

  router.unary(T.LedgerService, 'GetObject', T.GetObjectRequest, T.GetObjectResponse, (req) => ({
    object: readObject(node, req, req.readMask?.paths),
  }));

  router.unary(
    T.LedgerService,
    'BatchGetObjects',
    T.BatchGetObjectsRequest,
    T.BatchGetObjectsResponse,
    (req) => ({
      objects: req.requests.map((r) => {
        try {
          return {
            result: {
              oneofKind: 'object' as const,
              object: readObject(node, r, r.readMask?.paths ?? req.readMask?.paths),
            },
          };
        } catch (error) {
          const e = error instanceof GrpcError ? error : new GrpcError(GrpcCode.INTERNAL, String(error));
          return {
            result: { oneofKind: 'error' as const, error: { code: e.code, message: e.message, details: [] } },
          };
        }
      }),
    }),
  );

  const getTx = (digest: string | undefined, paths: readonly string[] | undefined) => {
    if (!digest) throw invalidArgument('digest is required');
    const record = node.ledger.state.transactions.get(digest);
    if (!record) throw notFound(`transaction ${digest} not found (not executed on this chain)`);
    return transactionView(record, paths);
  };
  router.unary(
    T.LedgerService,
    'GetTransaction',
    T.GetTransactionRequest,
    T.GetTransactionResponse,
    (req) => ({
      transaction: getTx(req.digest, req.readMask?.paths),
    }),
  );
  router.unary(
    T.LedgerService,
    'BatchGetTransactions',
    T.BatchGetTransactionsRequest,
    T.BatchGetTransactionsResponse,
    (req) => ({
      transactions: req.digests.map((d) => {
        try {
          return {
            result: { oneofKind: 'transaction' as const, transaction: getTx(d, req.readMask?.paths) },
          };
        } catch (error) {
          const e = error as GrpcError;
          return {
            result: {
              oneofKind: 'error' as const,
              error: { code: e.code ?? GrpcCode.INTERNAL, message: e.message, details: [] },
            },
          };
        }
      }),
    }),
  );

  router.unary(T.LedgerService, 'GetCheckpoint', T.GetCheckpointRequest, T.GetCheckpointResponse, (req) => {
    const all = node.ledger.state.checkpoints;
    const id = req.checkpointId;
    const c =
      id.oneofKind === 'sequenceNumber'
        ? all[Number(id.sequenceNumber)]
        : id.oneofKind === 'digest'
          ? all.find((x) => x.digest === id.digest)
          : all.at(-1);
    if (!c)
      throw notFound(
        `checkpoint ${id.oneofKind === 'sequenceNumber' ? id.sequenceNumber : id.oneofKind === 'digest' ? id.digest : ''} not found`,
      );
    return { checkpoint: checkpointView(node, c, req.readMask?.paths) };
  });

  router.unary(T.LedgerService, 'GetEpoch', T.GetEpochRequest, T.GetEpochResponse, (req) => {
    const state = node.ledger.state;
    const past =
      req.epoch !== undefined && req.epoch !== state.epoch
        ? state.epochs?.find((e) => e.epoch === req.epoch)
        : undefined;
    if (req.epoch !== undefined && req.epoch !== state.epoch && !past)
      throw notFound(`epoch ${req.epoch} not found; the current epoch is ${state.epoch}`);
    const number = past?.epoch ?? state.epoch;
    const startMs = past?.startMs ?? state.epochStartMs;
    const epoch: GrpcTypes.Epoch = {
      epoch: number,
      firstCheckpoint: past?.firstCheckpoint ?? state.epochFirstCheckpoint ?? 0n,
      ...(past ? { lastCheckpoint: past.lastCheckpoint, end: timestampOf(past.endMs) } : {}),
      start: timestampOf(startMs),
      referenceGasPrice: past?.referenceGasPrice ?? state.referenceGasPrice,
      protocolConfig: {
        protocolVersion: BigInt(PROTOCOL_VERSION), // the gas schedule's (Sui 1.71)
        configs: {},
        featureFlags: {},
        attributes: Object.fromEntries(Object.entries(node.limits).map(([k, v]) => [k, String(v)])),
      },
      systemState: {
        version: 2n,
        epoch: number,
        protocolVersion: BigInt(PROTOCOL_VERSION), // the gas schedule's (Sui 1.71)
        referenceGasPrice: past?.referenceGasPrice ?? state.referenceGasPrice,
        epochStartTimestampMs: startMs,
        parameters: { epochDurationMs: BigInt(node.epochDurationMs) },
        safeMode: false,
        validatorReportRecords: [],
        extraFields: undefined,
      },
    };
    return {
      epoch: applyMask(
        epoch,
        maskTree(req.readMask?.paths?.length ? req.readMask.paths : ['epoch', 'reference_gas_price']),
      ),
    };
  });

  router.stream(
    T.LedgerService,
    'ListEvents',
    T.ListEventsRequest,
    T.ListEventsResponse,
    async (req, _ctx, send) => {
      // Framing and checks as the real server's (services/event-query.ts names the Sui files).
      const q = validateListEvents(req);
      const match = eventFilter(req.filter);
      const mask = maskTree(req.readMask?.paths);
      const tip = node.latestCheckpoint.sequenceNumber;
      const startCp = req.startCheckpoint ?? 0n;
      const endCp = req.endCheckpoint !== undefined && req.endCheckpoint < tip ? req.endCheckpoint : tip;
      const all = node.ledger.state.events;
      // Only checkpointed events are listed: the checkpointed ones are a prefix of the event log.
      let checkpointed = all.length;
      while (checkpointed > 0 && all[checkpointed - 1]!.checkpoint === undefined) checkpointed--;
      const inRange = (e: EventRecord) => e.checkpoint! >= startCp && e.checkpoint! <= endCp;
      const lo = q.from;
      const hi = q.until !== undefined && q.until < BigInt(checkpointed) ? q.until : BigInt(checkpointed);
      const step = q.descending ? -1n : 1n;
      let scanned = 0;
      let sent = 0;
      // The last checkpoint the scan has fully covered (ascending), for the item watermarks.
      let covered: bigint | undefined;
      for (let seq = q.descending ? hi - 1n : lo; q.descending ? seq >= lo : seq < hi; seq += step) {
        const e = all[Number(seq)]!;
        if (!q.descending && e.checkpoint! > endCp) break;
        if (scanned >= node.listEventsScanBudget) {
          send({
            watermark: { cursor: boundaryCursor(q.descending ? seq + 1n : seq), checkpoint: covered },
            end: { reason: T.QueryEndReason.SCAN_LIMIT },
          });
          return;
        }
        scanned++;
        if (!q.descending && e.checkpoint! > startCp) covered = e.checkpoint! - 1n;
        if (!inRange(e) || !match(e)) continue;
        sent++;
        const last = sent >= q.limit;
        send({
          event: applyMask(eventToProto(e), mask),
          watermark: { cursor: itemCursor(e.seq), checkpoint: q.descending ? undefined : covered },
          ...(last ? { end: { reason: T.QueryEndReason.ITEM_LIMIT } } : {}),
        });
        if (last) return;
      }
      const cursorBound = q.until !== undefined && q.until < BigInt(checkpointed);
      const reason = cursorBound
        ? T.QueryEndReason.CURSOR_BOUND
        : endCp < tip
          ? T.QueryEndReason.CHECKPOINT_BOUND
          : T.QueryEndReason.LEDGER_TIP;
      send({
        watermark: {
          cursor: boundaryCursor(q.descending ? lo : hi),
          checkpoint: q.descending ? startCp : cursorBound ? covered : endCp,
        },
        end: { reason },
      });
    },
  );

  router.stream(
    T.LedgerService,
    'ListTransactions',
    T.ListTransactionsRequest,
    T.ListTransactionsResponse,
    async (req, _ctx, send) => {
      const match = transactionFilter(req.filter);
      const limit = Math.min(req.options?.limit ?? 50, MAX_PAGE);
      const after = req.options?.after ? decodeCursor(req.options.after) : undefined;
      const before = req.options?.before ? decodeCursor(req.options.before) : undefined;
      const records = node.ledger.state.transactionOrder
        .map((d) => node.ledger.state.transactions.get(d)!)
        .filter(
          (r) =>
            r.executed.checkpoint !== undefined &&
            (after === undefined || r.seq > after) &&
            (before === undefined || r.seq < before),
        );
      if (req.options?.ordering === T.Ordering.DESCENDING) records.reverse();
      let sent = 0;
      for (const r of records) {
        const data = parseTransactionData(r.executed.transaction!.bcs!.value!).V1;
        const calls = (data.kind.ProgrammableTransaction?.commands ?? []).flatMap((c) =>
          c.MoveCall
            ? [`${normalizeSuiAddress(c.MoveCall.package)}::${c.MoveCall.module}::${c.MoveCall.function}`]
            : [],
        );
        if (!match(r, normalizeSuiAddress(data.sender), calls)) continue;
        if (sent >= limit) {
          send({ end: { reason: T.QueryEndReason.ITEM_LIMIT } });
          return;
        }
        send({
          transaction: transactionView(r, req.readMask?.paths),
          watermark: { cursor: encodeCursor(r.seq), checkpoint: r.executed.checkpoint },
        });
        sent++;
      }
      send({
        watermark: { checkpoint: node.latestCheckpoint.sequenceNumber },
        end: { reason: T.QueryEndReason.LEDGER_TIP },
      });
    },
  );
}

export function encodeCursor(seq: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, seq, false);
  return out;
}

export function decodeCursor(bytes: Uint8Array): bigint {
  if (bytes.length !== 8)
    throw invalidArgument(`cursor must be 8 bytes (from a previous response), got ${bytes.length}`);
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
}

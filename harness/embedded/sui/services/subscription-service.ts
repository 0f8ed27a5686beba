/** sui.rpc.v2.SubscriptionService: checkpoints, transactions and events as they are sealed, from the tip. */
import { parseTransactionData } from '../execution/tx-reader.ts';
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import type { CallContext, DeepPartial, GrpcRouter } from '../grpc-web/router.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import type { CheckpointRecord } from '../ledger/ledger.ts';
import { applyMask, eventToProto, maskTree } from './convert.ts';
import { eventFilter, transactionFilter } from './filters.ts';
import { checkpointView, encodeCursor, transactionView } from './ledger-service.ts';
import { boundaryCursor, itemCursor, validateEventFilter } from './event-query.ts';

const T = GrpcTypes;

/** Calls `onCheckpoint` for every sealed checkpoint until the client goes away. */
function follow(
  node: EmbeddedSuiNode,
  ctx: CallContext,
  onCheckpoint: (c: CheckpointRecord) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const listener = (c: CheckpointRecord) => onCheckpoint(c);
    node.on('checkpoint', listener);
    const done = () => {
      node.off('checkpoint', listener);
      resolve();
    };
    if (ctx.signal.aborted) done();
    else ctx.signal.addEventListener('abort', done, { once: true });
  });
}

export function registerSubscriptionService(router: GrpcRouter, node: EmbeddedSuiNode): void {
  router.stream(
    T.SubscriptionService,
    'SubscribeCheckpoints',
    T.SubscribeCheckpointsRequest,
    T.SubscribeCheckpointsResponse,
    (req, ctx, send) => {
      return follow(node, ctx, (c) => {
        send({ cursor: c.sequenceNumber, checkpoint: checkpointView(node, c, req.readMask?.paths) });
      });
    },
  );

  router.stream(
    T.SubscriptionService,
    'SubscribeTransactions',
    T.SubscribeTransactionsRequest,
    T.SubscribeTransactionsResponse,
    (req, ctx, send) => {
      const match = transactionFilter(req.filter);
      return follow(node, ctx, (c) => {
        for (const digest of c.transactions) {
          const r = node.ledger.state.transactions.get(digest);
          if (!r) continue;
          const data = parseTransactionData(r.executed.transaction!.bcs!.value!).V1;
          const calls = (data.kind.ProgrammableTransaction?.commands ?? []).flatMap((cmd) =>
            cmd.MoveCall
              ? [
                  `${normalizeSuiAddress(cmd.MoveCall.package)}::${cmd.MoveCall.module}::${cmd.MoveCall.function}`,
                ]
              : [],
          );
          if (!match(r, normalizeSuiAddress(data.sender), calls)) continue;
          send({
            transaction: transactionView(r, req.readMask?.paths),
            watermark: { cursor: encodeCursor(r.seq), checkpoint: c.sequenceNumber },
          });
        }
      });
    },
  );

  router.stream(
    T.SubscriptionService,
    'SubscribeEvents',
    T.SubscribeEventsRequest,
    T.SubscribeEventsResponse,
    (req, ctx, send) => {
      // Framing as subscription_service.rs frames it (see services/event-query.ts).
      validateEventFilter(req.filter);
      const match = eventFilter(req.filter);
      const mask = maskTree(req.readMask?.paths);
      const filtered = req.filter !== undefined;
      const events = node.ledger.state.events;
      let next = BigInt(events.length);
      while (next > 0n && events[Number(next) - 1]!.checkpoint === undefined) next--;
      const entry = node.latestCheckpoint.sequenceNumber;
      // A filtered stream opens with a progress-only frame establishing its start position.
      if (filtered) send({ watermark: { cursor: boundaryCursor(next), checkpoint: entry } });
      let quiet = 0;
      return follow(node, ctx, (c) => {
        let matched = 0;
        const covered = c.sequenceNumber - 1n > entry ? c.sequenceNumber - 1n : entry;
        for (const digest of c.transactions) {
          for (const e of node.ledger.state.transactions.get(digest)?.events ?? []) {
            next = e.seq + 1n;
            if (!match(e)) continue;
            matched++;
            const message: DeepPartial<GrpcTypes.SubscribeEventsResponse> = {
              event: applyMask(eventToProto(e), mask),
              watermark: { cursor: itemCursor(e.seq), checkpoint: covered },
            };
            send(message);
          }
        }
        quiet = matched > 0 ? 0 : quiet + 1;
        if (filtered && quiet >= node.subscriptionWatermarkInterval) {
          quiet = 0;
          send({ watermark: { cursor: boundaryCursor(next), checkpoint: c.sequenceNumber } });
        }
      });
    },
  );
}

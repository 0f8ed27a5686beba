/**
 * The production ChainPort: signs `execute_kubectl_command_with_id` with the
 * identity's key, submits it with SuiGrpcClient, and waits for the stored
 * response (event stream + object polling, see ResponseWatcher).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { Transaction } from '@mysten/sui/transactions';
import {
  K8sAPIRequestBcs,
  MAX_PAYLOAD_LIMIT,
  MODULE,
  decodeBody,
  encodeBody,
  executeKubectlCommand,
  lookupAbort,
  parseMoveAbort,
} from '../contract/index.ts';
import { structName } from '../shared/sui-events.ts';
import type { Keystore } from '../shared/keystore.ts';
import type { Logger } from '../shared/logger.ts';
import { KeyedMutex } from '../shared/keyed-mutex.ts';
import { failureStatus, statuses } from '../shared/k8s-status.ts';
import type { ChainOutcome, ChainPort, ChainRequest } from './chain-port.ts';
import { statusForExecutionError } from './abort-status.ts';
import { ResponseTimeout, ResponseWatcher } from './response-watcher.ts';

export interface SuiChainPortOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  keystore: Keystore;
  logger: Logger;
  /** How long to wait for a stored response before answering 504. Default 30 s. */
  responseTimeoutMs?: number;
  /** Fee paid per request, in MIST (must be ≥ the cluster's request_fee). Default 0. */
  requestFee?: bigint;
  /** Gas budget per request transaction, in MIST. Default 0.1 SUI. */
  gasBudget?: bigint;
  pollIntervalMs?: number;
  useEvents?: boolean;
}

export class SuiChainPort implements ChainPort {
  readonly watcher: ResponseWatcher;
  private readonly perSigner = new KeyedMutex();
  private gasPrice?: bigint;

  constructor(private readonly opts: SuiChainPortOptions) {
    const w: ConstructorParameters<typeof ResponseWatcher>[0] = { client: opts.client, packageId: opts.packageId, clusterId: opts.clusterId, logger: opts.logger };
    if (opts.pollIntervalMs !== undefined) w.pollIntervalMs = opts.pollIntervalMs;
    if (opts.useEvents !== undefined) w.useEvents = opts.useEvents;
    this.watcher = new ResponseWatcher(w);
  }

  start(): void {
    this.watcher.start();
  }

  async close(): Promise<void> {
    await this.watcher.stop();
  }

  private async referenceGasPrice(): Promise<bigint> {
    if (this.gasPrice === undefined) {
      const { referenceGasPrice } = await this.opts.client.getReferenceGasPrice();
      this.gasPrice = BigInt(referenceGasPrice);
    }
    return this.gasPrice;
  }

  async execute(req: ChainRequest): Promise<ChainOutcome> {
    const { identity, fields, trace } = req;
    const log = this.opts.logger.child({ requestId: req.requestId, identity: identity.name });
    if (identity.clusterId.toLowerCase() !== this.opts.clusterId.toLowerCase()) {
      return { kind: 'status', status: statuses.unauthorized(`identity "${identity.name}" holds a token for cluster ${identity.clusterId}, but this gateway serves ${this.opts.clusterId}`) };
    }
    const signer = this.opts.keystore.get(identity.address);
    if (!signer) return { kind: 'status', status: statuses.internal(`the gateway keystore has no key for ${identity.address} (identity "${identity.name}")`) };

    const encoded = encodeBody(req.body);
    if (encoded.bytes.length > MAX_PAYLOAD_LIMIT) {
      return { kind: 'status', status: statuses.tooLarge(`request body is ${encoded.bytes.length} bytes after compression; the contract accepts at most ${MAX_PAYLOAD_LIMIT} bytes per request`) };
    }

    const tx = new Transaction();
    tx.setSender(identity.address);
    tx.setGasBudget(this.opts.gasBudget ?? 100_000_000n);
    tx.setGasPrice(await this.referenceGasPrice());
    executeKubectlCommand(tx, this.opts.packageId, {
      cluster: this.opts.clusterId,
      token: identity.sealTokenId,
      requestId: req.requestId,
      ...fields,
      contentType: req.mediaField,
      contentEncoding: encoded.contentEncoding,
      payload: encoded.bytes,
      fee: this.opts.requestFee ?? 0n,
    });

    const pending = this.watcher.prepare(req.requestId);
    let digest = '';
    let requestObjectId = '';
    try {
      trace.mark('tx_submitted');
      let result;
      try {
        result = await this.perSigner.run(identity.address, () =>
          this.opts.client.signAndExecuteTransaction({ transaction: tx, signer, include: { effects: true, events: true } }),
        );
      } catch (e) {
        // Build-time dry runs surface aborts as exceptions.
        const abort = parseMoveAbort(e);
        const info = abort && (abort.module === undefined || abort.module === MODULE) ? lookupAbort(abort.code) : undefined;
        if (info) return { kind: 'status', status: failureStatus(info.httpStatus, `${info.message} [${info.name}]: ${req.description} (rejected before submission)`, info.reason) };
        log.error({ err: (e as Error).message }, 'transaction submission failed');
        return { kind: 'status', status: statuses.unavailable(`could not submit the transaction to Sui: ${(e as Error).message}`) };
      }
      trace.mark('tx_executed');
      const txResult = result.Transaction ?? result.FailedTransaction;
      digest = txResult.digest;
      trace.record.txDigest = digest;
      if (!txResult.status.success) {
        const status = statusForExecutionError(txResult.status.error, lookupAbort, { digest, module: MODULE, detail: `${req.description} by ${identity.address} with SealToken ${identity.sealTokenId}` });
        log.info({ txDigest: digest, code: status.code, reason: status.reason }, 'contract rejected the request');
        return { kind: 'status', status, txDigest: digest };
      }
      const ev = (txResult.events ?? []).find((e) => structName(e.eventType) === 'K8sAPIRequest');
      if (!ev) return { kind: 'status', status: statuses.internal(`transaction ${digest} emitted no K8sAPIRequest event`), txDigest: digest };
      requestObjectId = K8sAPIRequestBcs.parse(ev.bcs).request_object_id;
      log.debug({ txDigest: digest, requestObjectId }, 'request recorded on chain');

      const timeoutMs = this.opts.responseTimeoutMs ?? 30_000;
      let answered;
      try {
        answered = await pending.wait(requestObjectId, timeoutMs);
      } catch (e) {
        if (e instanceof ResponseTimeout) {
          return { kind: 'status', status: statuses.timeout(`no executor stored a response within ${timeoutMs} ms for request ${req.requestId} (object ${requestObjectId}, transaction ${digest}); it may still run — check "k3s-daas audit"`), txDigest: digest };
        }
        throw e;
      }
      trace.mark('gateway_saw_response');
      let body: Uint8Array;
      try {
        body = decodeBody(Uint8Array.from(answered.response_body), answered.response_content_encoding, Uint8Array.from(answered.response_digest));
      } catch (e) {
        return { kind: 'status', status: statuses.internal(`stored response of ${requestObjectId} is corrupt: ${(e as Error).message} (transaction ${digest})`), txDigest: digest };
      }
      return {
        kind: 'response',
        txDigest: digest,
        requestObjectId,
        statusCode: answered.status_code,
        contentType: answered.response_content_type,
        body: Buffer.from(body),
      };
    } finally {
      pending.cancel();
    }
  }
}

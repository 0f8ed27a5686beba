/**
 * The production ChainPort: signs `execute_kubectl_command_with_id` with the
 * identity's key, submits it with SuiGrpcClient, and waits for the stored
 * response (event stream + object polling, see ResponseWatcher).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  BodyCodecError,
  K8sAPIRequestBcs,
  SealTokenBcs,
  ClusterBcs,
  MAX_PAYLOAD_LIMIT,
  decodeBody,
  encodeBody,
  executeKubectlCommand,
} from '../contract/index.ts';
import type { Keypair } from '@mysten/sui/cryptography';
import type { Transaction } from '@mysten/sui/transactions';
import { TxRunner, type TxOutcome } from '../sui/tx-runner.ts';
import type { K8sStatus } from '../k8s/status.ts';
import { structName } from '../sui/events.ts';
import type { Keystore } from '../sui/keystore.ts';
import type { Logger } from '../shared/logger.ts';
import { failureStatus, statuses } from '../k8s/status.ts';
import type {
  Authorization,
  ChainOutcome,
  ChainPort,
  ChainRequest,
  ReadinessCheck,
  TokenRules,
} from './chain-port.ts';
import { discoveryFields } from '../k8s/discovery-fields.ts';
import type { Identity } from '../shared/identities.ts';
import type { K8sRequestFields } from '../k8s/request.ts';
import { randomUUID } from 'node:crypto';
import { ResponseTimeout, ResponseWatcher } from './response-watcher.ts';
import { AnswerReader, AnswerRejected } from './answer-reader.ts';
import type { GatewaySeal, SealedRequest } from '../confidentiality/gateway-seal.ts';
import { sealStatus } from '../confidentiality/status.ts';
import type { Impersonation } from './impersonation.ts';

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
  /**
   * Confidentiality (Seal), following the Cluster's setting: payloads encrypted for the
   * executors, answers decrypted with the requester's key. Absent = the cluster must be `none`
   * (the contract refuses clear payloads on a Seal cluster).
   */
  seal?: GatewaySeal;
}

/** How long `/readyz` waits for the Sui node before it reports the chain unreachable. */
const READINESS_TIMEOUT_MS = 5_000;

export class SuiChainPort implements ChainPort {
  readonly watcher: ResponseWatcher;
  private readonly answers: AnswerReader;

  constructor(private opts: SuiChainPortOptions) {
    this.answers = new AnswerReader(opts.client, opts.clusterId);
    const w: ConstructorParameters<typeof ResponseWatcher>[0] = {
      client: opts.client,
      packageId: opts.packageId,
      clusterId: opts.clusterId,
      logger: opts.logger,
      answers: this.answers,
    };
    if (opts.pollIntervalMs !== undefined) w.pollIntervalMs = opts.pollIntervalMs;
    if (opts.useEvents !== undefined) w.useEvents = opts.useEvents;
    this.watcher = new ResponseWatcher(w);
  }

  /** Seal work done so far (encryptions, decryptions, key fetches): metrics and the benchmark. */
  sealStats(): ReturnType<GatewaySeal['stats']> {
    return this.opts.seal?.stats() ?? { encryptions: 0, decryptions: 0, keyFetchCalls: 0, keyFetchRounds: 0 };
  }

  /** Swap the keystore (new identities' keys); in-flight requests keep their signer. */
  setKeystore(keystore: Keystore): void {
    this.opts.keystore = keystore;
  }

  start(): void {
    this.watcher.start();
  }

  async close(): Promise<void> {
    await this.watcher.stop();
  }

  private readonly runners = new Map<string, TxRunner>();

  private runnerFor(signer: Keypair): TxRunner {
    const address = signer.toSuiAddress();
    let r = this.runners.get(address);
    if (!r) {
      r = new TxRunner(
        this.opts.client,
        signer,
        this.opts.gasBudget !== undefined ? { gasBudget: this.opts.gasBudget } : {},
      );
      this.runners.set(address, r);
    }
    return r;
  }

  /** Kubernetes Status for a rejected request: the failed check, the request, the digest — and for a permission failure, the token's rules. */
  private async rejection(o: TxOutcome, req: ChainRequest, digest: string): Promise<K8sStatus> {
    // The SDK's gRPC resolver simulates before signing, so most rejections are caught before anything is submitted.
    const tx = digest
      ? ` (transaction ${digest})`
      : ' (rejected by the contract during transaction simulation; nothing was submitted)';
    if (!o.abort) return statuses.internal(`transaction failed: ${o.error ?? 'unknown error'}${tx}`);
    let detail = `${req.description} by ${req.identity.address} with SealToken ${req.identity.sealTokenId}`;
    if (o.abort.name === 'EPermissionDenied') {
      const rules = await this.describeTokenRules(req.identity.sealTokenId).catch(() => undefined);
      if (rules) detail += `; the token's rules are: ${rules}`;
    }
    return failureStatus(
      o.abort.httpStatus,
      `${o.abort.message} [${o.abort.name}]: ${detail}${tx}`,
      o.abort.reason,
    );
  }

  private async describeTokenRules(tokenId: string): Promise<string> {
    const { object } = await this.opts.client.getObject({ objectId: tokenId, include: { content: true } });
    const t = SealTokenBcs.parse(object.content);
    const l = (xs: string[]) => (xs.length === 0 ? '(any)' : xs.map((x) => (x === '' ? '""' : x)).join(','));
    return t.rules
      .map(
        (r, i) =>
          `#${i + 1} verbs=${l(r.verbs)} groups=${l(r.api_groups)} resources=${l(r.resources)} namespaces=${l(r.namespaces)} names=${l(r.resource_names)}`,
      )
      .join('; ');
  }

  /**
   * kubectl auth can-i --list: the SealToken's rules, minus what the contract would refuse
   * anyway — everything if a read is refused for the token itself (expired, revoked, paused),
   * the write verbs if the stake is below the cluster's minimum.
   */
  async tokenRules(identity: Identity): Promise<TokenRules> {
    const read = (objectId: string) =>
      this.opts.client.getObject({ objectId, include: { content: true } }).then((r) => r.object.content);
    const [token, cluster, probe] = await Promise.all([
      read(identity.sealTokenId).then((c) => SealTokenBcs.parse(c)),
      read(this.opts.clusterId).then((c) => ClusterBcs.parse(c)),
      // A read every token may make: refused only for the token itself (expired, revoked, paused).
      this.authorize({ identity, fields: discoveryFields('/api', '')! }),
    ]);
    const out: TokenRules = {
      rules: token.rules.map((r) => ({
        verbs: r.verbs,
        apiGroups: r.api_groups,
        resources: r.resources,
        namespaces: r.namespaces,
        resourceNames: r.resource_names,
      })),
    };
    if (!probe.allowed && !/EPermissionDenied/.test(probe.reason)) out.refused = probe.reason;
    const minimum = BigInt(cluster.config.min_write_stake);
    const staked = BigInt(token.stake.value);
    if (staked < minimum) out.writesNeedStake = { minimum, staked };
    return out;
  }

  /**
   * `/readyz`: the Cluster object read from the chain (reachability), not paused, and at least
   * one executor registered (without one every request waits for its timeout). Whether a
   * registered executor's listener is running is not visible on chain.
   */
  async readiness(): Promise<ReadinessCheck[]> {
    let cluster;
    try {
      const { object } = await this.opts.client.getObject({
        objectId: this.opts.clusterId,
        include: { content: true },
        signal: AbortSignal.timeout(READINESS_TIMEOUT_MS),
      });
      cluster = ClusterBcs.parse(object.content);
    } catch (e) {
      return [
        {
          name: 'chain',
          ok: false,
          reason: `cannot read the Cluster object ${this.opts.clusterId}: ${(e as Error).message}`,
        },
      ];
    }
    return [
      { name: 'chain', ok: true },
      cluster.paused
        ? {
            name: 'cluster',
            ok: false,
            reason: `cluster "${cluster.name}" is paused by its admin (k3s-daas cluster resume)`,
          }
        : { name: 'cluster', ok: true },
      BigInt(cluster.active_executors) === 0n
        ? {
            name: 'executors',
            ok: false,
            reason:
              'no executor is registered for the cluster (k3s-daas executor admit <address>, then start the listener with --register-stake)',
          }
        : { name: 'executors', ok: true },
    ];
  }

  private buildCall(
    tx: Transaction,
    identity: Identity,
    requestId: string,
    fields: K8sRequestFields,
    body: {
      contentType: string;
      accept: string;
      contentEncoding: string;
      payload: Uint8Array;
      responseSealId?: Uint8Array;
    },
    impersonate?: Impersonation,
  ) {
    return executeKubectlCommand(tx, this.opts.packageId, {
      cluster: this.opts.clusterId,
      token: identity.sealTokenId,
      requestId,
      ...fields,
      ...body,
      ...(impersonate ? { impersonateUser: impersonate.user, impersonateGroups: impersonate.groups } : {}),
      fee: this.opts.requestFee ?? 0n,
    });
  }

  /** 502: the executor's answer failed the gateway's checks; never passed on. */
  private rejectedAnswer(
    e: Error,
    req: ChainRequest,
    requestObjectId: string,
    executor: string,
    executorObjectId: string,
    digest: string,
    log: Logger,
  ): ChainOutcome {
    log.error({ err: e.message, requestObjectId, executor }, 'executor answer rejected');
    return {
      kind: 'status',
      status: statuses.badGateway(
        `the executor's answer to request ${req.requestId} (object ${requestObjectId}) was rejected: ${e.message}; it was not passed on — report executor ${executorObjectId} to the cluster administrator`,
      ),
      txDigest: digest,
    };
  }

  /** Seals a request's payload on a Seal cluster (undefined without confidentiality configured). */
  private seal(
    identity: Identity,
    requestId: string,
    fields: K8sRequestFields,
    body: { contentType: string; accept: string; contentEncoding: string; payload: Uint8Array },
    impersonate?: Impersonation,
    refresh = false,
  ): Promise<SealedRequest | 'clear' | undefined> {
    if (!this.opts.seal) return Promise.resolve(undefined);
    return this.opts.seal.sealRequest({
      requester: identity.address,
      header: {
        ...fields,
        requestId,
        contentType: body.contentType,
        accept: body.accept,
        contentEncoding: body.contentEncoding,
        impersonateUser: impersonate?.user ?? '',
        impersonateGroups: impersonate?.groups ?? [],
      },
      encoded: body.payload,
      refresh,
    });
  }

  /**
   * kubectl auth can-i: the very call the request would make, simulated — the contract's own
   * checks (token, expiry, revocation, rules, stake) decide, nothing is recorded or paid.
   */
  async authorize(req: Pick<ChainRequest, 'identity' | 'fields'>): Promise<Authorization> {
    const signer = this.opts.keystore.get(req.identity.address);
    if (!signer)
      return { allowed: false, reason: `the gateway keystore has no key for ${req.identity.address}` };
    const requestId = `can-i-${randomUUID()}`;
    const empty = { contentType: '', accept: '', contentEncoding: '', payload: new Uint8Array() };
    let sealed: SealedRequest | 'clear' = 'clear';
    try {
      sealed = (await this.seal(req.identity, requestId, req.fields, empty)) ?? 'clear';
    } catch (e) {
      return { allowed: false, reason: sealStatus(e).message };
    }
    const body = sealed === 'clear' ? empty : { ...empty, responseSealId: sealed.responseSealId };
    const r = await this.runnerFor(signer).simulate((tx) =>
      this.buildCall(tx, req.identity, requestId, req.fields, body),
    );
    if (r.success) return { allowed: true, reason: '' };
    return {
      allowed: false,
      reason: r.abort
        ? `${r.abort.message} [${r.abort.name}]`
        : `the contract call fails: ${r.error ?? 'unknown error'}`,
    };
  }

  async execute(req: ChainRequest): Promise<ChainOutcome> {
    const { identity, fields, trace } = req;
    const log = this.opts.logger.child({ requestId: req.requestId, identity: identity.name });
    if (identity.clusterId.toLowerCase() !== this.opts.clusterId.toLowerCase()) {
      return {
        kind: 'status',
        status: statuses.unauthorized(
          `identity "${identity.name}" holds a token for cluster ${identity.clusterId}, but this gateway serves ${this.opts.clusterId}`,
        ),
      };
    }
    const signer = this.opts.keystore.get(identity.address);
    if (!signer)
      return {
        kind: 'status',
        status: statuses.internal(
          `the gateway keystore has no key for ${identity.address} (identity "${identity.name}")`,
        ),
      };

    const encoded = encodeBody(req.body);
    const clear = {
      contentType: req.media.contentType,
      accept: req.media.accept,
      contentEncoding: encoded.contentEncoding,
      payload: encoded.bytes,
    };
    // On a Seal cluster the payload goes on chain only encrypted; a failure is the answer.
    const sealFor = async (refresh: boolean): Promise<typeof clear & { responseSealId?: Uint8Array }> => {
      const sealed = await this.seal(identity, req.requestId, fields, clear, req.impersonate, refresh);
      if (!sealed || sealed === 'clear') return clear;
      return { ...clear, payload: sealed.payload, responseSealId: sealed.responseSealId };
    };
    let body: typeof clear & { responseSealId?: Uint8Array };
    try {
      body = await sealFor(false);
      if (body.responseSealId) trace.mark('payload_sealed');
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'payload not sealed: request not sent');
      return {
        kind: 'status',
        status: sealStatus(e, `${req.description}: the request payload could not be encrypted`),
      };
    }
    if (body.payload.length > MAX_PAYLOAD_LIMIT) {
      return {
        kind: 'status',
        status: statuses.tooLarge(
          `request body is ${body.payload.length} bytes after compression${body.responseSealId ? ' and encryption' : ''}; the contract accepts at most ${MAX_PAYLOAD_LIMIT} bytes per request`,
        ),
      };
    }

    const runner = this.runnerFor(signer);
    const build = (tx: Transaction) =>
      this.buildCall(tx, req.identity, req.requestId, fields, body, req.impersonate);

    const pending = this.watcher.prepare();
    let digest = '';
    let requestObjectId = '';
    try {
      trace.mark('tx_submitted');
      let outcome;
      try {
        outcome = await runner.run(build);
        // The executor set changed since the payload was sealed: seal it for the new epoch, once.
        if (!outcome.success && outcome.abort?.name === 'EStalePayloadId') {
          body = await sealFor(true);
          outcome = await runner.run(build);
        }
      } catch (e) {
        log.error({ err: (e as Error).message }, 'transaction submission failed');
        return {
          kind: 'status',
          status: statuses.unavailable(`could not submit the transaction to Sui: ${(e as Error).message}`),
        };
      }
      trace.mark('tx_executed');
      digest = outcome.digest;
      if (digest) trace.record.txDigest = digest;
      if (!outcome.success) {
        const status = await this.rejection(outcome, req, digest);
        log.info(
          { txDigest: digest, code: status.code, reason: status.reason },
          'contract rejected the request',
        );
        return digest ? { kind: 'status', status, txDigest: digest } : { kind: 'status', status };
      }
      const txResult = { events: outcome.events };
      const ev = (txResult.events ?? []).find((e) => structName(e.eventType) === 'K8sAPIRequest');
      if (!ev)
        return {
          kind: 'status',
          status: statuses.internal(`transaction ${digest} emitted no K8sAPIRequest event`),
          txDigest: digest,
        };
      const requestEvent = K8sAPIRequestBcs.parse(ev.bcs);
      requestObjectId = requestEvent.request_object_id;
      log.debug({ txDigest: digest, requestObjectId }, 'request recorded on chain');
      req.onRecorded?.(digest);

      const timeoutMs = this.opts.responseTimeoutMs ?? 30_000;
      let answered;
      try {
        answered = await pending.wait(requestObjectId, timeoutMs);
      } catch (e) {
        if (e instanceof ResponseTimeout) {
          return {
            kind: 'status',
            status: statuses.timeout(
              `no executor stored a response within ${timeoutMs} ms for request ${req.requestId} (object ${requestObjectId}, transaction ${digest}); it may still run — check "k3s-daas audit"`,
            ),
            txDigest: digest,
          };
        }
        throw e;
      }
      trace.mark('gateway_saw_response');
      // The chain records when the executor stored the answer (its Clock); listener-side hops are on its /traces endpoint.
      const storedAt = Number(answered.timestamp_ms);
      if (storedAt > 0) trace.mark('response_stored', storedAt);
      let answerBody: Uint8Array;
      let verified;
      // An answer that fails verification or decoding is the executor's fault: a 502 naming it.
      const reject = (e: AnswerRejected | BodyCodecError) =>
        this.rejectedAnswer(
          e,
          req,
          requestObjectId,
          answered.executor,
          answered.executor_object_id,
          digest,
          log,
        );
      try {
        verified = await this.answers.verify(requestEvent, answered);
      } catch (e) {
        if (!(e instanceof AnswerRejected)) throw e;
        return reject(e);
      }
      let opened = verified.body;
      if (this.opts.seal && body.responseSealId) {
        try {
          opened = await this.opts.seal.openResponse({
            signer,
            header: {
              clusterId: this.opts.clusterId,
              requestObjectId,
              requester: identity.address,
              statusCode: answered.status_code,
              contentType: answered.content_type,
              contentEncoding: answered.content_encoding,
            },
            body: verified.body,
            what: `decrypting the answer to request ${req.requestId} (object ${requestObjectId})`,
          });
          trace.mark('response_opened');
        } catch (e) {
          log.warn({ err: (e as Error).message, requestObjectId }, 'answer not decrypted');
          return { kind: 'status', status: sealStatus(e, `${req.description}`), txDigest: digest };
        }
      }
      try {
        answerBody = decodeBody(opened, answered.content_encoding);
      } catch (e) {
        if (!(e instanceof BodyCodecError)) throw e;
        return reject(e);
      }
      return {
        kind: 'response',
        txDigest: digest,
        requestObjectId,
        statusCode: answered.status_code,
        contentType: answered.content_type,
        body: Buffer.from(answerBody),
      };
    } finally {
      pending.cancel();
    }
  }
}

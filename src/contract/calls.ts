/**
 * Move-call builders for every public function of k8s_gateway. Each takes a
 * `Transaction`, the package ID and named arguments, and appends the call in
 * the contract's argument order (see move/k8s_gateway/README.md). Objects may
 * be passed as IDs (strings) or as transaction arguments.
 */
import type {
  Transaction,
  TransactionArgument,
  TransactionObjectArgument,
  TransactionResult,
} from '@mysten/sui/transactions';
import { chunkBytes, sha256 } from './body-codec.ts';
import { settingArgs, type ConfidentialitySetting } from './confidentiality.ts';
import { CHUNK_BYTES, MAX_PAYLOAD_LIMIT } from './limits.ts';
import { contractType, MODULE, type ClusterConfig, type RbacRule, type StructuredRequest } from './types.ts';

type ObjectInput = string | TransactionObjectArgument;
/** A coin argument (e.g. `tx.splitCoins(tx.gas, [amount])[0]`) or an amount to split from gas. */
type CoinInput = TransactionObjectArgument | bigint | number;

function target(packageId: string, fn: string): `${string}::${string}::${string}` {
  return `${packageId}::${MODULE}::${fn}`;
}

function obj(tx: Transaction, value: ObjectInput): TransactionObjectArgument {
  return typeof value === 'string' ? tx.object(value) : value;
}

function coin(tx: Transaction, value: CoinInput): TransactionObjectArgument {
  if (typeof value === 'bigint' || typeof value === 'number') {
    const [split] = tx.splitCoins(tx.gas, [tx.pure.u64(value)]);
    if (!split) throw new Error('splitCoins returned no coin');
    return split;
  }
  return value;
}

function configArgs(tx: Transaction, c: ClusterConfig): TransactionArgument[] {
  return [
    tx.pure.u64(c.minWriteStake),
    tx.pure.u64(c.minExecutorStake),
    tx.pure.u64(c.requestFee),
    tx.pure.u64(c.maxPayloadBytes),
    tx.pure.u64(c.maxResponseBytes),
    tx.pure.u64(c.claimLeaseMs),
    tx.pure.u64(c.maxHoldMs),
    tx.pure.u64(c.executorUnbondingMs),
    tx.pure.u64(c.stakeCooldownMs),
    tx.pure.u64(c.slashPenalty),
  ];
}

/**
 * A `vector<vector<u8>>` argument: one pure argument per chunk (each under
 * Sui's 16,384-byte pure-argument limit), gathered with MakeMoveVec.
 */
export function chunksArg(tx: Transaction, chunks: readonly Uint8Array[]): TransactionResult {
  for (const c of chunks) {
    if (c.length > CHUNK_BYTES)
      throw new RangeError(
        `chunk of ${c.length} bytes exceeds ${CHUNK_BYTES} bytes; split it with chunkBytes()`,
      );
  }
  // Pure inputs are valid MakeMoveVec elements on chain; the SDK's type only names object arguments.
  const elements = chunks.map((c) => tx.pure.vector('u8', c)) as unknown as TransactionObjectArgument[];
  return tx.makeMoveVec({ type: 'vector<u8>', elements });
}

function strings(tx: Transaction, values: readonly string[]): TransactionArgument {
  return tx.pure.vector('string', [...values]);
}

// === Cluster administration ===

/**
 * `create_cluster`. `confidentiality` is required so every caller decides:
 * `{ mode: 'seal', keyServers, threshold }` (the product's default) or
 * `{ mode: 'none' }` (payloads and responses in clear, recorded on chain).
 */
export function createCluster(
  tx: Transaction,
  packageId: string,
  args: { name: string; config: ClusterConfig; confidentiality: ConfidentialitySetting },
): TransactionResult {
  const c = settingArgs(args.confidentiality);
  return tx.moveCall({
    target: target(packageId, 'create_cluster'),
    arguments: [
      tx.pure.string(args.name),
      ...configArgs(tx, args.config),
      tx.pure.u8(c.mode),
      tx.pure.vector('address', c.keyServers),
      tx.pure.u8(c.threshold),
    ],
  });
}

/** `set_key_servers`: a Seal cluster's new key servers and threshold (the mode is fixed at creation). */
export function setKeyServers(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; keyServers: readonly string[]; threshold: number },
): TransactionResult {
  const c = settingArgs({ mode: 'seal', keyServers: args.keyServers, threshold: args.threshold });
  return tx.moveCall({
    target: target(packageId, 'set_key_servers'),
    arguments: [
      obj(tx, args.adminCap),
      obj(tx, args.cluster),
      tx.pure.vector('address', c.keyServers),
      tx.pure.u8(c.threshold),
    ],
  });
}

export function configure(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; config: ClusterConfig },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'configure'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), ...configArgs(tx, args.config)],
  });
}

export function setPaused(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; paused: boolean },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'set_paused'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), tx.pure.bool(args.paused)],
  });
}

export function withdrawSlashed(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; amount: bigint | number },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'withdraw_slashed'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), tx.pure.u64(args.amount)],
  });
}

// === SealTokens ===

export function newRule(tx: Transaction, packageId: string, rule: RbacRule): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'new_rule'),
    arguments: [
      strings(tx, rule.verbs),
      strings(tx, rule.apiGroups),
      strings(tx, rule.resources),
      strings(tx, rule.namespaces),
      strings(tx, rule.resourceNames),
    ],
  });
}

/** `vector<Rule>` built in the transaction (new_rule per rule + MakeMoveVec). */
export function rulesArg(tx: Transaction, packageId: string, rules: readonly RbacRule[]): TransactionResult {
  return tx.makeMoveVec({
    type: contractType(packageId, 'Rule'),
    elements: rules.map((r) => newRule(tx, packageId, r)),
  });
}

export function issueSealToken(
  tx: Transaction,
  packageId: string,
  args: {
    adminCap: ObjectInput;
    cluster: ObjectInput;
    recipient: string;
    label: string;
    rules: readonly RbacRule[];
    /** Clock timestamp; 0 = never expires. */
    expiresAtMs: bigint | number;
  },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'issue_seal_token'),
    arguments: [
      obj(tx, args.adminCap),
      obj(tx, args.cluster),
      tx.pure.address(args.recipient),
      tx.pure.string(args.label),
      rulesArg(tx, packageId, args.rules),
      tx.pure.u64(args.expiresAtMs),
      tx.object.clock(),
    ],
  });
}

export function revokeSealToken(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; tokenId: string },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'revoke_seal_token'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), tx.pure.id(args.tokenId)],
  });
}

export function stakeSealToken(
  tx: Transaction,
  packageId: string,
  args: { token: ObjectInput; coin: CoinInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'stake_seal_token'),
    arguments: [obj(tx, args.token), coin(tx, args.coin)],
  });
}

/** Starts unstaking: the amount stops counting for writes now, withdrawable after the cooldown. */
export function unstakeSealToken(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; token: ObjectInput; amount: bigint | number },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'unstake_seal_token'),
    arguments: [obj(tx, args.cluster), obj(tx, args.token), tx.pure.u64(args.amount), tx.object.clock()],
  });
}

/** Sends the sender the unstaked SUI whose cooldown is over. */
export function withdrawUnstaked(
  tx: Transaction,
  packageId: string,
  args: { token: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'withdraw_unstaked'),
    arguments: [obj(tx, args.token), tx.object.clock()],
  });
}

/** Deletes a token whose stake is unstaked and withdrawn. */
export function destroySealToken(
  tx: Transaction,
  packageId: string,
  args: { token: ObjectInput },
): TransactionResult {
  return tx.moveCall({ target: target(packageId, 'destroy_seal_token'), arguments: [obj(tx, args.token)] });
}

// === Executors ===

/** Administrator: sends `account` an ExecutorCap (its admission as an executor). */
export function admitExecutor(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; account: string },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'admit_executor'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), tx.pure.address(args.account)],
  });
}

/** Consumes the sender's ExecutorCap; registers its 32-byte ed25519 answer-signing key and stake. */
export function registerExecutor(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; admission: ObjectInput; signingKey: Uint8Array; stake: CoinInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'register_executor'),
    arguments: [
      obj(tx, args.cluster),
      obj(tx, args.admission),
      tx.pure.vector('u8', args.signingKey),
      coin(tx, args.stake),
      tx.object.clock(),
    ],
  });
}

/** Starts unbonding (refused while a lease of the executor is live). */
export function deregisterExecutor(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; executor: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'deregister_executor'),
    arguments: [obj(tx, args.cluster), obj(tx, args.executor), tx.object.clock()],
  });
}

/** The administrator removes an executor: unbonding starts and the executor epoch moves on (Seal revocation). */
export function removeExecutor(
  tx: Transaction,
  packageId: string,
  args: { adminCap: ObjectInput; cluster: ObjectInput; executor: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'remove_executor'),
    arguments: [obj(tx, args.adminCap), obj(tx, args.cluster), obj(tx, args.executor), tx.object.clock()],
  });
}

/** After unbonding: returns the remaining stake and deletes the Executor. */
export function withdrawExecutorStake(
  tx: Transaction,
  packageId: string,
  args: { executor: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'withdraw_executor_stake'),
    arguments: [obj(tx, args.executor), tx.object.clock()],
  });
}

/** Administrator's discretionary slash: at most the cluster's slash penalty, with a note. */
export function slashExecutor(
  tx: Transaction,
  packageId: string,
  args: {
    adminCap: ObjectInput;
    cluster: ObjectInput;
    executor: ObjectInput;
    amount: bigint | number;
    note: string;
  },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'slash_executor'),
    arguments: [
      obj(tx, args.adminCap),
      obj(tx, args.cluster),
      obj(tx, args.executor),
      tx.pure.u64(args.amount),
      tx.pure.string(args.note),
    ],
  });
}

/** Anyone: penalise an executor still holding `request` after its hold time. */
export function slashLapsedClaim(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; executor: ObjectInput; request: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'slash_lapsed_claim'),
    arguments: [obj(tx, args.cluster), obj(tx, args.executor), obj(tx, args.request), tx.object.clock()],
  });
}

/** Anyone: two different answers to one request signed by the executor's key take its whole stake. */
export function slashEquivocation(
  tx: Transaction,
  packageId: string,
  args: {
    cluster: ObjectInput;
    executor: ObjectInput;
    a: { intent: Uint8Array; signature: Uint8Array };
    b: { intent: Uint8Array; signature: Uint8Array };
  },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'slash_equivocation'),
    arguments: [
      obj(tx, args.cluster),
      obj(tx, args.executor),
      tx.pure.vector('u8', args.a.intent),
      tx.pure.vector('u8', args.a.signature),
      tx.pure.vector('u8', args.b.intent),
      tx.pure.vector('u8', args.b.signature),
      tx.object.clock(),
    ],
  });
}

// === Requests ===

export interface ExecuteArgs extends StructuredRequest {
  cluster: ObjectInput;
  token: ObjectInput;
  requestId: string;
  /** Content-Type of the payload ("" without one). */
  contentType: string;
  /** The caller's Accept header ("" = the executor's default, JSON). */
  accept: string;
  /** "" or "gzip": how `payload` is encoded (see encodeBody). */
  contentEncoding: string;
  /** The payload bytes as sent (already encoded; on a Seal cluster a Seal EncryptedObject or empty); chunked here. */
  payload: Uint8Array;
  /** Seal cluster: the response id (sealResponseId) the executor encrypts the answer for; omit/empty otherwise. */
  responseSealId?: Uint8Array;
  /** kubectl --as / --as-group: checked by the contract against the token's impersonate rules. */
  impersonateUser?: string;
  impersonateGroups?: readonly string[];
  priority?: number;
  /** Fee coin or amount split from gas. */
  fee: CoinInput;
}

/** `execute_kubectl_command_with_id`: payload chunked into pure arguments, digest computed here. */
export function executeKubectlCommand(
  tx: Transaction,
  packageId: string,
  args: ExecuteArgs,
): TransactionResult {
  if (args.payload.length > MAX_PAYLOAD_LIMIT) {
    throw new RangeError(
      `payload of ${args.payload.length} bytes exceeds the contract limit of ${MAX_PAYLOAD_LIMIT} bytes`,
    );
  }
  const priority = args.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > 255)
    throw new RangeError(`priority must be 0..255, got ${priority}`);
  const digest = args.payload.length === 0 ? new Uint8Array() : sha256(args.payload);
  return tx.moveCall({
    target: target(packageId, 'execute_kubectl_command_with_id'),
    arguments: [
      obj(tx, args.cluster),
      obj(tx, args.token),
      tx.pure.string(args.requestId),
      tx.pure.string(args.verb),
      tx.pure.string(args.apiGroup),
      tx.pure.string(args.version),
      tx.pure.string(args.resource),
      tx.pure.string(args.subresource),
      tx.pure.string(args.namespace),
      tx.pure.string(args.name),
      tx.pure.string(args.query),
      tx.pure.string(args.contentType),
      tx.pure.string(args.accept),
      tx.pure.string(args.contentEncoding),
      tx.pure.string(args.impersonateUser ?? ''),
      strings(tx, args.impersonateGroups ?? []),
      chunksArg(tx, chunkBytes(args.payload)),
      tx.pure.vector('u8', digest),
      tx.pure.vector('u8', args.responseSealId ?? new Uint8Array()),
      tx.pure.u8(priority),
      coin(tx, args.fee),
      tx.object.clock(),
    ],
  });
}

export function claimRequest(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; executor: ObjectInput; request: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'claim_request'),
    arguments: [obj(tx, args.cluster), obj(tx, args.executor), obj(tx, args.request), tx.object.clock()],
  });
}

export function appendResponseChunks(
  tx: Transaction,
  packageId: string,
  args: { cluster: ObjectInput; executor: ObjectInput; request: ObjectInput; chunks: readonly Uint8Array[] },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'append_response_chunks'),
    arguments: [
      obj(tx, args.cluster),
      obj(tx, args.executor),
      obj(tx, args.request),
      chunksArg(tx, args.chunks),
      tx.object.clock(),
    ],
  });
}

export function storeK8sResponse(
  tx: Transaction,
  packageId: string,
  args: {
    cluster: ObjectInput;
    executor: ObjectInput;
    request: ObjectInput;
    statusCode: number;
    contentType: string;
    contentEncoding: string;
    /** The last segment of the body (earlier segments went through appendResponseChunks). */
    chunks: readonly Uint8Array[];
    /** Size of the whole body as sent (after content encoding). */
    totalSize: number;
    /** Chained digest of the body's segments (see segmentsDigest; plain sha2-256 for one segment). */
    digest: Uint8Array;
    /** Digests (32 bytes each) of the transactions that carried the earlier segments, in order. */
    segmentTxDigests: readonly Uint8Array[];
    /** When the executor signed (Clock ms, ≤ the transaction's time). */
    signedAtMs: bigint | number;
    /** ed25519 signature over the answer intent (see answerIntentBytes). */
    signature: Uint8Array;
  },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'store_k8s_response'),
    arguments: [
      obj(tx, args.cluster),
      obj(tx, args.executor),
      obj(tx, args.request),
      tx.pure.u32(args.statusCode),
      tx.pure.string(args.contentType),
      tx.pure.string(args.contentEncoding),
      chunksArg(tx, args.chunks),
      tx.pure.u64(args.totalSize),
      tx.pure.vector('u8', args.digest),
      chunksArg(tx, args.segmentTxDigests),
      tx.pure.u64(args.signedAtMs),
      tx.pure.vector('u8', args.signature),
      tx.object.clock(),
    ],
  });
}

export function closeRequest(
  tx: Transaction,
  packageId: string,
  args: { request: ObjectInput },
): TransactionResult {
  return tx.moveCall({ target: target(packageId, 'close_request'), arguments: [obj(tx, args.request)] });
}

/** Requester withdraws an unanswered request (open, or lease expired); the fee is refunded. */
export function cancelRequest(
  tx: Transaction,
  packageId: string,
  args: { request: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: target(packageId, 'cancel_request'),
    arguments: [obj(tx, args.request), tx.object.clock()],
  });
}

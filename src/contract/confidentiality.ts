/**
 * Confidentiality with Seal (issue #17), the TypeScript half of
 * move/k8s_gateway/sources/confidentiality.move: the cluster's setting, the
 * Seal ids the contract's `seal_approve_*` policies accept, the associated
 * data (AAD) that binds a ciphertext to one request, the policy PTBs that
 * SealClient / SessionKey need, and a reader of an EncryptedObject header
 * that mirrors the contract's checks. The Move README's "Confidentiality"
 * section is the reference for every layout here; tests hold the bytes equal
 * to the Move side's.
 */
import { bcs } from '@mysten/sui/bcs';
import type { Transaction, TransactionObjectArgument, TransactionResult } from '@mysten/sui/transactions';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { K8S_PATH_FIELDS, type ClusterObject } from './bcs.ts';
import { CHUNK_BYTES } from './limits.ts';
import { MODULE, type StructuredRequest } from './types.ts';

export type ConfidentialityMode = 'none' | 'seal';
/** On-chain values of `Confidentiality.mode`. */
export const CONFIDENTIALITY_MODE = { none: 0, seal: 1 } as const;
/** Key servers a cluster may name (the ciphertext header must fit in the first response chunk). */
export const MAX_KEY_SERVERS = 16;
/** Length bounds of the session nonce at the end of a Seal id. */
export const SEAL_NONCE_MIN_BYTES = 16;
export const SEAL_NONCE_MAX_BYTES = 32;
/** First byte of each id kind. */
export const SEAL_ID_KIND = { payload: 1, response: 2 } as const;
export const PAYLOAD_AAD_DOMAIN = new TextEncoder().encode('k3s-daas/payload-aad/v1');
export const RESPONSE_AAD_DOMAIN = new TextEncoder().encode('k3s-daas/response-aad/v1');

/** What `create_cluster` records: none, or seal with its key servers and threshold. */
export type ConfidentialitySetting =
  { mode: 'none' } | { mode: 'seal'; keyServers: readonly string[]; threshold: number };

/** The setting as stored on a Cluster, with the executor-set epoch payload ids must carry. */
export type ClusterConfidentiality = ConfidentialitySetting & { executorEpoch: bigint };

// === BCS (field order = the Move structs; ConfidentialityBcs is in bcs.ts) ===

export const PayloadAadBcs = bcs.struct('PayloadAad', {
  domain: bcs.vector(bcs.u8()),
  cluster_id: bcs.Address,
  requester: bcs.Address,
  request_id: bcs.string(),
  ...K8S_PATH_FIELDS,
  content_type: bcs.string(),
  accept: bcs.string(),
  content_encoding: bcs.string(),
  impersonate_user: bcs.string(),
  impersonate_groups: bcs.vector(bcs.string()),
});

export const ResponseAadBcs = bcs.struct('ResponseAad', {
  domain: bcs.vector(bcs.u8()),
  cluster_id: bcs.Address,
  request_object_id: bcs.Address,
  requester: bcs.Address,
  status_code: bcs.u32(),
  content_type: bcs.string(),
  content_encoding: bcs.string(),
});

const PayloadIdBcs = bcs.struct('PayloadId', {
  kind: bcs.u8(),
  cluster_id: bcs.Address,
  epoch: bcs.u64(),
  requester: bcs.Address,
  nonce: bcs.vector(bcs.u8()),
});

const ResponseIdBcs = bcs.struct('ResponseId', {
  kind: bcs.u8(),
  cluster_id: bcs.Address,
  requester: bcs.Address,
  nonce: bcs.vector(bcs.u8()),
});

export class ConfidentialityError extends Error {
  override name = 'ConfidentialityError';
}

// === Setting ===

/** Throws naming what is wrong: seal needs 1..16 distinct key-server ids and 1 ≤ threshold ≤ their number. */
export function validateSetting(s: ConfidentialitySetting): void {
  if (s.mode === 'none') return;
  const n = s.keyServers.length;
  if (n === 0 || n > MAX_KEY_SERVERS)
    throw new ConfidentialityError(
      `confidentiality seal needs 1 to ${MAX_KEY_SERVERS} key-server object ids, got ${n}; pass --seal-key-servers <id,id,…> (or --confidentiality none)`,
    );
  const ids = s.keyServers.map((k) => normalizeSuiAddress(k));
  if (new Set(ids).size !== n)
    throw new ConfidentialityError(`the key-server ids must be distinct, got ${s.keyServers.join(', ')}`);
  if (!Number.isInteger(s.threshold) || s.threshold < 1 || s.threshold > n)
    throw new ConfidentialityError(
      `the Seal threshold must be between 1 and the number of key servers (${n}), got ${s.threshold}`,
    );
}

/** The arguments `create_cluster` takes after `slash_penalty`: (mode, key servers, threshold). */
export function settingArgs(s: ConfidentialitySetting): {
  mode: number;
  keyServers: string[];
  threshold: number;
} {
  validateSetting(s);
  return s.mode === 'none'
    ? { mode: CONFIDENTIALITY_MODE.none, keyServers: [], threshold: 0 }
    : {
        mode: CONFIDENTIALITY_MODE.seal,
        keyServers: s.keyServers.map((k) => normalizeSuiAddress(k)),
        threshold: s.threshold,
      };
}

/** The confidentiality setting of a decoded Cluster object. */
export function clusterConfidentiality(
  cluster: Pick<ClusterObject, 'confidentiality'>,
): ClusterConfidentiality {
  const c = cluster.confidentiality;
  const executorEpoch = BigInt(c.executor_epoch);
  if (c.mode === CONFIDENTIALITY_MODE.none) return { mode: 'none', executorEpoch };
  if (c.mode === CONFIDENTIALITY_MODE.seal)
    return { mode: 'seal', keyServers: [...c.key_servers], threshold: c.threshold, executorEpoch };
  throw new ConfidentialityError(`unknown confidentiality mode ${c.mode} on the cluster; update k3s-daas`);
}

// === Seal ids ===

export interface PayloadIdFields {
  clusterId: string;
  /** the cluster's executor epoch when encrypting (the contract accepts only the current one) */
  epoch: bigint | number;
  requester: string;
  /** the requester's session nonce, 16..32 bytes */
  nonce: Uint8Array;
}

export interface ResponseIdFields {
  clusterId: string;
  requester: string;
  nonce: Uint8Array;
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length < SEAL_NONCE_MIN_BYTES || nonce.length > SEAL_NONCE_MAX_BYTES)
    throw new ConfidentialityError(
      `a Seal session nonce must be ${SEAL_NONCE_MIN_BYTES} to ${SEAL_NONCE_MAX_BYTES} bytes, got ${nonce.length}`,
    );
}

/** A fresh random session nonce (16 bytes). */
export function newSealNonce(bytes = SEAL_NONCE_MIN_BYTES): Uint8Array {
  const n = new Uint8Array(bytes);
  crypto.getRandomValues(n);
  checkNonce(n);
  return n;
}

/** `[1][cluster 32][epoch u64 LE][requester 32][nonce len][nonce]`: the id a payload is encrypted for. */
export function sealPayloadId(f: PayloadIdFields): Uint8Array {
  checkNonce(f.nonce);
  return PayloadIdBcs.serialize({
    kind: SEAL_ID_KIND.payload,
    cluster_id: f.clusterId,
    epoch: BigInt(f.epoch),
    requester: f.requester,
    nonce: [...f.nonce],
  }).toBytes();
}

/** `[2][cluster 32][requester 32][nonce len][nonce]`: the id a response is encrypted for. */
export function sealResponseId(f: ResponseIdFields): Uint8Array {
  checkNonce(f.nonce);
  return ResponseIdBcs.serialize({
    kind: SEAL_ID_KIND.response,
    cluster_id: f.clusterId,
    requester: f.requester,
    nonce: [...f.nonce],
  }).toBytes();
}

function parseId<T>(bytes: Uint8Array, kind: number, prefix: number, parse: () => T): T | undefined {
  if (bytes.length < prefix || bytes[0] !== kind) return undefined;
  const nonceLen = bytes[prefix - 1] ?? 0;
  if (nonceLen < SEAL_NONCE_MIN_BYTES || nonceLen > SEAL_NONCE_MAX_BYTES) return undefined;
  if (bytes.length !== prefix + nonceLen) return undefined;
  return parse();
}

/** The fields of a payload id, or undefined when the bytes are not one (the contract's rule). */
export function parseSealPayloadId(bytes: Uint8Array): (PayloadIdFields & { epoch: bigint }) | undefined {
  return parseId(bytes, SEAL_ID_KIND.payload, 74, () => {
    const p = PayloadIdBcs.parse(bytes);
    return {
      clusterId: p.cluster_id,
      epoch: BigInt(p.epoch),
      requester: p.requester,
      nonce: Uint8Array.from(p.nonce),
    };
  });
}

export function parseSealResponseId(bytes: Uint8Array): ResponseIdFields | undefined {
  return parseId(bytes, SEAL_ID_KIND.response, 66, () => {
    const p = ResponseIdBcs.parse(bytes);
    return { clusterId: p.cluster_id, requester: p.requester, nonce: Uint8Array.from(p.nonce) };
  });
}

/** Hex without `0x`, as SealClient.encrypt({ id }) and fetchKeys({ ids }) take ids. */
export function sealIdHex(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

export function sealIdFromHex(hex: string): Uint8Array {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(h)) throw new ConfidentialityError(`not a hex Seal id: ${hex}`);
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

// === AAD ===

/** The request header a payload's AAD binds: every field the contract checks and the executor acts on. */
export interface PayloadAadFields extends StructuredRequest {
  clusterId: string;
  requester: string;
  requestId: string;
  contentType: string;
  accept: string;
  contentEncoding: string;
  impersonateUser?: string;
  impersonateGroups?: readonly string[];
}

/** The `aad` of SealClient.encrypt for a payload: BCS of confidentiality::PayloadAad. */
export function payloadAad(f: PayloadAadFields): Uint8Array {
  return PayloadAadBcs.serialize({
    domain: [...PAYLOAD_AAD_DOMAIN],
    cluster_id: f.clusterId,
    requester: f.requester,
    request_id: f.requestId,
    verb: f.verb,
    api_group: f.apiGroup,
    version: f.version,
    resource: f.resource,
    subresource: f.subresource,
    namespace: f.namespace,
    name: f.name,
    query: f.query,
    content_type: f.contentType,
    accept: f.accept,
    content_encoding: f.contentEncoding,
    impersonate_user: f.impersonateUser ?? '',
    impersonate_groups: [...(f.impersonateGroups ?? [])],
  }).toBytes();
}

export interface ResponseAadFields {
  clusterId: string;
  requestObjectId: string;
  requester: string;
  statusCode: number;
  /** of the plaintext body */
  contentType: string;
  /** of the plaintext body ("" or "gzip": gzip first, then encrypt) */
  contentEncoding: string;
}

/** The `aad` the executor encrypts a response with; the requester checks it after decrypting. */
export function responseAad(f: ResponseAadFields): Uint8Array {
  return ResponseAadBcs.serialize({
    domain: [...RESPONSE_AAD_DOMAIN],
    cluster_id: f.clusterId,
    request_object_id: f.requestObjectId,
    requester: f.requester,
    status_code: f.statusCode,
    content_type: f.contentType,
    content_encoding: f.contentEncoding,
  }).toBytes();
}

// === EncryptedObject header (@mysten/seal 1.4.12 src/bcs.ts layout) ===

/** What the contract reads of a Seal EncryptedObject. */
export interface SealHeader {
  version: number;
  packageId: string;
  id: Uint8Array;
  /** key-server object ids in the ciphertext's order */
  services: string[];
  threshold: number;
  /** the AAD (a full object only; undefined when only the header was read) */
  aad?: Uint8Array;
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  has(n: number): boolean {
    return this.pos + n <= this.b.length;
  }
  u8(): number | undefined {
    if (!this.has(1)) return undefined;
    return this.b[this.pos++];
  }
  bytes(n: number): Uint8Array | undefined {
    if (!this.has(n)) return undefined;
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** ULEB128 of at most 4 bytes, as the contract reads it. */
  uleb(): number | undefined {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      if (b === undefined) return undefined;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  }
  get done(): boolean {
    return this.pos === this.b.length;
  }
}

const hexAddr = (b: Uint8Array): string => normalizeSuiAddress(Buffer.from(b).toString('hex'));

function readHeader(r: Reader): SealHeader | undefined {
  const version = r.u8();
  const pkg = r.bytes(32);
  if (version !== 0 || !pkg) return undefined;
  const idLen = r.uleb();
  const id = idLen === undefined ? undefined : r.bytes(idLen);
  const count = r.uleb();
  if (!id || count === undefined || count === 0 || count > MAX_KEY_SERVERS) return undefined;
  const services: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = r.bytes(32);
    if (!s || r.u8() === undefined) return undefined;
    services.push(hexAddr(s));
  }
  const threshold = r.u8();
  if (threshold === undefined) return undefined;
  return { version, packageId: hexAddr(pkg), id: Uint8Array.from(id), services, threshold };
}

/** The header at the start of `bytes` (a response's first chunk may hold only the beginning). */
export function parseSealHeader(bytes: Uint8Array): SealHeader | undefined {
  return readHeader(new Reader(bytes));
}

/**
 * A whole EncryptedObject as the contract accepts it on a Seal cluster:
 * BonehFranklinBLS12381 shares (one per service), an Aes256Gcm or
 * Hmac256Ctr ciphertext with its AAD, nothing after it.
 */
export function parseSealObject(bytes: Uint8Array): SealHeader | undefined {
  const r = new Reader(bytes);
  const h = readHeader(r);
  if (!h || r.u8() !== 0 || !r.bytes(96)) return undefined;
  const shares = r.uleb();
  if (shares !== h.services.length || !r.bytes(shares * 32 + 32)) return undefined;
  const dem = r.u8();
  if (dem !== 0 && dem !== 1) return undefined;
  const blob = r.uleb();
  if (blob === undefined || !r.bytes(blob) || r.u8() !== 1) return undefined;
  const aadLen = r.uleb();
  const aad = aadLen === undefined ? undefined : r.bytes(aadLen);
  if (!aad) return undefined;
  if (dem === 1 && !r.bytes(32)) return undefined;
  return r.done ? { ...h, aad: Uint8Array.from(aad) } : undefined;
}

/** Why a header does not fit the cluster's setting (the contract's ESealSettingMismatch), or undefined. */
export function headerMismatch(
  h: SealHeader,
  packageId: string,
  setting: Extract<ConfidentialitySetting, { mode: 'seal' }>,
): string | undefined {
  if (h.packageId !== normalizeSuiAddress(packageId))
    return `the ciphertext is for package ${h.packageId}, not ${normalizeSuiAddress(packageId)}`;
  if (h.threshold !== setting.threshold)
    return `the ciphertext's threshold is ${h.threshold}, the cluster's ${setting.threshold}`;
  if (h.services.length < setting.threshold)
    return `the ciphertext names ${h.services.length} key servers, fewer than the threshold ${setting.threshold}`;
  const servers = new Set(setting.keyServers.map((k) => normalizeSuiAddress(k)));
  const foreign = h.services.find((s) => !servers.has(s));
  return foreign ? `key server ${foreign} is not one of the cluster's` : undefined;
}

// === Policy PTBs (what SessionKey-signed fetch_key requests carry) ===

type ObjectInput = string | TransactionObjectArgument;
const objectArg = (tx: Transaction, v: ObjectInput): TransactionObjectArgument =>
  typeof v === 'string' ? tx.object(v) : v;

/** `seal_approve_payload(id, cluster, executor)`: one call per id (key servers approve each id). */
export function sealApprovePayload(
  tx: Transaction,
  packageId: string,
  args: { id: Uint8Array; cluster: ObjectInput; executor: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: `${packageId}::${MODULE}::seal_approve_payload`,
    arguments: [tx.pure.vector('u8', args.id), objectArg(tx, args.cluster), objectArg(tx, args.executor)],
  });
}

/** `seal_approve_response(id, cluster)`. */
export function sealApproveResponse(
  tx: Transaction,
  packageId: string,
  args: { id: Uint8Array; cluster: ObjectInput },
): TransactionResult {
  return tx.moveCall({
    target: `${packageId}::${MODULE}::seal_approve_response`,
    arguments: [tx.pure.vector('u8', args.id), objectArg(tx, args.cluster)],
  });
}

/** What `tx.build` needs to resolve object inputs given by id. */
export type BuildClient = NonNullable<NonNullable<Parameters<Transaction['build']>[0]>['client']>;

/**
 * The `txBytes` of SealClient.fetchKeys / decrypt: the transaction kind only
 * (`onlyTransactionKind`), no gas, no sender. `client` resolves objects given
 * by id; without one every object must be a full reference.
 */
export async function sealApproveTxBytes(tx: Transaction, client?: BuildClient): Promise<Uint8Array> {
  return tx.build({ ...(client ? { client } : {}), onlyTransactionKind: true });
}

// === The contract's whole checks, to fail early with a clear message ===

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * Why `execute_kubectl_command_with_id` on a Seal cluster would refuse this
 * payload (the abort name and a reason), or undefined when it would accept
 * it. An empty payload is accepted (nothing to hide).
 */
export function sealedPayloadProblem(
  payload: Uint8Array,
  c: {
    packageId: string;
    clusterId: string;
    setting: Extract<ClusterConfidentiality, { mode: 'seal' }>;
    requester: string;
    aad: Uint8Array;
  },
): { abort: string; reason: string } | undefined {
  if (payload.length === 0) return undefined;
  const h = parseSealObject(payload);
  if (!h) return { abort: 'EClearPayload', reason: 'the payload is not a whole Seal EncryptedObject' };
  const mismatch = headerMismatch(h, c.packageId, c.setting);
  if (mismatch) return { abort: 'ESealSettingMismatch', reason: mismatch };
  const id = parseSealPayloadId(h.id);
  if (
    !id ||
    id.clusterId !== normalizeSuiAddress(c.clusterId) ||
    id.epoch !== c.setting.executorEpoch ||
    id.requester !== normalizeSuiAddress(c.requester)
  )
    return {
      abort: 'EStalePayloadId',
      reason: `the Seal id is not a payload id of cluster ${c.clusterId} at epoch ${c.setting.executorEpoch} for ${c.requester}`,
    };
  if (!h.aad || !sameBytes(h.aad, c.aad))
    return { abort: 'EPayloadAadMismatch', reason: "the ciphertext's AAD is not this request's header" };
  return undefined;
}

/** Why `store_k8s_response` on a Seal cluster would refuse this body (`EClearResponse`), or undefined. */
export function sealedResponseProblem(
  body: Uint8Array,
  c: {
    packageId: string;
    setting: Extract<ConfidentialitySetting, { mode: 'seal' }>;
    responseSealId: Uint8Array;
  },
): string | undefined {
  const h = parseSealHeader(body.subarray(0, CHUNK_BYTES));
  if (!h) return 'the answer body does not start with a Seal EncryptedObject header';
  const mismatch = headerMismatch(h, c.packageId, c.setting);
  if (mismatch) return mismatch;
  if (!sameBytes(h.id, c.responseSealId))
    return "the answer is encrypted for another id than the request's response id";
  return undefined;
}

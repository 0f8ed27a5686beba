/**
 * What a `POST /v1/fetch_key` carries and the checks on its shape, as the real key server does
 * them (facts from MystenLabs/seal crates/key-server/src/valid_ptb.rs, signed_message.rs,
 * crates/seal-sdk/src/{lib,types}.rs): the PTB may only call `seal_approve*` functions of one
 * package, each with a pure, BCS `vector<u8>` id as its first argument.
 */
import { bcs } from '@mysten/sui/bcs';
import { fromBase64, toBase64 } from '@mysten/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { SealServerError } from './errors.ts';

export interface Certificate {
  user: string;
  session_vk: string;
  creation_time: number;
  ttl_min: number;
  signature: string;
  mvr_name?: string | null;
}

export interface FetchKeyRequest {
  ptb: string;
  enc_key: string;
  enc_verification_key: string;
  request_signature: string;
  certificate: Certificate;
}

export type Ptb = ReturnType<typeof bcs.ProgrammableTransaction.parse>;

/** At most this many commands (valid_ptb.rs MAX_COMMANDS). */
export const MAX_COMMANDS = 100;

export interface ValidPtb {
  ptb: Ptb;
  bytes: Uint8Array;
  packageId: string;
  /** inner ids, in command order, without the package prefix */
  innerIds: Uint8Array[];
}

/** Body shape check; a body that does not deserialize is what axum answers 422 for. */
export function parseFetchKeyBody(raw: unknown): FetchKeyRequest {
  const o = raw as Partial<FetchKeyRequest> | null;
  const c = o?.certificate as Partial<Certificate> | undefined;
  const isStr = (v: unknown): v is string => typeof v === 'string';
  const isUint = (v: unknown, max: number): v is number =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  if (
    !o ||
    !isStr(o.ptb) ||
    !isStr(o.enc_key) ||
    !isStr(o.enc_verification_key) ||
    !isStr(o.request_signature) ||
    !c ||
    !isStr(c.user) ||
    !isStr(c.session_vk) ||
    !isUint(c.creation_time, Number.MAX_SAFE_INTEGER) ||
    !isUint(c.ttl_min, 0xffff) ||
    !isStr(c.signature) ||
    (c.mvr_name !== undefined && c.mvr_name !== null && !isStr(c.mvr_name))
  )
    throw new TypeError(
      'expected { ptb, enc_key, enc_verification_key, request_signature: base64 strings, certificate: { user, session_vk, creation_time, ttl_min, signature, mvr_name? } }',
    );
  return o as FetchKeyRequest;
}

function decodeBase64(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return fromBase64(s);
}

/** Decodes `vector<u8>` BCS exactly (no trailing bytes), or undefined. */
function decodeByteVector(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const v = bcs.byteVector().parse(bytes);
    return bcs.byteVector().serialize(v).toBytes().length === bytes.length ? Uint8Array.from(v) : undefined;
  } catch {
    return undefined;
  }
}

/** ValidPtb::try_from_base64: base64 → BCS ProgrammableTransaction → the restrictions. */
export function validPtbFromBase64(s: string): ValidPtb {
  const bytes = decodeBase64(s);
  if (!bytes) throw new SealServerError('InvalidPTB', 'Invalid Base64');
  let ptb: Ptb;
  try {
    ptb = bcs.ProgrammableTransaction.parse(bytes);
    if (bcs.ProgrammableTransaction.serialize(ptb).toBytes().length !== bytes.length)
      throw new Error('trailing bytes');
  } catch {
    throw new SealServerError('InvalidPTB', 'Invalid BCS');
  }
  if (ptb.commands.length > MAX_COMMANDS)
    throw new SealServerError('InvalidPTB', `Too many commands in PTB (more than ${MAX_COMMANDS})`);
  if (ptb.inputs.length === 0 || ptb.commands.length === 0)
    throw new SealServerError('InvalidPTB', 'Empty PTB input or command');
  const first = ptb.commands[0]!;
  if (first.$kind !== 'MoveCall') throw new SealServerError('InvalidPTB', 'Invalid first command');
  const packageId = normalizeSuiAddress(first.MoveCall.package);
  const innerIds: Uint8Array[] = [];
  for (const command of ptb.commands) {
    if (command.$kind !== 'MoveCall') throw new SealServerError('InvalidPTB', 'Non MoveCall command');
    const call = command.MoveCall;
    if (call.arguments.some((a) => a.$kind !== 'Input'))
      throw new SealServerError('InvalidPTB', 'Only pure inputs are allowed');
    innerIds.push(keyId(ptb, call.arguments));
    if (!call.function.startsWith('seal_approve') || normalizeSuiAddress(call.package) !== packageId)
      throw new SealServerError('InvalidPTB', 'Invalid function or package id');
  }
  return { ptb, bytes, packageId, innerIds };
}

type MoveCallArguments = Extract<Ptb['commands'][number], { $kind: 'MoveCall' }>['MoveCall']['arguments'];

function keyId(ptb: Ptb, args: MoveCallArguments): Uint8Array {
  if (args.length === 0) throw new SealServerError('InvalidPTB', 'Empty args');
  const first = args[0]!;
  if (first.$kind !== 'Input') throw new SealServerError('InvalidPTB', 'Invalid index for first argument');
  const input = ptb.inputs[first.Input];
  if (!input || input.$kind !== 'Pure')
    throw new SealServerError('InvalidPTB', 'Invalid first parameter for seal_approve');
  const id = decodeByteVector(fromBase64(input.Pure.bytes));
  if (!id) throw new SealServerError('InvalidPTB', 'Invalid BCS for first parameter for seal_approve');
  return id;
}

/**
 * The personal message the user signs for a session key (seal-sdk lib.rs signed_message; the
 * SDK's SessionKey.getPersonalMessage builds the same string): creation time in whole seconds, UTC.
 */
export function sessionPersonalMessage(
  packageName: string,
  sessionVk: Uint8Array,
  creationTimeMs: number,
  ttlMin: number,
): string {
  const at = new Date(Math.floor(creationTimeMs / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `Accessing keys of package ${packageName} for ${ttlMin} mins from ${at} UTC, session key ${toBase64(sessionVk)}`;
}

/** What the session key signs (signed_message.rs signed_request): BCS { ptb, enc_key, enc_verification_key }. */
export function signedRequestBytes(
  ptb: Uint8Array,
  encKey: Uint8Array,
  encVerificationKey: Uint8Array,
): Uint8Array {
  return bcs
    .struct('RequestFormat', {
      ptb: bcs.byteVector(),
      encKey: bcs.byteVector(),
      encVerificationKey: bcs.byteVector(),
    })
    .serialize({ ptb, encKey, encVerificationKey })
    .toBytes();
}

export { decodeBase64 };

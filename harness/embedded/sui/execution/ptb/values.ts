/** Small value helpers of the PTB runtime: object ids, coin balances, type names. */
import { normalizeStructTag, normalizeSuiAddress, toHex } from '@mysten/sui/utils';
import type { LedgerObject } from '../../ledger/types.ts';
import type { SigType } from '../../move/module-info.ts';
import type { MoveValue } from '../../move/port.ts';
import type { Arg } from './types.ts';

const TX_CONTEXT = normalizeStructTag('0x2::tx_context::TxContext');
export const SUI_ADDR = normalizeSuiAddress('0x2');

export function moveValueOf(obj: LedgerObject): MoveValue | undefined {
  return obj.data.kind === 'move' ? { type: obj.data.type, bytes: obj.data.contents } : undefined;
}

export function objectIdOf(bytes: Uint8Array): string {
  return '0x' + toHex(bytes.subarray(0, 32));
}

export function readCoinBalance(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + 32, 8).getBigUint64(0, true);
}

export function sameSlot(a: Arg, b: Arg): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function isTxContext(p: SigType): boolean {
  return p.body.kind === 'datatype' && `${p.body.address}::${p.body.module}::${p.body.name}` === TX_CONTEXT;
}

export function normalizeType(type: string): string {
  const prim = ['bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'address', 'signer'];
  if (prim.includes(type)) return type;
  const vec = /^vector<(.+)>$/.exec(type);
  if (vec) return `vector<${normalizeType(vec[1]!)}>`;
  return normalizeStructTag(type);
}

export function fromHexBytes(id: string): Uint8Array {
  return Uint8Array.from(Buffer.from(id.slice(2), 'hex'));
}

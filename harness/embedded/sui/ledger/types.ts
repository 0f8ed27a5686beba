/** Ledger data model: objects with Lamport versions, owners and BCS contents. */

export type Owner =
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'object'; readonly parent: string }
  | { readonly kind: 'shared'; readonly initialVersion: bigint }
  | { readonly kind: 'immutable' };

export interface MoveObjectData {
  readonly kind: 'move';
  /** Canonical struct tag with full-length addresses. */
  readonly type: string;
  readonly hasPublicTransfer: boolean;
  readonly contents: Uint8Array;
}

export interface TypeOriginEntry {
  readonly moduleName: string;
  readonly datatypeName: string;
  readonly package: string;
}

export interface PackageData {
  readonly kind: 'package';
  /** Modules sorted by name: the order Sui stores them in. */
  readonly modules: ReadonlyArray<readonly [string, Uint8Array]>;
  readonly typeOrigins: readonly TypeOriginEntry[];
  /** Dependency package id → (upgraded id, version). */
  readonly linkage: ReadonlyArray<readonly [string, { upgradedId: string; upgradedVersion: bigint }]>;
}

export interface LedgerObject {
  readonly id: string;
  readonly version: bigint;
  readonly owner: Owner;
  readonly previousTransaction: string;
  readonly storageRebate: bigint;
  readonly data: MoveObjectData | PackageData;
  /** Base58 Blake2b-256 of "Object::" ‖ BCS(object). */
  readonly digest: string;
  /** BCS of the whole object (bcs.Object), kept for the `bcs` read-mask field. */
  readonly bcs: Uint8Array;
}

export const SUI_TYPE = '0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI';
export const GAS_COIN_TYPE = `0x0000000000000000000000000000000000000000000000000000000000000002::coin::Coin<${SUI_TYPE}>`;
export const CLOCK_ID = '0x0000000000000000000000000000000000000000000000000000000000000006';
export const CLOCK_TYPE = '0x0000000000000000000000000000000000000000000000000000000000000002::clock::Clock';
export const UPGRADE_CAP_TYPE =
  '0x0000000000000000000000000000000000000000000000000000000000000002::package::UpgradeCap';
/** Digest used as previous transaction of genesis objects. */
export const GENESIS_DIGEST = '11111111111111111111111111111111';

/**
 * Genesis: framework packages at 0x1/0x2 (from outside: compiled shim modules), the Clock at 0x6,
 * and funded test accounts derived from a well-known mnemonic — FOR LOCAL TESTING ONLY.
 */
import { BcsWriter } from './bcs-writer.ts';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { mnemonicToSeedHex } from '@mysten/sui/cryptography';
import { bip39Seed, deriveEd25519 } from './derive.ts';
import { normalizeSuiAddress, toHex } from '@mysten/sui/utils';
import { readModule } from '../move/module-info.ts';
import { blake2b256, encodeCoin, makeObject, storageBytes } from './objects.ts';
import { Ledger, emptyState } from './ledger.ts';
import {
  CLOCK_ID,
  CLOCK_TYPE,
  GAS_COIN_TYPE,
  GENESIS_DIGEST,
  type LedgerObject,
  type TypeOriginEntry,
} from './types.ts';
import { storageCost } from '../execution/gas.ts';

/** Hardhat's well-known test mnemonic. Never use these keys on a real network. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

export interface TestAccount {
  index: number;
  address: string;
  keypair: Ed25519Keypair;
  /** `suiprivkey1…`, importable with `sui keytool import`. */
  secretKey: string;
}

export interface GenesisOptions {
  accounts: number;
  coinsPerAccount: number;
  mistPerCoin: bigint;
  referenceGasPrice: bigint;
  nowMs: bigint;
  /** Framework packages by address, modules as base64 or bytes (e.g. { '0x1': std, '0x2': sui }). */
  frameworkModules?: Record<string, (string | Uint8Array)[]>;
}

let seed: Buffer | undefined;
/** BIP-39 seed with node:crypto (the JS version takes ~250 ms); computed once per process. */
function testSeed(): Buffer {
  seed ??= bip39Seed(TEST_MNEMONIC);
  return seed;
}

/** The same seed through @mysten/sui (tests compare the two). */
export function referenceSeed(): string {
  return mnemonicToSeedHex(TEST_MNEMONIC);
}

export function fastSeed(): string {
  return testSeed().toString('hex');
}

export function deriveTestAccounts(count: number): TestAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const keypair = deriveEd25519(testSeed(), `m/44'/784'/${index}'/0'/0'`);
    return { index, address: keypair.toSuiAddress(), keypair, secretKey: keypair.getSecretKey() };
  });
}

function genesisId(label: string, n: number): string {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(n), true);
  return '0x' + toHex(blake2b256(new TextEncoder().encode(`genesis::${label}`), counter));
}

/** Clock { id: UID, timestamp_ms: u64 }: rewritten at every checkpoint, so encoded directly. */
export function clockContents(timestampMs: bigint): Uint8Array {
  return new BcsWriter(40).address(CLOCK_ID).u64(timestampMs).toBytes();
}

export function clockObject(timestampMs: bigint, version: bigint): LedgerObject {
  return makeObject({
    id: CLOCK_ID,
    version,
    owner: { kind: 'shared', initialVersion: 1n },
    previousTransaction: GENESIS_DIGEST,
    storageRebate: 0n,
    data: {
      kind: 'move',
      type: CLOCK_TYPE,
      hasPublicTransfer: false,
      contents: clockContents(timestampMs),
    },
  });
}

export function frameworkPackage(
  address: string,
  modules: (string | Uint8Array)[],
  deps: string[],
): LedgerObject {
  const id = normalizeSuiAddress(address);
  const entries = modules
    .map((m) => (typeof m === 'string' ? Uint8Array.from(Buffer.from(m, 'base64')) : m))
    .map((bytes) => [readModule(bytes), bytes] as const);
  const typeOrigins: TypeOriginEntry[] = [];
  for (const [info] of entries) {
    if (info.address !== id)
      throw new Error(`framework module ${info.name} has address ${info.address}, expected ${id}`);
    for (const name of info.datatypes.keys())
      typeOrigins.push({ moduleName: info.name, datatypeName: name, package: id });
  }
  return makeObject({
    id,
    version: 1n,
    owner: { kind: 'immutable' },
    previousTransaction: GENESIS_DIGEST,
    storageRebate: 0n,
    data: {
      kind: 'package',
      modules: entries
        .map(([info, bytes]) => [info.name, bytes] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
      typeOrigins,
      linkage: deps.map(
        (d) => [normalizeSuiAddress(d), { upgradedId: normalizeSuiAddress(d), upgradedVersion: 1n }] as const,
      ),
    },
  });
}

/** The faucet's own key, from the same test mnemonic (index 1000). */
export function faucetKeypair(): Ed25519Keypair {
  return deriveEd25519(testSeed(), `m/44'/784'/1000'/0'/0'`);
}

export function buildGenesis(opts: GenesisOptions): { ledger: Ledger; accounts: TestAccount[] } {
  const ledger = new Ledger(emptyState(opts.referenceGasPrice, opts.nowMs));
  const framework = opts.frameworkModules ?? {};
  const addresses = Object.keys(framework)
    .map((a) => normalizeSuiAddress(a))
    .sort();
  for (const address of addresses) {
    const modules =
      framework[address] ??
      framework[Object.keys(framework).find((k) => normalizeSuiAddress(k) === address)!]!;
    // Each framework package links against the lower ones (0x2 → 0x1).
    ledger.put(
      frameworkPackage(
        address,
        modules,
        addresses.filter((a) => a < address),
      ),
    );
  }
  ledger.put(clockObject(opts.nowMs, 1n));
  const accounts = deriveTestAccounts(opts.accounts);
  const faucet = { address: faucetKeypair().toSuiAddress(), coins: 10, mist: 1_000_000_000_000_000n };
  let n = 0;
  for (const account of [
    ...accounts.map((a) => ({ address: a.address, coins: opts.coinsPerAccount, mist: opts.mistPerCoin })),
    faucet,
  ]) {
    for (let i = 0; i < account.coins; i++) {
      const id = genesisId('gas', n++);
      const data = {
        kind: 'move' as const,
        type: GAS_COIN_TYPE,
        hasPublicTransfer: true,
        contents: encodeCoin(id, account.mist),
      };
      ledger.put(
        makeObject({
          id,
          version: 1n,
          owner: { kind: 'address', address: account.address },
          previousTransaction: GENESIS_DIGEST,
          storageRebate: storageCost(storageBytes(data)),
          data,
        }),
      );
    }
  }
  return { ledger, accounts };
}

/**
 * Keys in the Sui CLI's `sui.keystore` format: a JSON array of base64
 * strings, each `flag || private key` (flag 0 = Ed25519, 1 = Secp256k1,
 * 2 = Secp256r1). Entries in Bech32 `suiprivkey1…` form are accepted too.
 */
import { readFile } from 'node:fs/promises';
import { decodeSuiPrivateKey, type Keypair, type SignatureScheme } from '@mysten/sui/cryptography';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { NativeEd25519Keypair } from './native-ed25519.ts';
import { writeFileAtomic } from '../shared/files.ts';

const SCHEME_BY_FLAG: Record<number, SignatureScheme> = { 0: 'ED25519', 1: 'Secp256k1', 2: 'Secp256r1' };
const FLAG_BY_SCHEME: Partial<Record<SignatureScheme, number>> = { ED25519: 0, Secp256k1: 1, Secp256r1: 2 };

export class KeystoreError extends Error {
  override name = 'KeystoreError';
}

function keypairFrom(scheme: SignatureScheme, secret: Uint8Array): Keypair {
  switch (scheme) {
    case 'ED25519':
      // Same key and signatures as the SDK's Ed25519Keypair, signed natively (see native-ed25519.ts).
      return NativeEd25519Keypair.fromSeed(secret);
    case 'Secp256k1':
      return Secp256k1Keypair.fromSecretKey(secret);
    case 'Secp256r1':
      return Secp256r1Keypair.fromSecretKey(secret);
    default:
      throw new KeystoreError(`key scheme ${scheme} is not supported in a keystore`);
  }
}

/** One keystore entry → key pair. */
export function parseKeyEntry(entry: string): Keypair {
  const trimmed = entry.trim();
  if (trimmed.startsWith('suiprivkey')) {
    const { scheme, secretKey } = decodeSuiPrivateKey(trimmed);
    return keypairFrom(scheme, secretKey);
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== 33 || bytes.toString('base64') !== trimmed) {
    throw new KeystoreError('keystore entry is neither base64 "flag||32-byte key" nor a suiprivkey… string');
  }
  const scheme = SCHEME_BY_FLAG[bytes[0]!];
  if (!scheme) throw new KeystoreError(`keystore entry has unknown key flag ${bytes[0]}`);
  return keypairFrom(scheme, bytes.subarray(1));
}

/** Key pair → `sui.keystore` entry (base64 flag||key). */
export function formatKeyEntry(keypair: Keypair): string {
  const { scheme, secretKey } = decodeSuiPrivateKey(keypair.getSecretKey());
  const flag = FLAG_BY_SCHEME[scheme];
  if (flag === undefined) throw new KeystoreError(`key scheme ${scheme} cannot be written to a keystore`);
  return Buffer.concat([Buffer.from([flag]), Buffer.from(secretKey)]).toString('base64');
}

export class Keystore {
  private constructor(private readonly byAddress: Map<string, Keypair>) {}

  static fromEntries(entries: readonly string[]): Keystore {
    const map = new Map<string, Keypair>();
    entries.forEach((entry, i) => {
      let kp: Keypair;
      try {
        kp = parseKeyEntry(entry);
      } catch (e) {
        throw new KeystoreError(`keystore entry #${i}: ${(e as Error).message}`);
      }
      map.set(kp.getPublicKey().toSuiAddress(), kp);
    });
    return new Keystore(map);
  }

  static async load(path: string): Promise<Keystore> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new KeystoreError(
        `cannot read keystore ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new KeystoreError(
        `keystore ${path} is not JSON (expected the sui.keystore format: a JSON array of base64 keys)`,
      );
    }
    if (!Array.isArray(json) || !json.every((x) => typeof x === 'string')) {
      throw new KeystoreError(`keystore ${path} must be a JSON array of strings`);
    }
    return Keystore.fromEntries(json);
  }

  /** Load, or start empty when the file does not exist yet. */
  static async loadOrEmpty(path: string): Promise<Keystore> {
    try {
      return await Keystore.load(path);
    } catch (e) {
      if (/ENOENT/.test((e as Error).message)) return new Keystore(new Map());
      throw e;
    }
  }

  get addresses(): string[] {
    return [...this.byAddress.keys()];
  }

  get(address: string): Keypair | undefined {
    return this.byAddress.get(normalizeAddress(address));
  }

  require(address: string): Keypair {
    const kp = this.get(address);
    if (!kp)
      throw new KeystoreError(
        `no key for address ${address} in the keystore; import it with "sui keytool import" or "k3s-daas token issue --new-key"`,
      );
    return kp;
  }

  add(keypair: Keypair): string {
    const address = keypair.getPublicKey().toSuiAddress();
    this.byAddress.set(address, keypair);
    return address;
  }

  toJSON(): string[] {
    return [...this.byAddress.values()].map(formatKeyEntry);
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON(), null, 2) + '\n', 0o600);
  }
}

export function normalizeAddress(address: string): string {
  const hex = address.toLowerCase().replace(/^0x/, '');
  return '0x' + hex.padStart(64, '0');
}

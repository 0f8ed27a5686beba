/**
 * The executor's answer-signing key: an ed25519 key of its own, separate
 * from the Sui account key that pays for transactions, so it can later live
 * in an attested enclave. Kept in a file (0600) created on first use.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';

export class AnswerSigner {
  readonly publicKey: Uint8Array;

  constructor(private readonly secretKey: Uint8Array) {
    if (secretKey.length !== 32) throw new Error(`an ed25519 secret key is 32 bytes, got ${secretKey.length}`);
    this.publicKey = ed25519.getPublicKey(secretKey);
  }

  static generate(): AnswerSigner {
    return new AnswerSigner(ed25519.utils.randomSecretKey());
  }

  /**
   * The key in `file` (hex), created with a fresh key when missing. Refuses a
   * file others can read, as ssh does for private keys.
   */
  static fromFile(file: string): AnswerSigner {
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      const signer = AnswerSigner.generate();
      writeFileSync(file, Buffer.from(signer.secretKey).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      return signer;
    }
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0 && process.platform !== 'win32')
      throw new Error(`answer-signing key ${file} is readable by others (mode ${(statSync(file).mode & 0o777).toString(8)}); run chmod 600 ${file}`);
    const text = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(text))
      throw new Error(`answer-signing key ${file} must hold 64 hex characters (an ed25519 secret key)`);
    chmodSync(file, 0o600);
    return new AnswerSigner(Uint8Array.from(Buffer.from(text, 'hex')));
  }

  /** Writes the key to `file` (hex, 0600), e.g. to hand a generated key to a listener process. */
  save(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(this.secretKey).toString('hex') + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  sign(intent: Uint8Array): Uint8Array {
    return ed25519.sign(intent, this.secretKey);
  }
}

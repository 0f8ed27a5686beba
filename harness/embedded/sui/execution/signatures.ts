/** User signature checks over the transaction intent message (Ed25519, Secp256k1, Secp256r1, multisig…). */
import { verifyTransactionSignature } from '@mysten/sui/verify';
import { toBase64 } from '@mysten/sui/utils';
import { verifyEd25519 } from './ed25519-fast.ts';

export class SignatureError extends Error {
  override name = 'SignatureError';
}

/**
 * Every required signer (sender, and the gas owner when sponsored) must have a valid signature;
 * extra or invalid signatures are refused, as validators do.
 */
export async function verifySigners(
  txBytes: Uint8Array,
  signatures: Uint8Array[],
  signers: string[],
): Promise<void> {
  if (signatures.length === 0)
    throw new SignatureError('transaction has no signatures; sign it with the sender key');
  const unmatched = new Set(signers);
  for (const [index, sig] of signatures.entries()) {
    let address: string;
    try {
      address =
        verifyEd25519(txBytes, sig) ??
        (await verifyTransactionSignature(txBytes, toBase64(sig))).toSuiAddress();
    } catch (error) {
      throw new SignatureError(
        `signature #${index} does not verify over this transaction (${(error as Error).message}); sign the exact bytes being executed`,
      );
    }
    if (!unmatched.has(address) && !signers.includes(address)) {
      throw new SignatureError(
        `signature #${index} is by ${address}, which is neither the sender nor the gas owner (${signers.join(', ')})`,
      );
    }
    unmatched.delete(address);
  }
  if (unmatched.size > 0) throw new SignatureError(`missing signature from ${[...unmatched].join(', ')}`);
}

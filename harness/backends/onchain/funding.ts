import type { Signer } from '@mysten/sui/cryptography';
import { requestSuiFromFaucetV2 } from '@mysten/sui/faucet';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { decodeSuiPrivateKey } from '@mysten/sui/cryptography';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { Transaction } from '@mysten/sui/transactions';
import type { ChainHandle } from '../types.ts';
import { waitUntil } from '../readiness.ts';
import { execute } from './tx.ts';

export function keypairFromSecret(secret: string): Signer {
  const { scheme, secretKey } = decodeSuiPrivateKey(secret);
  switch (scheme) {
    case 'ED25519':
      return Ed25519Keypair.fromSecretKey(secretKey);
    case 'Secp256k1':
      return Secp256k1Keypair.fromSecretKey(secretKey);
    case 'Secp256r1':
      return Secp256r1Keypair.fromSecretKey(secretKey);
    default:
      throw new Error(`unsupported key scheme ${scheme}`);
  }
}

/**
 * Gives addresses SUI: from a funded key when the backend has one (one transaction for all
 * recipients), otherwise from the faucet (retried: a fresh localnet faucet fails for a while).
 */
export class Funder {
  private readonly funded: Signer | undefined;
  constructor(
    private readonly client: SuiGrpcClient,
    private readonly chain: ChainHandle,
  ) {
    this.funded = chain.fundedKeys[0] ? keypairFromSecret(chain.fundedKeys[0]) : undefined;
    if (!this.funded && !chain.faucetUrl) {
      throw new Error(
        `chain backend "${chain.kind}" has neither a faucet nor a funded key: cannot fund test accounts`,
      );
    }
  }

  async fund(recipients: string[], amountMist: bigint): Promise<void> {
    if (recipients.length === 0) return;
    if (this.funded) {
      const tx = new Transaction();
      const coins = tx.splitCoins(
        tx.gas,
        recipients.map(() => tx.pure.u64(amountMist)),
      );
      recipients.forEach((r, i) => tx.transferObjects([coins[i]!], tx.pure.address(r)));
      await execute(this.client, this.funded, tx, `funding ${recipients.length} account(s)`);
      return;
    }
    const host = this.chain.faucetUrl!;
    for (const recipient of recipients) {
      await waitUntil(`faucet ${host} for ${recipient}`, () => requestSuiFromFaucetV2({ host, recipient }), {
        timeoutMs: 60_000,
        intervalMs: 1_000,
      });
    }
    await waitUntil(
      'faucet coins visible',
      async () => {
        for (const owner of recipients) {
          const b = await this.client.getBalance({ owner });
          if (BigInt(b.balance.balance) === 0n) throw new Error(`${owner} has no SUI yet`);
        }
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }
}

/**
 * Faucet compatible with `requestSuiFromFaucetV2` (`POST /v2/gas` with
 * `{ FixedAmountRequest: { recipient } }`): each request is a real, signed transfer transaction
 * from the faucet account, so it shows up like any other transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transaction } from '@mysten/sui/transactions';
import { isValidSuiAddress, normalizeSuiAddress, fromBase64 } from '@mysten/sui/utils';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import type { EmbeddedSuiNode } from './node.ts';
import { readBody } from './grpc-web/server.ts';
import { coinBalance } from './ledger/objects.ts';
import { GAS_COIN_TYPE } from './ledger/types.ts';

export const FAUCET_AMOUNT_MIST = 10_000_000_000n;

export class Faucet {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly node: EmbeddedSuiNode,
    private readonly keypair: Ed25519Keypair,
    readonly amount = FAUCET_AMOUNT_MIST,
  ) {}

  /** Sends `amount` MIST to `recipient`; requests are serialized so the faucet coin is never stale. */
  send(recipient: string): Promise<{ id: string; amount: bigint; transferTxDigest: string }> {
    const run = this.queue.then(() => this.transfer(recipient));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transfer(recipient: string) {
    const sender = this.keypair.toSuiAddress();
    const gas = this.node.ledger
      .ownedBy(sender)
      .filter((o) => o.data.kind === 'move' && o.data.type === GAS_COIN_TYPE)
      .sort((a, b) => ((coinBalance(b) ?? 0n) > (coinBalance(a) ?? 0n) ? 1 : -1))[0];
    if (!gas) throw new Error('the faucet account has no SUI left');
    const tx = new Transaction();
    tx.setSender(sender);
    tx.setGasPrice(this.node.ledger.state.referenceGasPrice);
    tx.setGasBudget(10_000_000n);
    tx.setGasPayment([{ objectId: gas.id, version: gas.version.toString(), digest: gas.digest }]);
    const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(this.amount)]);
    tx.transferObjects([coin!], tx.pure.address(recipient));
    const bytes = await tx.build();
    const { signature } = await this.keypair.signTransaction(bytes);
    const result = await this.node.executor.execute(bytes, { signatures: [fromBase64(signature)] });
    this.node.afterCommit();
    const status = result.executed.effects?.status;
    if (!status?.success)
      throw new Error(`faucet transfer failed: ${status?.error?.description ?? 'unknown error'}`);
    const created = result.executed.effects?.changedObjects.find(
      (c) => c.idOperation === 1 && c.outputOwner?.address === normalizeSuiAddress(recipient),
    );
    return { id: created?.objectId ?? '', amount: this.amount, transferTxDigest: result.digest };
  }

  /** HTTP route for `POST /v2/gas` (and `/gas`); answers JSON like the Sui faucet. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v2/gas' && path !== '/gas') return false;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    };
    const failure = (status: number, internal: string) =>
      reply(status, { status: { Failure: { internal } }, coins_sent: null });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'content-type',
        'access-control-allow-methods': 'POST',
      });
      res.end();
      return true;
    }
    if (req.method !== 'POST') {
      failure(405, `use POST ${path} with {"FixedAmountRequest":{"recipient":"0x…"}}`);
      return true;
    }
    let recipient: unknown;
    try {
      const body = JSON.parse(Buffer.from(await readBody(req, 64 * 1024)).toString('utf8')) as Record<
        string,
        { recipient?: unknown } | undefined
      >;
      recipient = body.FixedAmountRequest?.recipient;
    } catch {
      failure(400, 'body must be JSON: {"FixedAmountRequest":{"recipient":"0x…"}}');
      return true;
    }
    if (typeof recipient !== 'string' || !isValidSuiAddress(normalizeSuiAddress(recipient))) {
      failure(400, `recipient ${JSON.stringify(recipient)} is not a Sui address`);
      return true;
    }
    try {
      const sent = await this.send(recipient);
      reply(200, {
        status: 'Success',
        coins_sent: [{ amount: Number(sent.amount), id: sent.id, transferTxDigest: sent.transferTxDigest }],
      });
    } catch (error) {
      failure(500, (error as Error).message);
    }
    return true;
  }
}

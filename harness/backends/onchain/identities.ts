import type { Signer } from '@mysten/sui/cryptography';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Transaction } from '@mysten/sui/transactions';
import {
  abortByName,
  issueSealToken,
  parseMoveAbort,
  revokeSealToken,
  stakeSealToken,
  type RbacRule,
} from '../../../src/contract/index.ts';
import { newBearerToken } from '../../../src/shared/identities.ts';
import { createdOne, execute, TransactionFailedError } from './tx.ts';

/** What the harness asks for; rules already expanded (presets resolved, ${namespace} filled in). */
export interface IdentityRequest {
  /** Unique across the stack, e.g. "apply-pod/dev". */
  name: string;
  rules: RbacRule[];
  stakeMist: bigint;
  /** Relative to the chain clock at issue; undefined = never. */
  expiresInMs?: number;
  revoked?: boolean;
  /** Not on chain at all: a bearer token nobody issued. */
  unknown?: boolean;
}

/**
 * The contract refuses an expiry that is not in the future at execution time, so very short
 * expiries are issued with this much headroom; `waitForShortExpiries` then lets them lapse.
 */
export const MIN_EXPIRY_MS = 1_500;
/** k8s_gateway's EInvalidExpiry (see src/contract's abort table). */
const EINVALID_EXPIRY = abortByName('EInvalidExpiry')?.code ?? 30;

/** Tokens that expire within this window are meant to be used expired. */
export const SHORT_EXPIRY_MS = 5_000;

export interface IssuedIdentity {
  name: string;
  /** Secret bearer token kubectl presents. */
  bearerToken: string;
  /** Undefined for unknown identities. */
  keypair?: Ed25519Keypair;
  address?: string;
  sealTokenId?: string;
  request: IdentityRequest;
  /** Digests of the setup transactions (issue, stake, revoke). */
  digests: string[];
  /** Chain-clock expiry (0 = never). */
  expiresAtMs?: number;
}

export interface IdentityIssuer {
  client: SuiGrpcClient;
  admin: Signer;
  packageId: string;
  clusterId: string;
  adminCapId: string;
  /** Chain clock now (ms); expiry is computed from it so that embedded and real chains agree. */
  chainNowMs(): Promise<number>;
}

/**
 * Issues the SealTokens (admin transactions, sequential: they share the admin's gas coin),
 * then stakes them (owner transactions, in parallel), then revokes where asked.
 */
export async function issueIdentities(
  ctx: IdentityIssuer,
  requests: IdentityRequest[],
  fund: (addresses: string[]) => Promise<void>,
): Promise<IssuedIdentity[]> {
  const out: IssuedIdentity[] = requests.map((request) => {
    if (request.unknown) return { name: request.name, bearerToken: newBearerToken(), request, digests: [] };
    const keypair = new Ed25519Keypair();
    return {
      name: request.name,
      bearerToken: newBearerToken(),
      keypair,
      address: keypair.toSuiAddress(),
      request,
      digests: [],
    };
  });
  const onChain = out.filter((i) => i.keypair);
  await fund(onChain.map((i) => i.address!));

  // Admin transactions issue the tokens (few round trips, one gas coin). Tokens meant to be used
  // expired go last, in their own transaction: their expiry must still be in the future when it
  // executes, and a loaded machine can take seconds between reading the clock and executing.
  const isShort = (i: IssuedIdentity): boolean =>
    i.request.expiresInMs !== undefined && i.request.expiresInMs < SHORT_EXPIRY_MS;
  const normal = onChain.filter((i) => !isShort(i));
  const short = onChain.filter(isShort);
  if (normal.length) await issueBatch(ctx, normal, 0);
  for (let attempt = 0, margin = MIN_EXPIRY_MS; short.length; attempt++, margin *= 2) {
    try {
      await issueBatch(ctx, short, margin);
      break;
    } catch (err) {
      // Either executed and aborted, or aborted in the simulation the SDK runs while building.
      const abort = parseMoveAbort(err instanceof TransactionFailedError ? err.error : err);
      const expiredBeforeExecution = abort?.code === EINVALID_EXPIRY;
      if (!expiredBeforeExecution || attempt >= 3) throw err;
    }
  }

  await Promise.all(
    onChain
      .filter((id) => id.request.stakeMist > 0n)
      .map(async (id) => {
        const tx = new Transaction();
        stakeSealToken(tx, ctx.packageId, { token: id.sealTokenId!, coin: id.request.stakeMist });
        id.digests.push(
          (await execute(ctx.client, id.keypair!, tx, `staking ${id.name}'s SealToken`)).digest,
        );
      }),
  );

  const revoked = onChain.filter((id) => id.request.revoked);
  if (revoked.length) {
    const tx = new Transaction();
    for (const id of revoked)
      revokeSealToken(tx, ctx.packageId, {
        adminCap: ctx.adminCapId,
        cluster: ctx.clusterId,
        tokenId: id.sealTokenId!,
      });
    const done = await execute(ctx.client, ctx.admin, tx, `revoking ${revoked.length} SealToken(s)`);
    for (const id of revoked) id.digests.push(done.digest);
  }
  await waitForShortExpiries(ctx, out);
  return out;
}

/** Waits (chain clock) until every token meant to be used expired has expired. */
async function waitForShortExpiries(ctx: IdentityIssuer, ids: IssuedIdentity[]): Promise<void> {
  const short = ids.filter(
    (i) => i.request.expiresInMs !== undefined && i.request.expiresInMs < SHORT_EXPIRY_MS && i.expiresAtMs,
  );
  if (!short.length) return;
  const target = Math.max(...short.map((i) => i.expiresAtMs!));
  const deadline = Date.now() + 30_000;
  while ((await ctx.chainNowMs()) <= target) {
    if (Date.now() > deadline)
      throw new Error(`chain clock did not pass ${target} within 30 s (is the chain producing checkpoints?)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One admin transaction issuing SealTokens; `minExpiryMs` is the headroom for expiring tokens. */
async function issueBatch(ctx: IdentityIssuer, ids: IssuedIdentity[], minExpiryMs: number): Promise<void> {
  const now = await ctx.chainNowMs();
  const expiryOf = (id: IssuedIdentity): number => {
    const exp = id.request.expiresInMs;
    return exp === undefined ? 0 : now + Math.max(exp, minExpiryMs, 1);
  };
  const tx = new Transaction();
  for (const id of ids) {
    issueSealToken(tx, ctx.packageId, {
      adminCap: ctx.adminCapId,
      cluster: ctx.clusterId,
      recipient: id.address!,
      label: id.name,
      rules: id.request.rules,
      expiresAtMs: expiryOf(id),
    });
  }
  const done = await execute(ctx.client, ctx.admin, tx, `issuing ${ids.length} SealToken(s)`);
  for (const id of ids) {
    id.expiresAtMs = expiryOf(id);
    id.sealTokenId = tokenOwnedBy(done, id.address!);
    id.digests.push(done.digest);
  }
}

function tokenOwnedBy(done: Awaited<ReturnType<typeof execute>>, owner: string): string {
  const hit = done.effects.changedObjects.find(
    (c) =>
      c.idOperation === 'Created' &&
      (done.objectTypes[c.objectId] ?? '').endsWith('::k8s_gateway::SealToken') &&
      c.outputOwner?.$kind === 'AddressOwner' &&
      c.outputOwner.AddressOwner === owner,
  );
  if (!hit)
    throw new Error(`issue_seal_token created no SealToken for ${owner} (transaction ${done.digest})`);
  return hit.objectId;
}

export { createdOne };

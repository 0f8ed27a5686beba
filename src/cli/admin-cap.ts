/** The cluster admin's AdminCap, which admin-only calls (revoke, pause) take. */
import { AdminCapBcs, contractType } from '../contract/index.ts';
import { normalizeAddress } from '../shared/keystore.ts';
import { CliError, type CliContext } from './context.ts';

/** Find the signer's AdminCap for the cluster (or use --admin-cap). */
export async function findAdminCap(ctx: CliContext, owner: string, explicit?: string): Promise<string> {
  if (explicit) return normalizeAddress(explicit);
  let cursor: string | null = null;
  do {
    const page: {
      objects: Array<{ objectId: string; content: Uint8Array }>;
      hasNextPage: boolean;
      cursor: string | null;
    } = await ctx.client().listOwnedObjects({
      owner,
      type: contractType(ctx.packageId, 'AdminCap'),
      include: { content: true },
      cursor,
    });
    for (const o of page.objects) {
      if (AdminCapBcs.parse(o.content).cluster_id === ctx.clusterId) return o.objectId;
    }
    cursor = page.hasNextPage ? page.cursor : null;
  } while (cursor);
  throw new CliError(
    `${owner} owns no AdminCap for cluster ${ctx.clusterId}; sign with the cluster creator (--signer) or pass --admin-cap`,
  );
}

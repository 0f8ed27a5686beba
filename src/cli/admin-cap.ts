/** The cluster admin's AdminCap, which admin-only calls (revoke, pause) take. */
import { AdminCapBcs, contractType } from '../contract/index.ts';
import { normalizeAddress } from '../sui/keystore.ts';
import { findOwnedObject } from '../sui/owned-objects.ts';
import { CliError, type CliContext } from './context.ts';

/** Find the signer's AdminCap for the cluster (or use --admin-cap). */
export async function findAdminCap(ctx: CliContext, owner: string, explicit?: string): Promise<string> {
  if (explicit) return normalizeAddress(explicit);
  const found = await findOwnedObject(
    ctx.client(),
    owner,
    contractType(ctx.packageId, 'AdminCap'),
    (content) => AdminCapBcs.parse(content).cluster_id === ctx.clusterId,
  );
  if (found) return found;
  throw new CliError(
    `${owner} owns no AdminCap for cluster ${ctx.clusterId}; sign with the cluster creator (--signer) or pass --admin-cap`,
  );
}

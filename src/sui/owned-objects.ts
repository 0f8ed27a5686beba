/** The owner's first object of a type that passes a check, page by page (e.g. a cap for one cluster). */
import type { SuiGrpcClient } from '@mysten/sui/grpc';

export async function findOwnedObject(
  client: SuiGrpcClient,
  owner: string,
  type: string,
  matches: (content: Uint8Array) => boolean,
): Promise<string | undefined> {
  let cursor: string | null = null;
  do {
    const page: {
      objects: Array<{ objectId: string; content: Uint8Array }>;
      hasNextPage: boolean;
      cursor: string | null;
    } = await client.listOwnedObjects({ owner, type, include: { content: true }, cursor });
    for (const o of page.objects) if (matches(o.content)) return o.objectId;
    cursor = page.hasNextPage ? page.cursor : null;
  } while (cursor);
  return undefined;
}

/**
 * Which gRPC methods the embedded node serves, as a given Sui release does. `current` serves
 * everything the node implements. `1.71` (the framework release the project compiles against)
 * serves what a Sui 1.71 full node's sui.rpc.v2 API has: its LedgerService has no ListEvents or
 * ListTransactions and its SubscriptionService only SubscribeCheckpoints — the event RPCs arrived
 * in 1.76/1.77. Anything else answers UNIMPLEMENTED, so the product's fallback to checkpoints is
 * exercised the way a real 1.71 node would exercise it.
 */
export type RpcProfileName = '1.71' | 'current';

export const RPC_PROFILES: readonly RpcProfileName[] = ['1.71', 'current'];

/** Method paths a profile does not serve. */
export function unservedMethods(profile: RpcProfileName): string[] {
  if (profile === 'current') return [];
  return [
    '/sui.rpc.v2.LedgerService/ListEvents',
    '/sui.rpc.v2.LedgerService/ListTransactions',
    '/sui.rpc.v2.SubscriptionService/SubscribeEvents',
    '/sui.rpc.v2.SubscriptionService/SubscribeTransactions',
  ];
}

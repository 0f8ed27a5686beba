/**
 * The readiness boundary of `sui start` (and any node the harness starts as a process): once
 * GetServiceInfo answers, checkProductRpcs verifies the RPCs the product reads events with.
 * Tested against the embedded node in both RPC profiles and with the checkpoint RPCs removed
 * too (a node K3s-DaaS cannot use) — no sui binary needed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { frameworkModules } from '../../embedded/sui/compiled.ts';
import { buildRouter, startEmbeddedSui, type EmbeddedSui } from '../../embedded/sui/index.ts';
import { EmbeddedSuiNode } from '../../embedded/sui/node.ts';
import { startGrpcWebServer } from '../../embedded/sui/grpc-web/http-server.ts';
import { checkProductRpcs } from '../readiness.ts';

describe('sui node readiness: the RPCs K3s-DaaS needs', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });
  const start = async (rpcProfile: '1.71' | 'current'): Promise<EmbeddedSui> => {
    const chain = await startEmbeddedSui({
      frameworkModules: await frameworkModules(),
      accounts: 1,
      rpcProfile,
    });
    stops.push(() => chain.stop());
    return chain;
  };

  it('current profile: ListEvents + SubscribeEvents', async () => {
    const chain = await start('current');
    expect(await checkProductRpcs(chain.url)).toEqual({
      server: 'k3s-daas-embedded-sui/0.1 (rpc profile current)',
      events: 'events',
    });
  });

  it('1.71 profile: no event RPCs, the checkpoint fallback is there', async () => {
    const chain = await start('1.71');
    expect(await checkProductRpcs(chain.url)).toEqual({
      server: 'k3s-daas-embedded-sui/0.1 (rpc profile 1.71)',
      events: 'checkpoints',
    });
  });

  it('a node serving neither fails with its server name and what is missing', async () => {
    const node = new EmbeddedSuiNode({ accounts: 1, rpcProfile: '1.71' });
    node.start();
    const router = buildRouter(node, '1.71');
    router.remove([
      '/sui.rpc.v2.LedgerService/GetCheckpoint',
      '/sui.rpc.v2.SubscriptionService/SubscribeCheckpoints',
    ]);
    const server = await startGrpcWebServer({ router });
    stops.push(async () => {
      node.stop();
      await server.close();
    });
    const err = await checkProductRpcs(server.url).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/\(k3s-daas-embedded-sui\/0\.1 \(rpc profile 1\.71\)\)/);
    expect((err as Error).message).toMatch(
      /missing: LedgerService\.ListEvents, SubscriptionService\.SubscribeEvents, LedgerService\.GetCheckpoint, SubscriptionService\.SubscribeCheckpoints/,
    );
  });
});

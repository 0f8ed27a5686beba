/**
 * The Sui client handed to SealClient and SessionKey, with one read cached: the package object.
 * `SealClient.encrypt` and `SessionKey.create` read it on every call only to check that it is
 * the first version, and a package id never changes its version — one round trip per answer
 * the listener encrypts, saved. Everything else goes to the client unchanged.
 */
import type { SealCompatibleClient } from '@mysten/seal';
import { normalizeSuiAddress } from '@mysten/sui/utils';

type GetObject = SealCompatibleClient['core']['getObject'];

export function withCachedPackage(client: SealCompatibleClient, packageId: string): SealCompatibleClient {
  const pkg = normalizeSuiAddress(packageId);
  let cached: Promise<unknown> | undefined;
  // Only the bare `{ objectId: package }` read (no include) is cached: it has one answer shape.
  const getObject = ((options: Parameters<GetObject>[0]) => {
    const plain = Object.keys(options).length === 1;
    if (!plain || normalizeSuiAddress(options.objectId) !== pkg) return client.core.getObject(options);
    cached ??= client.core.getObject(options).catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  }) as GetObject;
  // Methods run on the real objects (`this` = target): the SDK's classes use #private fields.
  const bound = (target: object, prop: string | symbol): unknown => {
    const v: unknown = Reflect.get(target, prop, target);
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const core = new Proxy(client.core, {
    get: (target, prop) => (prop === 'getObject' ? getObject : bound(target, prop)),
  });
  return new Proxy(client, {
    get: (target, prop) => (prop === 'core' ? core : bound(target, prop)),
  });
}

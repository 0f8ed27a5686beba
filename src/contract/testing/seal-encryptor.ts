/**
 * An unmodified SealClient that can encrypt (never decrypt) without a chain or key servers:
 * its Sui client answers only the reads `encrypt` makes (the package at version 1, KeyServer
 * objects with V1 fields and public keys of made-up master keys). For tests of what the
 * contract accepts; decryption needs real key servers (the harness's embedded ones).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { SealClient, type SealCompatibleClient } from '@mysten/seal';
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';

const KeyServer = bcs.struct('KeyServer', {
  id: bcs.Address,
  firstVersion: bcs.u64(),
  lastVersion: bcs.u64(),
});
const KeyServerV1 = bcs.struct('KeyServerV1', {
  name: bcs.string(),
  url: bcs.string(),
  keyType: bcs.u8(),
  pk: bcs.vector(bcs.u8()),
});

export function encryptOnlySealClient(packageId: string, keyServerIds: readonly string[]): SealClient {
  const pkg = normalizeSuiAddress(packageId);
  const pks = new Map(
    keyServerIds.map((id, i) => [
      normalizeSuiAddress(id),
      bls12_381.G2.Point.BASE.multiply(BigInt(7919 + i)).toBytes(),
    ]),
  );
  const core = {
    getObject: ({ objectId }: { objectId: string }) => {
      const id = normalizeSuiAddress(objectId);
      if (id === pkg) return Promise.resolve({ object: { version: '1' } });
      if (!pks.has(id)) return Promise.reject(new Error(`encryptOnlySealClient: no object ${objectId}`));
      return Promise.resolve({
        object: { content: KeyServer.serialize({ id, firstVersion: 1, lastVersion: 1 }).toBytes() },
      });
    },
    getDynamicField: ({ parentId }: { parentId: string }) => {
      const pk = pks.get(normalizeSuiAddress(parentId));
      if (!pk) return Promise.reject(new Error(`encryptOnlySealClient: no key server ${parentId}`));
      const value = KeyServerV1.serialize({
        name: 'test',
        url: 'http://127.0.0.1:9',
        keyType: 0,
        pk: [...pk],
      });
      return Promise.resolve({ dynamicField: { value: { bcs: value.toBytes() } } });
    },
  };
  return new SealClient({
    suiClient: { core } as unknown as SealCompatibleClient,
    serverConfigs: keyServerIds.map((objectId) => ({ objectId: normalizeSuiAddress(objectId), weight: 1 })),
  });
}

import { describe, expect, it } from 'vitest';
import { checkExecutorKeystore, type ExecutorKeystoreInput } from './keystore-guard.ts';
import { normalizeAddress } from '../sui/keystore.ts';

const E = normalizeAddress('0xe0');
const A = normalizeAddress('0xa1');
const base: ExecutorKeystoreInput = {
  keystorePath: '/srv/nautilus/sui.keystore',
  gatewayKeystorePath: '/home/u/.k3s-daas/gateway/sui.keystore',
  keys: [E],
  executor: E,
  identityAddresses: new Map([[A, 'owns SealToken 0x7 of this cluster']]),
};

describe("the listener's keystore", () => {
  it('holding only the executor key, apart from the gateway, passes', () => {
    expect(checkExecutorKeystore(base)).toBeUndefined();
  });
  it("is refused when it is the gateway's file", () => {
    expect(
      checkExecutorKeystore({ ...base, keystorePath: '/home/u/.k3s-daas/gateway/../gateway/sui.keystore' }),
    ).toMatch(/is the gateway's keystore/);
  });
  it('is refused when it holds other keys or the key is a user’s', () => {
    expect(checkExecutorKeystore({ ...base, keys: [E, A] })).toMatch(
      /holds 2 key\(s\).*only the executor's key/,
    );
    expect(checkExecutorKeystore({ ...base, keys: [A], executor: A })).toMatch(
      /is a user's key \(owns SealToken 0x7 of this cluster\)/,
    );
  });
});

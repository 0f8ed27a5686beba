import { describe, expect, it } from 'vitest';
import { checkGatewayCustody, custodyBanner, type CustodyInput } from './custody.ts';
import { normalizeAddress } from '../sui/keystore.ts';

const A = normalizeAddress('0xa1');
const B = normalizeAddress('0xb2');
const id = (name: string, address: string) => ({
  name,
  address,
  tokenSha256: '0'.repeat(64),
  sealTokenId: '0x1',
  clusterId: '0x2',
});
const base: CustodyInput = {
  shared: false,
  host: '127.0.0.1',
  keystorePath: '/k/sui.keystore',
  keystoreMode: 0o600,
  keys: [A],
  identities: [id('alice', A), id('alice-ci', A)],
};

describe('gateway custody', () => {
  it('default: one user key, its identities, loopback, 0600 → per-user, non-custodial', () => {
    const v = checkGatewayCustody(base);
    expect(v).toEqual({ ok: true, shared: false, user: A });
    expect(custodyBanner(v as Extract<typeof v, { ok: true }>)).toContain('non-custodial');
  });

  it('a second key or another user is refused without --shared, naming --shared and custody', () => {
    for (const v of [
      checkGatewayCustody({ ...base, keys: [A, B] }),
      checkGatewayCustody({ ...base, identities: [id('alice', A), id('bob', B)] }),
    ]) {
      expect(v.ok).toBe(false);
      expect(!v.ok && v.reason).toMatch(/--shared/);
      expect(!v.ok && v.reason).toMatch(/custodial/);
    }
    expect(checkGatewayCustody({ ...base, keys: [A, B] })).toMatchObject({ reason: /holds 2 keys/ });
    expect(checkGatewayCustody({ ...base, identities: [id('bob', B)] })).toMatchObject({ reason: /"bob"/ });
  });

  it('--shared serves several users and its banner says it is custodial', () => {
    const v = checkGatewayCustody({ ...base, shared: true, host: '0.0.0.0', keys: [A, B] });
    expect(v).toEqual({ ok: true, shared: true, users: [A, B] });
    expect(custodyBanner(v as Extract<typeof v, { ok: true }>)).toMatch(/SHARED, CUSTODIAL.*2 user/);
  });

  it('refuses a keystore others can read (also when shared), an empty one, and a non-loopback host', () => {
    expect(checkGatewayCustody({ ...base, keystoreMode: 0o644 })).toMatchObject({
      ok: false,
      reason: /mode 0644.*chmod 600 \/k\/sui.keystore/,
    });
    expect(checkGatewayCustody({ ...base, shared: true, keystoreMode: 0o640 }).ok).toBe(false);
    expect(checkGatewayCustody({ ...base, keys: [] })).toMatchObject({ reason: /holds no key/ });
    expect(checkGatewayCustody({ ...base, host: '0.0.0.0' })).toMatchObject({ reason: /loopback only/ });
    expect(checkGatewayCustody({ ...base, host: '::1' }).ok).toBe(true);
  });
});

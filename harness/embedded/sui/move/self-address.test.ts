import { describe, expect, it } from 'vitest';
import { contractModules } from '../compiled.ts';
import { patchSelfAddress, withSelfAddressReference } from './self-address.ts';
import { readModule } from './module-info.ts';

describe('publish address rewrite', () => {
  it('patches the self address exactly like a deserialize/serialize round trip', async () => {
    const { modules } = await contractModules();
    const pkg = '0x' + '5e'.repeat(32);
    for (const m of modules) {
      const bytes = Uint8Array.from(Buffer.from(m, 'base64'));
      const fast = patchSelfAddress(bytes, pkg);
      if (!fast) throw new Error('fast path not taken');
      expect(Buffer.from(fast).equals(Buffer.from(withSelfAddressReference(bytes, pkg)))).toBe(true);
      expect(readModule(fast).address).toBe(pkg);
    }
  }, 300_000);
});

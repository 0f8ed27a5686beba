import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Keystore, KeystoreError, formatKeyEntry, parseKeyEntry } from './keystore.ts';
import { IdentityStore, IdentitiesError, hashToken, newBearerToken } from '../shared/identities.ts';

describe('keystore (sui.keystore format)', () => {
  it('round-trips ed25519 and secp256k1 entries as base64 flag||key', () => {
    for (const kp of [new Ed25519Keypair(), new Secp256k1Keypair()]) {
      const entry = formatKeyEntry(kp);
      const bytes = Buffer.from(entry, 'base64');
      expect(bytes.length).toBe(33);
      expect(bytes[0]).toBe(kp instanceof Ed25519Keypair ? 0 : 1);
      expect(parseKeyEntry(entry).getPublicKey().toSuiAddress()).toBe(kp.getPublicKey().toSuiAddress());
    }
  });
  it('accepts suiprivkey bech32 entries', () => {
    const kp = new Ed25519Keypair();
    expect(parseKeyEntry(kp.getSecretKey()).getPublicKey().toSuiAddress()).toBe(kp.toSuiAddress());
  });
  it('reads a file written like the Sui CLI does and finds keys by address', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-'));
    const a = new Ed25519Keypair();
    const b = new Secp256k1Keypair();
    await writeFile(join(dir, 'sui.keystore'), JSON.stringify([formatKeyEntry(a), b.getSecretKey()]));
    const ks = await Keystore.load(join(dir, 'sui.keystore'));
    expect(ks.addresses.sort()).toEqual([a.toSuiAddress(), b.toSuiAddress()].sort());
    expect(ks.require(a.toSuiAddress()).toSuiAddress()).toBe(a.toSuiAddress());
    await ks.save(join(dir, 'out.keystore'));
    const saved = JSON.parse(await readFile(join(dir, 'out.keystore'), 'utf8')) as string[];
    expect(saved.every((e) => Buffer.from(e, 'base64').length === 33)).toBe(true);
  });
  it('names what is wrong with a bad keystore', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-'));
    await writeFile(join(dir, 'bad'), '{"not":"array"}');
    await expect(Keystore.load(join(dir, 'bad'))).rejects.toThrow(/JSON array of strings/);
    expect(() => Keystore.fromEntries(['AAAA'])).toThrow(/entry #0/);
    expect(() =>
      parseKeyEntry(Buffer.concat([Buffer.from([9]), Buffer.alloc(32)]).toString('base64')),
    ).toThrow(/unknown key flag 9/);
    await expect(Keystore.load(join(dir, 'missing'))).rejects.toThrow(KeystoreError);
    expect(() => Keystore.fromEntries([]).require('0x1')).toThrow(/no key for address/);
  });
});

describe('identities (token hashes only)', () => {
  it('stores only the hash and resolves a presented token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'id-'));
    const store = new IdentityStore();
    const token = newBearerToken();
    store.upsert({ name: 'alice', token, address: '0x2', sealTokenId: '0xabc', clusterId: '0xc' });
    await store.save(join(dir, 'identities.json'));
    const text = await readFile(join(dir, 'identities.json'), 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(hashToken(token));
    const loaded = await IdentityStore.load(join(dir, 'identities.json'));
    expect(loaded.lookup(token)?.name).toBe('alice');
    expect(loaded.lookup(token)?.address).toBe('0x' + '0'.repeat(63) + '2');
    expect(loaded.lookup(token + 'x')).toBeUndefined();
    expect(loaded.lookup('')).toBeUndefined();
  });
  it('replacing a token invalidates the old one', () => {
    const store = new IdentityStore();
    store.upsert({ name: 'a', token: 't1', address: '0x1', sealTokenId: '0x1', clusterId: '0x1' });
    store.upsert({ name: 'a', token: 't2', address: '0x1', sealTokenId: '0x1', clusterId: '0x1' });
    expect(store.lookup('t1')).toBeUndefined();
    expect(store.lookup('t2')?.name).toBe('a');
  });
  it('rejects malformed files with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'id-'));
    await writeFile(join(dir, 'i.json'), JSON.stringify({ version: 1, identities: [{ name: 'x' }] }));
    await expect(IdentityStore.load(join(dir, 'i.json'))).rejects.toThrow(IdentitiesError);
    expect((await IdentityStore.load(join(dir, 'none.json'))).identities).toEqual([]);
  });
});

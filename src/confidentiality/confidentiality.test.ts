/** Flags, per-server failure reports and the fetch wrapper's routing (no key servers needed). */
import { describe, expect, it } from 'vitest';
import { parseKeyServers, sealSettings, SealConfigError } from './key-servers.ts';
import { KeyServerFetch, OutcomeLog, withOutcomeLog } from './key-server-fetch.ts';
import { explainSealFailure } from './seal-failure.ts';
import { settingsOf } from './gateway-seal.ts';

const A = '0x' + 'a'.repeat(64);
const B = '0x' + 'b'.repeat(64);
const C = '0x' + 'c'.repeat(64);

describe('--seal-key-servers / --seal-threshold', () => {
  it('parses ids with optional URL overrides', () => {
    expect(parseKeyServers(`${A}=https://ks.example:8443/,${B}`)).toEqual([
      { objectId: A, url: 'https://ks.example:8443' },
      { objectId: B },
    ]);
  });
  it('refuses what is not an object id, duplicates, non-http URLs and impossible thresholds', () => {
    expect(() => parseKeyServers('nope')).toThrow(SealConfigError);
    expect(() => parseKeyServers(`${A},${A}`)).toThrow(/twice/);
    expect(() => parseKeyServers(`${A}=ftp://x`)).toThrow(/http/);
    expect(() => parseKeyServers('')).toThrow(/empty/);
    expect(() => sealSettings(parseKeyServers(`${A},${B}`), 3)).toThrow(/1…2/);
  });
  it("the cluster's setting decides: flags may only give URLs for its servers and must agree on the threshold", () => {
    const setting = { mode: 'seal' as const, keyServers: [A, B, C], threshold: 2, executorEpoch: 0n };
    expect(settingsOf(setting, { keyServers: [{ objectId: B, url: 'http://127.0.0.1:1' }] })).toEqual({
      keyServers: [{ objectId: A }, { objectId: B, url: 'http://127.0.0.1:1' }, { objectId: C }],
      threshold: 2,
    });
    expect(() => settingsOf(setting, { keyServers: [{ objectId: '0x' + 'd'.repeat(64) }] })).toThrow(
      /does not use/,
    );
    expect(() => settingsOf(setting, { threshold: 3 })).toThrow(/differs from the cluster's threshold 2/);
  });
});

describe('failures name each key server and why', () => {
  const servers = [
    { objectId: A, name: 'ks-a', url: 'http://a' },
    { objectId: B, name: 'ks-b', url: 'http://b' },
    { objectId: C, name: 'ks-c', url: 'http://c' },
  ];
  const log = (outcomes: OutcomeLog['outcomes']) => Object.assign(new OutcomeLog(), { outcomes });

  it('below threshold → 503 listing the servers that did not answer', () => {
    const f = explainSealFailure({
      operation: 'decrypting x',
      error: new Error('majority'),
      servers,
      threshold: 2,
      log: log([
        { objectId: A, url: 'http://a', path: '/v1/fetch_key', error: 'ECONNREFUSED' },
        { objectId: B, url: 'http://b', path: '/v1/fetch_key', status: 503, error: 'Failure' },
        { objectId: C, url: 'http://c', path: '/v1/fetch_key', status: 200 },
      ]),
    });
    expect(f.code).toBe(503);
    expect(f.message).toMatch(/1 of 3 answered, 2 needed/);
    expect(f.message).toContain(`${A} "ks-a" at http://a: unreachable (ECONNREFUSED)`);
    expect(f.message).toContain(`${B} "ks-b" at http://b: HTTP 503 Failure`);
    expect(f.servers.map((s) => s.objectId)).toEqual([A, B]);
  });
  it('a policy refusal → 403 naming the refusing servers; aborted calls are not failures', () => {
    const f = explainSealFailure({
      operation: 'decrypting x',
      error: new Error('NoAccess'),
      servers,
      threshold: 2,
      log: log([
        {
          objectId: A,
          url: 'http://a',
          path: '/v1/fetch_key',
          status: 403,
          error: 'NoAccess',
          message: 'denied',
        },
        { objectId: B, url: 'http://b', path: '/v1/fetch_key', error: 'aborted' },
      ]),
    });
    expect(f.code).toBe(403);
    expect(f.kind).toBe('denied');
    expect(f.message).toContain(`${A} "ks-a" at http://a: HTTP 403 NoAccess: denied`);
    expect(f.message).not.toContain(B);
  });
  it('an expired session → 403 stale-session', () => {
    const f = explainSealFailure({
      operation: 'decrypting x',
      error: new Error('x'),
      servers,
      threshold: 2,
      log: log([
        { objectId: A, url: 'http://a', path: '/v1/fetch_key', status: 403, error: 'ExpiredSessionKey' },
      ]),
    });
    expect(f.kind).toBe('stale-session');
    expect(f.code).toBe(403);
  });
});

describe('the fetch handed to SealClient', () => {
  it('routes a server to its configured URL, by service_id and by its on-chain URL, and records outcomes', async () => {
    const seen: string[] = [];
    const base = (async (input: string | URL | Request) => {
      const url = String(input);
      seen.push(url);
      if (url.includes('b.override'))
        return new Response(JSON.stringify({ error: 'NoAccess', message: 'no' }), { status: 403 });
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    const f = new KeyServerFetch([[B, 'http://b.override:9']], base);
    f.learn([{ objectId: B, url: 'http://b.onchain' }]);
    const r = await withOutcomeLog(async () => {
      await f.fetch(`http://b.onchain/v1/service?service_id=${B}`);
      await f.fetch('http://b.onchain/v1/fetch_key', { method: 'POST' });
      await f.fetch('http://a.onchain/v1/fetch_key', { method: 'POST' });
    });
    expect(seen).toEqual([
      `http://b.override:9/v1/service?service_id=${B}`,
      'http://b.override:9/v1/fetch_key',
      'http://a.onchain/v1/fetch_key',
    ]);
    expect(r.log.fetchKeyCalls).toBe(2);
    expect(r.log.outcomes[1]).toMatchObject({ objectId: B, status: 403, error: 'NoAccess', message: 'no' });
    expect(r.log.outcomes[2]).toMatchObject({ status: 200 });
  });
});

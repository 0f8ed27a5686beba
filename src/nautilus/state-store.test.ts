import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from './state-store.ts';

/** Open requests without a known origin transaction. */
const ids = (...open: string[]) => new Map(open.map((id) => [id, undefined]));

describe('StateStore', () => {
  it('persists the cursor and open set across restarts and never moves the cursor back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const a = new StateStore(dir);
    await a.init();
    expect(a.cursorBytes).toBeUndefined();
    await a.saveCursor(Uint8Array.from([1, 2]), 10n, ids('0xaa'));
    await a.saveCursor(Uint8Array.from([9]), 5n, ids('0xbb')); // older checkpoint: ignored
    await a.flush();
    const b = new StateStore(dir);
    await b.init();
    expect([...b.cursorBytes!]).toEqual([1, 2]);
    expect([...b.openRequests.keys()]).toEqual(['0xaa']);
  });
  it('journals per request and refuses unsafe ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const s = new StateStore(dir);
    await s.init();
    await s.record({
      requestObjectId: '0xabc',
      requestId: 'r',
      phase: 'executed',
      at: 1,
      response: { statusCode: 201, contentType: 'application/json', bodyBase64: 'e30=' },
    });
    expect((await s.journal('0xabc'))?.response?.statusCode).toBe(201);
    expect(await s.journalIds()).toEqual(['0xabc']);
    await s.forget('0xabc');
    expect(await s.journal('0xabc')).toBeUndefined();
    await expect(
      s.record({ requestObjectId: '../../etc/x', requestId: 'r', phase: 'claimed', at: 1 }),
    ).rejects.toThrow(/refusing journal path/);
  });
  it('coalesces cursor writes: nothing per event, the latest state on flush', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const s = new StateStore(dir, 60_000);
    await s.init();
    for (let i = 1; i <= 20; i++) await s.saveCursor(Uint8Array.from([i]), BigInt(i), ids(`0x${i}`));
    await expect(readFile(join(dir, 'cursor.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    await s.flush();
    const written = JSON.parse(await readFile(join(dir, 'cursor.json'), 'utf8')) as { checkpoint: string };
    expect(written.checkpoint).toBe('20');
  });
  it('writes a pending cursor by itself after the delay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const s = new StateStore(dir, 20);
    await s.init();
    await s.saveCursor(Uint8Array.from([7]), 7n, ids('0x7'));
    const deadline = Date.now() + 5_000;
    let text: string | undefined;
    while (text === undefined && Date.now() < deadline) {
      text = await readFile(join(dir, 'cursor.json'), 'utf8').catch(() => undefined);
      if (text === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(JSON.parse(text ?? '{}')).toMatchObject({ checkpoint: '7', open: ['0x7'] });
  });
  it('keeps the origin transaction of each open request, when known', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const a = new StateStore(dir);
    await a.init();
    const open = new Map([
      ['0xa1', 'DigestA'],
      ['0xb2', undefined],
    ]);
    await a.saveCursor(Uint8Array.from([1]), 1n, open);
    await a.flush();
    const b = new StateStore(dir);
    await b.init();
    expect([...b.openRequests]).toEqual([
      ['0xa1', 'DigestA'],
      ['0xb2', undefined],
    ]);
  });
  it('finds journal entries left by a previous process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const a = new StateStore(dir);
    await a.init();
    await a.record({ requestObjectId: '0xdef', requestId: 'r', phase: 'executing', at: 1 });
    const b = new StateStore(dir);
    await b.init();
    expect(await b.journalIds()).toEqual(['0xdef']);
    expect((await b.journal('0xdef'))?.phase).toBe('executing');
  });
  it('a corrupt cursor file is reported with what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    await writeFile(join(dir, 'cursor.json'), '{not json');
    await expect(new StateStore(dir).init()).rejects.toThrow(/move it away to backfill from genesis/);
    expect(await readFile(join(dir, 'cursor.json'), 'utf8')).toBe('{not json');
  });
});

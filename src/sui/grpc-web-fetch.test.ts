import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcTypes, SuiGrpcClient } from '@mysten/sui/grpc';
import { createGrpcWebFetch } from './grpc-web-fetch.ts';

/** One grpc-web frame: flag, big-endian length, payload. */
function frame(flag: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}
const okTrailer = frame(0x80, Buffer.from('grpc-status:0\r\n'));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (baseUrl: string) =>
  new SuiGrpcClient({
    network: 'localnet',
    baseUrl,
    format: 'binary',
    fetch: createGrpcWebFetch() as typeof fetch,
  });

describe('grpc-web fetch over node:http', () => {
  it('carries a unary call of the real SDK client, on one kept-alive connection', async () => {
    const seen: { path: string; contentType: string; grpcWeb: string; bodyFlag: number }[] = [];
    const sockets = new Set<unknown>();
    const url = await serve((req, res, body) => {
      sockets.add(req.socket);
      seen.push({
        path: req.url!,
        contentType: String(req.headers['content-type']),
        grpcWeb: String(req.headers['x-grpc-web']),
        bodyFlag: body[0]!,
      });
      const answer = GrpcTypes.GetServiceInfoResponse.toBinary({ chainId: 'chain-under-test' });
      res.writeHead(200, { 'content-type': 'application/grpc-web+proto' });
      res.end(Buffer.concat([frame(0, answer), okTrailer]));
    });
    const sui = client(url);
    for (let i = 0; i < 3; i++)
      expect((await sui.ledgerService.getServiceInfo({})).response.chainId).toBe('chain-under-test');
    expect(seen[0]).toEqual({
      path: '/sui.rpc.v2.LedgerService/GetServiceInfo',
      contentType: 'application/grpc-web+proto',
      grpcWeb: '1',
      bodyFlag: 0,
    });
    expect(seen).toHaveLength(3);
    expect(sockets.size).toBe(1);
  });

  it('passes a status from the trailers through as the SDK error', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/grpc-web+proto',
        'grpc-status': '5',
        'grpc-message': encodeURIComponent('object 0x2a not found'),
      });
      res.end();
    });
    await expect(client(url).ledgerService.getServiceInfo({})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'object 0x2a not found',
    });
  });

  it('streams server messages as they come and stops on abort', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/grpc-web+proto' });
      let n = 0;
      const tick = setInterval(() => {
        const message = GrpcTypes.SubscribeCheckpointsResponse.toBinary({ cursor: BigInt(++n) });
        if (!res.destroyed) res.write(frame(0, message));
      }, 5);
      res.on('close', () => clearInterval(tick));
    });
    const abort = new AbortController();
    const call = client(url).subscriptionService.subscribeCheckpoints({}, { abort: abort.signal });
    const cursors: bigint[] = [];
    await expect(
      (async () => {
        for await (const m of call.responses) {
          cursors.push(m.cursor!);
          if (cursors.length === 3) abort.abort(new Error('enough'));
        }
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(cursors).toEqual([1n, 2n, 3n]);
  });

  it('names the target when the node is unreachable', async () => {
    const url = await serve(() => undefined);
    server!.close();
    server!.closeAllConnections();
    await once(server!, 'close');
    server = undefined;
    await expect(client(url).core.getChainIdentifier()).rejects.toThrow(
      /POST http:\/\/127\.0\.0\.1:\d+\/sui\.rpc\.v2\.LedgerService\/GetServiceInfo failed: connect ECONNREFUSED/,
    );
  });

  it('refuses what the grpc-web transport never sends', async () => {
    const f = createGrpcWebFetch();
    await expect(f('ftp://example/x', { method: 'POST' })).rejects.toThrow(/needs an http\(s\) URL/);
    await expect(f('http://127.0.0.1:1/x', { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(
      /only byte or string bodies/,
    );
  });
});

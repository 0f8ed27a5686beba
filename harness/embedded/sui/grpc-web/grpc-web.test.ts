import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcTypes, GrpcWebFetchTransport, SuiGrpcClient } from '@mysten/sui/grpc';
import { GrpcRouter } from './router.ts';
import { startGrpcWebServer, type RunningHttpServer } from './http-server.ts';
import { GrpcCode, GrpcError } from './status.ts';
import { encodeFrame } from './frames.ts';

// Transport-level tests: a tiny router with hand-written answers, driven by the real SDK client.
describe('grpc-web server', () => {
  let server: RunningHttpServer;
  let streamsClosed = 0;

  beforeAll(async () => {
    const router = new GrpcRouter();
    router.unary(
      GrpcTypes.LedgerService,
      'GetServiceInfo',
      GrpcTypes.GetServiceInfoRequest,
      GrpcTypes.GetServiceInfoResponse,
      () => ({ chainId: 'test-chain-id', chain: 'embedded', epoch: 3n }),
    );
    router.unary(
      GrpcTypes.LedgerService,
      'GetEpoch',
      GrpcTypes.GetEpochRequest,
      GrpcTypes.GetEpochResponse,
      (req) => {
        if (req.epoch === 99n)
          throw new GrpcError(GrpcCode.NOT_FOUND, 'epoch 99 does not exist: ünïcode & 100%');
        return { epoch: { epoch: req.epoch ?? 0n, referenceGasPrice: 1000n } };
      },
    );
    router.stream(
      GrpcTypes.SubscriptionService,
      'SubscribeCheckpoints',
      GrpcTypes.SubscribeCheckpointsRequest,
      GrpcTypes.SubscribeCheckpointsResponse,
      async (_req, ctx, send) => {
        for (let i = 0n; !ctx.signal.aborted; i++) {
          send({ cursor: i, checkpoint: { sequenceNumber: i } });
          await new Promise((r) => setTimeout(r, 5));
        }
        streamsClosed++;
      },
    );
    server = await startGrpcWebServer({ router });
  });
  afterAll(() => server.close());

  it('answers unary calls in grpc-web-text (the SDK default)', async () => {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: server.url });
    const { chainIdentifier } = await client.getChainIdentifier();
    expect(chainIdentifier).toBe('test-chain-id');
    const { referenceGasPrice } = await client.getReferenceGasPrice();
    expect(referenceGasPrice).toBe('1000');
  });

  it('answers binary grpc-web', async () => {
    const transport = new GrpcWebFetchTransport({ baseUrl: server.url, format: 'binary' });
    const client = new SuiGrpcClient({ network: 'localnet', transport });
    const { response } = await client.ledgerService.getEpoch({ epoch: 7n });
    expect(response.epoch?.epoch).toBe(7n);
  });

  it('sends a unary answer with its content-length, and counts calls at GET /stats', async () => {
    const before = (await (await fetch(`${server.url}/stats`)).json()) as {
      methods: Record<string, { calls: number; errors: number; totalMs: number; handlerMs: number }>;
    };
    const path = '/sui.rpc.v2.LedgerService/GetEpoch';
    const callsBefore = before.methods[path]?.calls ?? 0;
    const errorsBefore = before.methods[path]?.errors ?? 0;
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: encodeFrame(0, GrpcTypes.GetEpochRequest.toBinary({ epoch: 5n })),
    });
    const body = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(Buffer.from(body).toString('latin1').endsWith('grpc-status:0\r\n')).toBe(true);
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: server.url });
    await expect(client.ledgerService.getEpoch({ epoch: 99n })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const after = (await (await fetch(`${server.url}/stats`)).json()) as typeof before & {
      cpuUserMs: number;
    };
    expect(after.methods[path]!.calls).toBe(callsBefore + 2);
    expect(after.methods[path]!.errors).toBe(errorsBefore + 1);
    expect(after.methods[path]!.totalMs).toBeGreaterThanOrEqual(after.methods[path]!.handlerMs);
    expect(after.cpuUserMs).toBeGreaterThan(0);
  });

  it('carries status codes and URL-encoded messages', async () => {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: server.url });
    await expect(client.ledgerService.getEpoch({ epoch: 99n })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'epoch 99 does not exist: ünïcode & 100%',
    });
  });

  it('answers UNIMPLEMENTED naming the method', async () => {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: server.url });
    await expect(client.nameService.lookupName({ name: 'x.sui' })).rejects.toMatchObject({
      code: 'UNIMPLEMENTED',
      message: expect.stringContaining('sui.rpc.v2.NameService/LookupName'),
    });
  });

  it('streams and stops the handler when the client cancels', async () => {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: server.url });
    const abort = new AbortController();
    const call = client.subscriptionService.subscribeCheckpoints({}, { abort: abort.signal });
    const seen: bigint[] = [];
    try {
      for await (const message of call.responses) {
        seen.push(message.cursor!);
        if (seen.length === 5) abort.abort();
      }
    } catch (error) {
      expect((error as { code?: string }).code).toBe('CANCELLED');
    }
    expect(seen).toEqual([0n, 1n, 2n, 3n, 4n]);
    for (let i = 0; i < 100 && streamsClosed === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(streamsClosed).toBe(1);
  });

  it('answers CORS preflight and rejects malformed bodies without crashing', async () => {
    const pre = await fetch(`${server.url}/sui.rpc.v2.LedgerService/GetEpoch`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('x-grpc-web');

    const bad = await fetch(`${server.url}/sui.rpc.v2.LedgerService/GetEpoch`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array([0, 0, 0, 0, 9, 1]),
    });
    expect(bad.headers.get('grpc-status')).toBe(String(GrpcCode.INVALID_ARGUMENT));
    expect(decodeURIComponent(bad.headers.get('grpc-message') ?? '')).toMatch(/frame declares 9 bytes/);

    // Still serving afterwards.
    const ok = await fetch(`${server.url}/sui.rpc.v2.LedgerService/GetEpoch`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: encodeFrame(0, new Uint8Array()),
    });
    expect(ok.headers.get('content-type')).toBe('application/grpc-web+proto');
    const body = new Uint8Array(await ok.arrayBuffer());
    expect(body[0]).toBe(0);
    expect(Buffer.from(body).toString('latin1')).toContain('grpc-status:0');
  });
});

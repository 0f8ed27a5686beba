/**
 * grpc-web over node:http: `application/grpc-web-text` (base64) and binary
 * `application/grpc-web(+proto)`, unary and server-streaming, CORS preflight.
 * Handler errors become gRPC statuses; malformed input never crashes the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DATA_FRAME,
  decodeBase64Segments,
  decodeFrames,
  encodeFrame,
  encodeGrpcMessage,
  encodeTrailer,
} from './frames.ts';
import { GrpcCode, GrpcError } from './status.ts';
import { type GrpcRouter, RECENT_CALLS, unimplemented } from './router.ts';

const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization, x-sui-client-protocol-version',
  'access-control-expose-headers': 'grpc-status, grpc-message, content-type',
  'access-control-max-age': '86400',
};

const TEXT_HEADERS = { ...CORS_HEADERS, 'content-type': 'application/grpc-web-text+proto' };
const BINARY_HEADERS = { ...CORS_HEADERS, 'content-type': 'application/grpc-web+proto' };
const OK_TRAILER = encodeTrailer(GrpcCode.OK);

type WireFormat = 'text' | 'binary';

export function wireFormat(contentType: string | undefined): WireFormat | undefined {
  const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (base === 'application/grpc-web-text' || base === 'application/grpc-web-text+proto') return 'text';
  if (base === 'application/grpc-web' || base === 'application/grpc-web+proto') return 'binary';
  return undefined;
}

export function isGrpcWebRequest(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' || wireFormat(req.headers['content-type']) !== undefined;
}

export function writeCorsPreflight(res: ServerResponse): void {
  res.writeHead(204, CORS_HEADERS);
  res.end();
}

/** Reads the body up to a cap; rejects with a readable reason. */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new GrpcError(GrpcCode.RESOURCE_EXHAUSTED, `request body exceeds ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export async function handleGrpcWeb(
  router: GrpcRouter,
  req: IncomingMessage,
  res: ServerResponse,
  serverSignal: AbortSignal,
): Promise<void> {
  if (req.method === 'OPTIONS') return writeCorsPreflight(res);
  const arrived = performance.now();
  const format = wireFormat(req.headers['content-type']) ?? 'binary';
  const path = (req.url ?? '').split('?')[0]!;
  const contentType = format === 'text' ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto';
  const encode = (bytes: Uint8Array): Buffer | string =>
    format === 'text' ? Buffer.from(bytes).toString('base64') : Buffer.from(bytes);

  // Trailers-only answer: the status travels in the HTTP headers, body empty.
  const failEarly = (code: GrpcCode, message: string) => {
    if (res.headersSent) return;
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': contentType,
      'grpc-status': String(code),
      'grpc-message': encodeGrpcMessage(message),
    });
    res.end();
  };

  if (req.method !== 'POST')
    return failEarly(GrpcCode.UNIMPLEMENTED, `grpc-web needs POST, got ${req.method}`);
  const route = router.find(path);
  if (!route) {
    req.resume();
    const err = unimplemented(path);
    return failEarly(err.code, err.message);
  }

  let request: object;
  let received = arrived;
  try {
    const raw = await readBody(req);
    received = performance.now();
    const body = format === 'text' ? decodeBase64Segments(Buffer.from(raw).toString('latin1')) : raw;
    const frames = decodeFrames(body).filter((f) => f.flag === DATA_FRAME);
    if (frames.length !== 1) throw new Error(`expected exactly one request message, got ${frames.length}`);
    request = route.decode(frames[0]!.payload);
  } catch (error) {
    if (error instanceof GrpcError) return failEarly(error.code, error.message);
    return failEarly(
      GrpcCode.INVALID_ARGUMENT,
      `malformed grpc-web request for ${path}: ${(error as Error).message}`,
    );
  }

  const callAbort = new AbortController();
  const onServerStop = () => callAbort.abort(new Error('server stopping'));
  serverSignal.addEventListener('abort', onServerStop, { once: true });
  res.on('close', () => {
    if (!res.writableFinished) callAbort.abort(new Error('client went away'));
  });

  const headers = format === 'text' ? TEXT_HEADERS : BINARY_HEADERS;
  const started = () => {
    if (!res.headersSent) res.writeHead(200, headers);
  };
  const pending: Uint8Array[] = [];
  const send = (message: Uint8Array) => {
    if (callAbort.signal.aborted) return;
    const frame = encodeFrame(DATA_FRAME, message);
    if (route.streaming) {
      started();
      res.write(encode(frame));
    } else pending.push(frame);
  };

  const stats = router.statsFor(route.path);
  stats.calls++;
  stats.bodyWaitMs += received - arrived;
  try {
    const t = performance.now();
    await route.run(request, { signal: callAbort.signal, headers: req.headers }, send);
    const handlerMs = performance.now() - t;
    stats.handlerMs += handlerMs;
    if (stats.recentHandlerMs.push(handlerMs) > RECENT_CALLS) stats.recentHandlerMs.shift();
    if (callAbort.signal.aborted) return void res.end();
    if (route.streaming) {
      started();
      res.end(encode(encodeTrailer(GrpcCode.OK)));
    } else {
      // A unary answer goes out in one piece with its length: one socket write instead of a
      // chunked body written frame by frame (each write is a syscall and a wake-up of the peer).
      pending.push(OK_TRAILER);
      const body = encode(Buffer.concat(pending));
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
      const w = performance.now();
      res.end(body);
      stats.writeMs += performance.now() - w;
    }
  } catch (error) {
    stats.errors++;
    const code = error instanceof GrpcError ? error.code : GrpcCode.INTERNAL;
    const message =
      error instanceof GrpcError
        ? error.message
        : `internal error in ${path}: ${(error as Error)?.message ?? String(error)}`;
    if (!res.headersSent) return failEarly(code, message);
    if (!res.writableEnded) res.end(encode(encodeTrailer(code, message)));
  } finally {
    stats.totalMs += performance.now() - received;
    serverSignal.removeEventListener('abort', onServerStop);
  }
}

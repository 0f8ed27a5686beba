// Writing answers: JSON/YAML bodies, Status errors, the Go mux's plain 404, Warning headers.
import type { ServerResponse } from 'node:http';
import YAML from 'yaml';
import type { Negotiated } from '../media.ts';
import type { ApiError } from '../status.ts';
import { cachedJsonBuffer } from '../json-cache.ts';
import { encodeStatusProtobuf, PROTOBUF, statusInProtobuf } from '../negotiation.ts';

export function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  n?: Negotiated,
  extraHeaders: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const yaml = n?.yaml ?? false;
  const text = yaml
    ? YAML.stringify(body)
    : typeof body === 'object' && body !== null
      ? cachedJsonBuffer(body)
      : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': n?.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(text);
}

/** A Status error, in protobuf when the client asked for it (as kube-apiserver encodes it). */
export function sendError(res: ServerResponse, e: ApiError, accept?: string): void {
  if (!statusInProtobuf(accept)) return send(res, e.code, e.toStatus());
  res.writeHead(e.code, { 'Content-Type': PROTOBUF, 'Cache-Control': 'no-cache, private' });
  res.end(
    encodeStatusProtobuf({
      status: 'Failure',
      message: e.message,
      reason: e.reason,
      code: e.code,
      details: e.details,
    }),
  );
}

/** The Go mux's 404 for paths no API group serves (not a Status: kube-apiserver's own answer). */
export function plainNotFound(res: ServerResponse, body = '404 page not found\n'): void {
  res.writeHead(
    404,
    body ? { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } : {},
  );
  res.end(body);
}

export function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (!warnings.length) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}

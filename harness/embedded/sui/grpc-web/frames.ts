/**
 * grpc-web framing: every message is a 5-byte prefix (flag, big-endian u32 length) + payload.
 * Flag 0x00 is a data frame, 0x80 the trailer frame (HTTP/1-style header lines).
 */
export const DATA_FRAME = 0x00;
export const TRAILER_FRAME = 0x80;

export interface Frame {
  flag: number;
  payload: Uint8Array;
}

export function encodeFrame(flag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length, false);
  out.set(payload, 5);
  return out;
}

/** Splits a request body into frames; throws a readable error on truncated input. */
export function decodeFrames(body: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) throw new Error(`truncated grpc-web frame header at byte ${offset}`);
    const flag = body[offset]!;
    const length = new DataView(body.buffer, body.byteOffset + offset + 1, 4).getUint32(0, false);
    const start = offset + 5;
    if (start + length > body.length) {
      throw new Error(`grpc-web frame declares ${length} bytes but only ${body.length - start} follow`);
    }
    frames.push({ flag, payload: body.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}

/** Trailer frame carrying grpc-status and the URL-encoded grpc-message. */
export function encodeTrailer(code: number, message?: string): Uint8Array {
  let text = `grpc-status:${code}\r\n`;
  if (message) text += `grpc-message:${encodeGrpcMessage(message)}\r\n`;
  return encodeFrame(TRAILER_FRAME, new TextEncoder().encode(text));
}

/** grpc-message is percent-encoded (clients decode it); keeps it ASCII-safe for HTTP headers. */
export function encodeGrpcMessage(message: string): string {
  return encodeURIComponent(message);
}

/**
 * Decodes grpc-web-text bodies. A text stream may be several base64 segments, each padded,
 * so padding can appear mid-string: decode segment by segment.
 */
export function decodeBase64Segments(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < clean.length; i++) {
    if (clean[i] === '=') {
      let end = i;
      while (end < clean.length && clean[end] === '=') end++;
      parts.push(Buffer.from(clean.slice(start, end), 'base64'));
      start = end;
      i = end - 1;
    }
  }
  if (start < clean.length) parts.push(Buffer.from(clean.slice(start), 'base64'));
  return new Uint8Array(Buffer.concat(parts));
}

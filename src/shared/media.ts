/**
 * Media types cross the chain in two contract fields: `content_type` (the payload's
 * Content-Type, "" without a body) and `accept` (kubectl's Accept header — it asks for
 * server-side `Table`s for `get` and for aggregated discovery). Both are recorded as the
 * caller sent them; the gateway drops unsafe values before submitting and the listener
 * sanitises again before they become HTTP headers.
 */
const PRINTABLE = /^[\x21-\x7e][\x20-\x7e]*$/;
const MAX_MEDIA_LEN = 1024;
const DEFAULT_MEDIA = 'application/json';

/** A header value safe to forward (printable, one line, bounded), or undefined. */
export function cleanMediaType(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  return v.length <= MAX_MEDIA_LEN && PRINTABLE.test(v) ? v : undefined;
}

export interface MediaHeaders {
  /** Set when the request has a body. */
  contentType?: string;
  accept: string;
}

/** The contract fields for a request as the gateway received it. */
export function mediaFields(
  hasBody: boolean,
  contentType: string | undefined,
  accept: string | undefined,
): { contentType: string; accept: string } {
  return {
    contentType: hasBody ? (cleanMediaType(contentType) ?? DEFAULT_MEDIA) : '',
    accept: cleanMediaType(accept) ?? '',
  };
}

/** The headers the listener sends to Kubernetes, from the recorded fields. */
export function mediaHeaders(
  fields: { contentType: string; accept: string },
  hasBody: boolean,
): MediaHeaders {
  const accept = cleanMediaType(fields.accept) ?? DEFAULT_MEDIA;
  return hasBody ? { contentType: cleanMediaType(fields.contentType) ?? DEFAULT_MEDIA, accept } : { accept };
}

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

/**
 * The Accept header for a watch: the listener cuts a watch into windows at event boundaries,
 * which it finds as newlines of the JSON stream, so protobuf (length-framed) is dropped from
 * the list. Clients that offer JSON as well (client-go does) get JSON; undefined = JSON was
 * not acceptable to the client.
 */
export function watchAccept(accept: string): string | undefined {
  const ranges = accept
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '' && !/^application\/vnd\.kubernetes\.protobuf/i.test(r));
  if (ranges.length === 0) return accept.trim() === '' ? DEFAULT_MEDIA : undefined;
  return ranges.some((r) => /^(application\/json|application\/\*|\*\/\*)(\s*;|$)/i.test(r))
    ? ranges.join(',')
    : undefined;
}

/**
 * The Content-Type of a watch stream the gateway opens before the events exist: the media type
 * the listener will ask Kubernetes for (the first JSON range of watchAccept), as kube-apiserver
 * answers it (`application/json;as=Table;v=v1;g=meta.k8s.io` for kubectl get -w).
 */
export function watchContentType(accept: string): string {
  const first = watchAccept(accept)?.split(',')[0]?.trim() ?? DEFAULT_MEDIA;
  const params = first.split(';').map((p) => p.trim());
  const base = params[0]!.toLowerCase();
  if (base !== 'application/json') return DEFAULT_MEDIA;
  return [base, ...params.slice(1).filter((p) => !/^q=/i.test(p))].join(';');
}

/**
 * The contract's request `content_type` field carries media types across the
 * chain. Requests with a body: the body's Content-Type. Requests without a
 * body (get, list, most deletes): `accept=<Accept header>` so the listener can
 * negotiate the same representation kubectl asked for (kubectl asks for
 * server-side `Table`s for `get` and for aggregated discovery).
 */
const PRINTABLE = /^[\x21-\x7e][\x20-\x7e]*$/;
const MAX_MEDIA_LEN = 1024;
const ACCEPT_PREFIX = 'accept=';

function clean(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  return v.length <= MAX_MEDIA_LEN && PRINTABLE.test(v) ? v : undefined;
}

export function encodeMediaField(
  hasBody: boolean,
  contentType: string | undefined,
  accept: string | undefined,
): string {
  if (hasBody) return clean(contentType) ?? 'application/json';
  const a = clean(accept);
  return a ? ACCEPT_PREFIX + a : '';
}

export interface MediaHeaders {
  contentType?: string;
  accept: string;
}

export function decodeMediaField(field: string, hasBody: boolean): MediaHeaders {
  if (field.startsWith(ACCEPT_PREFIX)) {
    return { accept: clean(field.slice(ACCEPT_PREFIX.length)) ?? 'application/json' };
  }
  const ct = clean(field);
  return hasBody
    ? { contentType: ct ?? 'application/json', accept: 'application/json' }
    : { accept: 'application/json' };
}

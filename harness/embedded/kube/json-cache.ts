// Stored objects are immutable, so each one's JSON encoding is computed once and
// reused: a large list becomes a concatenation of cached buffers instead of a
// full re-serialization and UTF-8 encoding.
const buffers = new WeakMap<object, Buffer>();
const strings = new WeakMap<object, string>();

export function cachedJson(obj: object): string {
  let s = strings.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    strings.set(obj, s);
  }
  return s;
}

export function cachedJsonBuffer(obj: object): Buffer {
  let b = buffers.get(obj);
  if (b === undefined) {
    b = Buffer.from(cachedJson(obj));
    buffers.set(obj, b);
  }
  return b;
}

const COMMA = Buffer.from(',');

/** JSON of a list: the envelope serialized normally, items from the cache. */
export function listJson(envelope: Record<string, unknown>, items: object[]): Buffer {
  const head = JSON.stringify({ ...envelope, items: [] });
  const parts: Buffer[] = [Buffer.from(head.slice(0, -2))];
  items.forEach((o, i) => {
    if (i) parts.push(COMMA);
    parts.push(cachedJsonBuffer(o));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

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

const itemBuffers = new WeakMap<object, Buffer>();

/** A built-in kind's list item as kube-apiserver writes it: without apiVersion and kind. */
function cachedItemBuffer(obj: object): Buffer {
  let b = itemBuffers.get(obj);
  if (b === undefined) {
    const { apiVersion: _a, kind: _k, ...rest } = obj as Record<string, unknown>;
    b = Buffer.from(JSON.stringify(rest));
    itemBuffers.set(obj, b);
  }
  return b;
}

/**
 * JSON of a list: the envelope serialized normally, items from the cache. Typed (built-in)
 * lists carry apiVersion/kind only on the list, as kube-apiserver's do; custom resources keep
 * them on every item.
 */
export function listJson(envelope: Record<string, unknown>, items: object[], typed = false): Buffer {
  const head = JSON.stringify({ ...envelope, items: [] });
  const parts: Buffer[] = [Buffer.from(head.slice(0, -2))];
  items.forEach((o, i) => {
    if (i) parts.push(COMMA);
    parts.push(typed ? cachedItemBuffer(o) : cachedJsonBuffer(o));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

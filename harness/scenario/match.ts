/**
 * Partial structural matching used by every expectation that compares data: listed keys must
 * match, unlisted keys are ignored; an expected array matches when each of its items matches
 * some distinct element of the actual array (order-free, which suits `kubectl get -o json` lists).
 */
export interface Mismatch {
  /** Dotted path inside the compared value, e.g. `items[0].metadata.name`. */
  at: string;
  expected: unknown;
  actual: unknown;
}

function normalizeScalar(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  return v;
}

function scalarEquals(expected: unknown, actual: unknown): boolean {
  const e = normalizeScalar(expected);
  const a = normalizeScalar(actual);
  if (e === a) return true;
  // u64 fields arrive as strings from BCS/JSON; let scenarios write plain numbers.
  if ((typeof e === 'number' && typeof a === 'string') || (typeof e === 'string' && typeof a === 'number')) {
    return String(e) === String(a);
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function partialMatch(expected: unknown, actual: unknown, at = ''): Mismatch[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ at: at || '(root)', expected, actual }];
    // An empty expected list means "empty", not "anything".
    if (expected.length === 0)
      return actual.length === 0
        ? []
        : [{ at: at || '(root)', expected, actual: `${actual.length} element(s)` }];
    const used = new Set<number>();
    const out: Mismatch[] = [];
    expected.forEach((item, i) => {
      const idx = actual.findIndex((cand, j) => !used.has(j) && partialMatch(item, cand).length === 0);
      if (idx >= 0) used.add(idx);
      else
        out.push({
          at: `${at}[${i}]`,
          expected: item,
          actual: actual.length ? `no matching element among ${actual.length}` : 'empty array',
        });
    });
    return out;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ at: at || '(root)', expected, actual }];
    return Object.entries(expected).flatMap(([k, v]) => {
      const path = at ? `${at}.${k}` : k;
      if (!(k in actual)) return v === null ? [] : [{ at: path, expected: v, actual: undefined }];
      return partialMatch(v, actual[k], path);
    });
  }
  return scalarEquals(expected, actual) ? [] : [{ at: at || '(root)', expected, actual }];
}

export function describeMismatches(ms: Mismatch[]): string {
  return ms.map((m) => `${m.at}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('; ');
}

export function show(v: unknown, max = 300): string {
  const s =
    typeof v === 'string'
      ? JSON.stringify(v)
      : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  if (s === undefined) return 'undefined';
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

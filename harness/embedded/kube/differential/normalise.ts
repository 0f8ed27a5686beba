/**
 * Replaces what each server generates on its own (uids, resourceVersions, timestamps, random
 * name suffixes, allocated IPs, continue tokens, ages) with placeholders, so that two answers
 * to the same request compare equal when they mean the same thing.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

const isObj = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

const TIME_KEYS = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'time',
  'lastTransitionTime',
  'lastUpdateTime',
  'lastProbeTime',
  'startTime',
  'startedAt',
  'expirationTimestamp',
]);

// Names with a server-made five-character suffix (generateName in the corpus, the
// ServiceAccount token volume).
const RANDOM_SUFFIX = /^(kube-api-access-|gen-)[a-z0-9]{5}$/;

// resourceVersions quoted inside messages (precondition failures).
const RV_IN_TEXT = /(ResourceVersion in record |ResourceVersion in object meta: )\(?\d+\)?/g;

export function normalise(v: Json, key = ''): Json {
  if (Array.isArray(v)) return v.map((x) => normalise(x, key));
  if (!isObj(v)) {
    if (typeof v === 'string' && RANDOM_SUFFIX.test(v)) return v.replace(RANDOM_SUFFIX, '$1<suffix>');
    if (typeof v === 'string' && key === 'message') return v.replace(RV_IN_TEXT, '$1<rv>');
    return v;
  }
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'uid' || k === 'selfLink') out[k] = '<uid>';
    else if (k === 'token' && typeof x === 'string') out[k] = '<token>';
    else if (k === 'resourceVersion' && typeof x === 'string') out[k] = x === '' ? '' : '<rv>';
    else if (k === 'continue' && typeof x === 'string' && x !== '') out[k] = '<continue>';
    else if (TIME_KEYS.has(k) && typeof x === 'string') out[k] = '<time>';
    else if ((k === 'clusterIP' || k === 'clusterIPs') && x !== 'None')
      out[k] = Array.isArray(x) ? x.map(() => '<ip>') : '<ip>';
    else out[k] = normalise(x, k);
  }
  // A generated name: only its prefix is deterministic.
  if (
    typeof out.generateName === 'string' &&
    typeof out.name === 'string' &&
    out.name.startsWith(out.generateName)
  )
    out.name = `${out.generateName}<suffix>`;
  // Table rows: the Age column is a duration since creation.
  if (out.kind === 'Table' && Array.isArray(out.columnDefinitions) && Array.isArray(out.rows)) {
    const age = out.columnDefinitions.findIndex((c) => isObj(c) && c.name === 'Age');
    if (age >= 0)
      out.rows = out.rows.map((r) =>
        isObj(r) && Array.isArray(r.cells)
          ? { ...r, cells: r.cells.map((c, i) => (i === age ? '<age>' : c)) }
          : r,
      );
  }
  return out;
}

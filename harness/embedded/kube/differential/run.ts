/** Sends the corpus to one server, in order, and records what it answered (normalised). */
import { parse as parseYaml } from 'yaml';
import type { RawClient, RawResponse } from './client.ts';
import type { Case } from './corpus.ts';
import { normalise, type Json } from './normalise.ts';

export interface Outcome {
  readonly status: number;
  /** The media type of the answer, without parameters. */
  readonly media: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Json;
}

const fill = (s: string, vars: ReadonlyMap<string, string>): string =>
  s.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars.get(k) ?? m);

function fillJson(v: Json, vars: ReadonlyMap<string, string>): Json {
  if (typeof v === 'string') return fill(v, vars);
  if (Array.isArray(v)) return v.map((x) => fillJson(x, vars));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillJson(x, vars)]));
  return v;
}

function at(v: Json, dotted: string): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of dotted.split('.'))
    cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[k] : undefined;
  return cur;
}

function parseBody(c: Case, r: RawResponse): Json {
  const text = r.body.toString('utf8');
  const read = c.read ?? 'json';
  if (read === 'media') return null;
  if (read === 'watch')
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        try {
          return JSON.parse(l) as Json;
        } catch {
          return `<not JSON: ${l.slice(0, 80)}>`;
        }
      });
  if (!text) return '<empty>';
  try {
    return (read === 'yaml' ? parseYaml(text) : JSON.parse(text)) as Json;
  } catch {
    return r.body.includes(0) ? `<binary, ${r.body.length} bytes>` : `<not ${read}: ${text.slice(0, 120)}>`;
  }
}

async function waitFor(client: RawClient, path: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await client.send({ method: 'GET', path, headers: { accept: 'application/json' } });
    if (r.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${client.server}${path} still answers ${r.status} after 30 s`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** `namespace` must be new on that server: the corpus creates it and fills it. */
export async function runCorpus(
  client: RawClient,
  corpus: readonly Case[],
  namespace: string,
): Promise<Map<string, Outcome>> {
  const vars = new Map<string, string>([['ns', namespace]]);
  const out = new Map<string, Outcome>();
  for (const c of corpus) {
    if (c.waitFor) await waitFor(client, fill(c.waitFor, vars));
    if (c.pauseMs) await new Promise((res) => setTimeout(res, c.pauseMs));
    let body: Buffer | undefined;
    let contentType = c.contentType;
    if (Buffer.isBuffer(c.body)) body = c.body;
    else if (typeof c.body === 'string') body = Buffer.from(fill(c.body, vars));
    else if (c.body !== undefined) {
      body = Buffer.from(JSON.stringify(fillJson(c.body, vars)));
      contentType ??= 'application/json';
    }
    let r: RawResponse;
    try {
      r = await client.send({
        method: c.method,
        path: fill(c.path, vars),
        headers: {
          accept: c.accept ?? 'application/json',
          ...(contentType ? { 'content-type': contentType } : {}),
          ...Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, fill(v, vars)])),
        },
        body,
      });
    } catch (e) {
      // A dropped connection is an answer too (and a difference if the other server answers).
      out.set(c.name, { status: 0, media: '', headers: {}, body: `<no answer: ${(e as Error).message}>` });
      continue;
    }
    const parsed = parseBody(c, r);
    for (const [name, path] of Object.entries(c.save ?? {})) {
      const v = at(parsed, path);
      if (typeof v === 'string') vars.set(name, encodeURIComponent(v));
    }
    const headers: Record<string, string> = {};
    for (const h of c.compareHeaders ?? []) headers[h] = r.headers[h] ?? '(absent)';
    out.set(c.name, {
      status: r.status,
      media: (r.headers['content-type'] ?? '').split(';')[0]!.trim(),
      headers,
      body: normalise(c.project && r.status < 300 ? c.project(parsed) : parsed),
    });
  }
  return out;
}

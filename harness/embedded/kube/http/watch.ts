// Watch streams: initial events, resourceVersion resume, bookmarks, selector transitions, timeouts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Negotiated } from '../media.ts';
import { groupVersion } from '../registry.ts';
import { grKey } from '../resources.ts';
import { parseFieldSelector, parseLabelSelector } from '../selectors.ts';
import { ApiError, errors } from '../status.ts';
import { ResourceVersionTooOld, type KubeObject, type StoreEvent } from '../store.ts';
import { columnDefinitions, tableRow } from '../tables.ts';
import type { HttpContext } from './context.ts';
import { boolParam, includeObject, intParam } from './options.ts';
import type { Target } from './paths.ts';
import { cachedJson } from '../json-cache.ts';

export function serveWatch(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  t: Target,
  q: URLSearchParams,
  n: Negotiated,
): void {
  const r = ctx.resources;
  const { rk, namespace: ns } = t;
  const lm = parseLabelSelector(q.get('labelSelector') ?? undefined);
  let fieldSel = q.get('fieldSelector') ?? undefined;
  if (t.name) fieldSel = [fieldSel, `metadata.name=${t.name}`].filter(Boolean).join(',');
  const fm = parseFieldSelector(fieldSel, rk.resource);
  const matches = (o: KubeObject | undefined): boolean =>
    !!o && (!rk.namespaced || !ns || o.metadata.namespace === ns) && lm(o.metadata.labels) && fm(o);
  const include = includeObject(q);
  const rvParam = q.get('resourceVersion');
  const sendInitial = boolParam(q, 'sendInitialEvents');
  const bookmarks = boolParam(q, 'allowWatchBookmarks');
  const timeout = intParam(q, 'timeoutSeconds');
  if (rvParam && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: ${rvParam}`);
  if (sendInitial && q.get('resourceVersionMatch') !== 'NotOlderThan') {
    const message = 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan';
    throw new ApiError(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${message}`,
      {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [{ reason: 'FieldValueForbidden', message, field: 'resourceVersionMatch' }],
      },
    );
  }

  res.writeHead(200, {
    'Content-Type': n.shape === 'table' ? n.contentType : 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  ctx.streams.add(res);
  let first = true;
  const encode = (type: string, o: KubeObject): string => {
    let object: unknown = r.present(rk, o);
    if (n.shape === 'table') {
      object = {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: o.metadata.resourceVersion },
        ...(first ? { columnDefinitions: columnDefinitions(rk) } : { columnDefinitions: [] }),
        rows: [tableRow(rk, r.present(rk, o), include)],
      };
      first = false;
    } else if (n.shape === 'partial')
      object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    // Plain objects come straight from the JSON cache (shared by every watcher of the event).
    if (object === o) return `{"type":"${type}","object":${cachedJson(o)}}\n`;
    return `${JSON.stringify({ type, object })}\n`;
  };
  const write = (chunk: string): void => {
    if (!res.writableEnded) res.write(chunk);
  };
  const bookmark = (extraAnnotations?: Record<string, string>): void => {
    const obj = {
      kind: rk.kind,
      apiVersion: groupVersion(rk),
      metadata: {
        resourceVersion: String(r.store.currentRv()),
        ...(extraAnnotations ? { annotations: extraAnnotations } : {}),
      },
    };
    write(`${JSON.stringify({ type: 'BOOKMARK', object: obj })}\n`);
  };

  let fromRv: number;
  if (!rvParam || rvParam === '0' || sendInitial) {
    fromRv = r.store.currentRv();
    if (sendInitial || !rvParam || rvParam === '0') {
      for (const o of r.store.list(grKey(rk), rk.namespaced ? ns : undefined))
        if (matches(o)) write(encode('ADDED', o));
    }
    if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else fromRv = Number(rvParam);

  const onEvent = (ev: StoreEvent): void => {
    const now = matches(ev.object);
    const before = matches(ev.previous);
    if (ev.type === 'DELETED') {
      if (before || now) write(encode('DELETED', ev.object));
    } else if (ev.type === 'ADDED') {
      if (now) write(encode('ADDED', ev.object));
    } else if (now && before) write(encode('MODIFIED', ev.object));
    else if (now) write(encode('ADDED', ev.object));
    else if (before) write(encode('DELETED', ev.object));
  };
  let unwatch: () => void = () => undefined;
  try {
    unwatch = r.store.watch(grKey(rk), fromRv, onEvent);
  } catch (e) {
    if (!(e instanceof ResourceVersionTooOld)) throw e;
    write(
      `${JSON.stringify({ type: 'ERROR', object: errors.gone(`too old resource version: ${fromRv} (${r.store.currentRv()})`).toStatus() })}\n`,
    );
    ctx.streams.delete(res);
    res.end();
    return;
  }
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    unwatch();
    for (const t2 of timers) clearTimeout(t2);
    ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  };
  if (bookmarks) timers.push(setInterval(() => bookmark(), ctx.bookmarkIntervalMs));
  if (timeout !== undefined && timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
  req.on('close', finish);
  res.on('close', finish);
}

// pods/log: the text of logs.ts, once or followed until the pod goes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { podLogs } from '../logs.ts';
import { grKey } from '../resources.ts';
import type { HttpContext } from './context.ts';
import { boolParam, intParam } from './options.ts';
import type { Target } from './paths.ts';

export function serveLogs(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  t: Target,
  q: URLSearchParams,
): void {
  const r = ctx.resources;
  const pod = r.get(t.rk, t.namespace, t.name!);
  const tail = intParam(q, 'tailLines');
  const { lines, container } = podLogs(pod, {
    container: q.get('container') ?? undefined,
    previous: boolParam(q, 'previous'),
    tailLines: tail,
    timestamps: boolParam(q, 'timestamps'),
  });
  let text = lines.map((l) => `${l}\n`).join('');
  const limit = intParam(q, 'limitBytes');
  if (limit !== undefined && limit >= 0) text = text.slice(0, limit);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  if (!boolParam(q, 'follow')) {
    res.end(text);
    return;
  }
  res.write(text);
  // Follow: the stream stays open while the pod exists; it ends when the pod is deleted or the container restarts.
  ctx.streams.add(res);
  const gr = grKey(t.rk);
  const unwatch = r.store.watch(gr, r.store.currentRv(), (ev) => {
    if (ev.object.metadata.name !== t.name || ev.object.metadata.namespace !== t.namespace) return;
    if (ev.type === 'DELETED') finish();
  });
  const finish = (): void => {
    unwatch();
    ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  void container;
}

/**
 * Routes `/package.Service/Method` to handlers, typed by the protobuf-ts message types that
 * `@mysten/sui/grpc` exports (`GrpcTypes`). Service descriptors are protobuf-ts `ServiceType`s.
 */
import { GrpcError, GrpcCode } from './status.ts';

/** The part of a protobuf-ts `MessageType` this server uses. */
export interface MessageCodec<T extends object> {
  readonly typeName: string;
  readonly fields: readonly FieldInfo[];
  fromBinary(bytes: Uint8Array): T;
  toBinary(message: T): Uint8Array;
  create(value?: DeepPartial<T>): T;
}

/** The part of protobuf-ts reflection field info `complete` reads. */
interface FieldInfo {
  readonly kind: 'scalar' | 'enum' | 'message' | 'map';
  readonly localName: string;
  readonly repeat?: number;
  readonly opt?: boolean;
  readonly oneof?: string;
  readonly T?: unknown;
  readonly V?: { readonly kind: string; readonly T?: unknown };
}

type Codec = MessageCodec<object>;
type Fields = Record<string, unknown>;

/**
 * What protobuf-ts `toBinary` needs from a partial message: repeated fields as arrays, maps as
 * objects, oneof groups present, at every level. Handlers answer partial messages (read masks);
 * `create` would deep-copy the whole answer to get there, this only copies the objects it must
 * add to (a (sub)message with a missing non-optional scalar still goes through `create`).
 */
export function complete(type: Codec, message: object): object {
  let out = message as Fields;
  const set = (key: string, value: unknown) => {
    if (out === message) out = { ...out };
    out[key] = value;
  };
  for (const f of type.fields) {
    if (f.oneof) {
      const group = out[f.oneof] as Fields | undefined;
      if (group === undefined) set(f.oneof, { oneofKind: undefined });
      else if (f.kind === 'message' && group.oneofKind === f.localName) {
        const v = group[f.localName] as object;
        const c = v === undefined ? v : complete((f.T as () => Codec)(), v);
        if (c !== v) set(f.oneof, { ...group, [f.localName]: c });
      }
      continue;
    }
    const v = out[f.localName];
    if (f.kind === 'map') {
      if (v === undefined) set(f.localName, {});
      else if (f.V?.kind === 'message') {
        const t = (f.V.T as () => Codec)();
        const entries = Object.entries(v as Fields);
        const done = entries.map(([k, x]) => [k, complete(t, x as object)] as const);
        if (done.some(([, x], i) => x !== entries[i]![1])) set(f.localName, Object.fromEntries(done));
      }
      continue;
    }
    if (f.repeat) {
      if (v === undefined) set(f.localName, []);
      else if (f.kind === 'message') {
        const t = (f.T as () => Codec)();
        const items = v as object[];
        let copy: object[] | undefined;
        for (let i = 0; i < items.length; i++) {
          const c = complete(t, items[i]!);
          if (c !== items[i]) (copy ??= items.slice())[i] = c;
        }
        if (copy) set(f.localName, copy);
      }
      continue;
    }
    if (v === undefined) {
      if (f.kind === 'message' || f.opt) continue;
      return type.create(message);
    }
    if (f.kind === 'message') {
      const c = complete((f.T as () => Codec)(), v as object);
      if (c !== v) set(f.localName, c);
    }
  }
  return out;
}

export type DeepPartial<T> = T extends Uint8Array | bigint | string | number | boolean
  ? T
  : T extends readonly (infer E)[]
    ? DeepPartial<E>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

export interface MethodDescriptor {
  readonly name: string;
  readonly I: { readonly typeName: string };
  readonly O: { readonly typeName: string };
  readonly serverStreaming?: boolean;
  readonly clientStreaming?: boolean;
}

export interface ServiceDescriptor {
  readonly typeName: string;
  readonly methods: readonly MethodDescriptor[];
}

export interface CallContext {
  /** Aborted when the client disconnects or the server stops. */
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type UnaryHandler<I, O> = (request: I, ctx: CallContext) => Promise<DeepPartial<O>> | DeepPartial<O>;
/** Streams call `send` per message and resolve when the stream ends (or when ctx.signal aborts). */
export type StreamHandler<I, O> = (
  request: I,
  ctx: CallContext,
  send: (message: DeepPartial<O>) => void,
) => Promise<void>;

export interface Route {
  readonly path: string;
  readonly streaming: boolean;
  decode(bytes: Uint8Array): object;
  encode(message: object): Uint8Array;
  run(request: object, ctx: CallContext, send: (bytes: Uint8Array) => void): Promise<void>;
}

/** Per-method counters kept by the grpc-web server (served as JSON at `GET /stats`). */
export interface MethodStats {
  calls: number;
  errors: number;
  /** Wall time from the whole request body received to the last byte handed to the socket. */
  totalMs: number;
  /** Wall time from the request headers to the end of the body (the client still sending). */
  bodyWaitMs: number;
  /** Of which in the method's handler, response protobuf encoding included (request decoding and HTTP framing excluded). */
  handlerMs: number;
  /** Of which handing a unary answer to the socket (res.end: the write system call). */
  writeMs: number;
  /** Handler times of the latest calls (at most RECENT_CALLS), for percentiles. */
  recentHandlerMs: number[];
}

export const RECENT_CALLS = 256;

export class GrpcRouter {
  private readonly routes = new Map<string, Route>();
  readonly stats = new Map<string, MethodStats>();

  /** Counter for one method path, created on first use. */
  statsFor(path: string): MethodStats {
    let s = this.stats.get(path);
    if (!s) {
      s = { calls: 0, errors: 0, totalMs: 0, bodyWaitMs: 0, handlerMs: 0, writeMs: 0, recentHandlerMs: [] };
      this.stats.set(path, s);
    }
    return s;
  }

  unary<I extends object, O extends object>(
    service: ServiceDescriptor,
    method: string,
    input: MessageCodec<I>,
    output: MessageCodec<O>,
    handler: UnaryHandler<I, O>,
  ): void {
    const path = this.checkMethod(service, method, input, output, false);
    this.routes.set(path, {
      path,
      streaming: false,
      decode: (bytes) => input.fromBinary(bytes),
      encode: (message) => output.toBinary(message as O),
      run: async (request, ctx, send) => {
        const reply = await handler(request as I, ctx);
        send(output.toBinary(complete(output as unknown as Codec, reply as object) as O));
      },
    });
  }

  stream<I extends object, O extends object>(
    service: ServiceDescriptor,
    method: string,
    input: MessageCodec<I>,
    output: MessageCodec<O>,
    handler: StreamHandler<I, O>,
  ): void {
    const path = this.checkMethod(service, method, input, output, true);
    this.routes.set(path, {
      path,
      streaming: true,
      decode: (bytes) => input.fromBinary(bytes),
      encode: (message) => output.toBinary(message as O),
      run: (request, ctx, send) =>
        handler(request as I, ctx, (message) =>
          send(output.toBinary(complete(output as unknown as Codec, message as object) as O)),
        ),
    });
  }

  find(path: string): Route | undefined {
    return this.routes.get(path);
  }

  paths(): string[] {
    return [...this.routes.keys()].sort();
  }

  /** Stops serving these method paths (they answer UNIMPLEMENTED, as on a node without them). */
  remove(paths: readonly string[]): void {
    for (const p of paths) this.routes.delete(p);
  }

  /** Refuses a registration whose message types or streaming kind do not match the descriptor. */
  private checkMethod(
    service: ServiceDescriptor,
    method: string,
    input: { typeName: string },
    output: { typeName: string },
    streaming: boolean,
  ): string {
    const info = service.methods.find((m) => m.name === method);
    if (!info) throw new Error(`${service.typeName} has no method ${method}`);
    if (info.I.typeName !== input.typeName || info.O.typeName !== output.typeName) {
      throw new Error(
        `${service.typeName}/${method} takes ${info.I.typeName} → ${info.O.typeName}, not ${input.typeName} → ${output.typeName}`,
      );
    }
    if (Boolean(info.serverStreaming) !== streaming) {
      throw new Error(
        `${service.typeName}/${method} is ${info.serverStreaming ? 'server-streaming' : 'unary'}`,
      );
    }
    return `/${service.typeName}/${method}`;
  }
}

export function unimplemented(path: string): GrpcError {
  const method = path.replace(/^\//, '');
  return new GrpcError(
    GrpcCode.UNIMPLEMENTED,
    `method ${method} is not implemented by the embedded Sui node`,
  );
}

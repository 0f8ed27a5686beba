/**
 * One embedded Seal key server ("Open" mode, one master key, one registered object): the HTTP
 * API @mysten/seal calls, answered the way MystenLabs/seal crates/key-server/src/server.rs
 * does — `GET /v1/service`, `POST /v1/fetch_key`, the SDK-version middleware, the
 * `X-KeyServer-Version` header on every answer, `{ error, message }` refusals.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fromHex, toBase64 } from '@mysten/bcs';
import { Ed25519PublicKey } from '@mysten/sui/keypairs/ed25519';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import { isValidSuiAddress, normalizeSuiAddress } from '@mysten/sui/utils';
import {
  elgamalEncrypt,
  extractUserSecretKey,
  fullId,
  parseG1,
  parseG2,
  proofOfPossession,
  type MasterKey,
} from './crypto.ts';
import { SealServerError, type SealErrorName } from './errors.ts';
import { PolicyChain } from './chain.ts';
import {
  decodeBase64,
  parseFetchKeyBody,
  sessionPersonalMessage,
  signedRequestBytes,
  validPtbFromBase64,
  type FetchKeyRequest,
} from './request.ts';

/** The real key server's version this one imitates (its Cargo workspace version); the SDK needs ≥ 0.4.1. */
export const KEY_SERVER_VERSION = '0.6.10';
/** The real server's default `ts_sdk_version_requirement` (key_server_options.rs). */
const TS_SDK_MIN = [0, 4, 5] as const;
/** The real server's default `session_key_ttl_max` (key_server_options.rs): 30 minutes. */
export const SESSION_KEY_TTL_MAX_MS = 30 * 60_000;

export interface KeyServerOptions {
  name: string;
  master: MasterKey;
  /** the KeyServer object registered on chain for this server (set once registered) */
  objectId?: string;
  client: SuiGrpcClient;
  host?: string;
  port?: number;
  sessionKeyTtlMaxMs?: number;
}

export interface Refusal {
  error: SealErrorName;
  detail?: string;
}

export interface KeyServerStats {
  fetchKey: number;
  served: number;
  refused: Partial<Record<SealErrorName, number>>;
  /** wall time per answered fetch_key, ms, latest 256 */
  recentMs: number[];
  /** the latest refusal with its debug detail (the real server logs it; the answer only names the error) */
  lastRefusal?: { error: SealErrorName; detail: string; at: number; requestId?: string };
  /** the same answers split by phase (ms, latest 256): checks before the signatures, signatures, policy dry run, key derivation */
  recentPhasesMs: { checks: number; signatures: number; policy: number; derive: number }[];
}

interface Parsed {
  req: FetchKeyRequest;
  encKey: Uint8Array;
  encVerificationKey: Uint8Array;
  requestSignature: Uint8Array;
  sessionVk: Uint8Array;
  user: string;
}

class Unprocessable extends Error {}

function decodeField(name: string, value: string, length?: number): Uint8Array {
  const bytes = decodeBase64(value);
  if (!bytes) throw new Unprocessable(`${name}: invalid base64`);
  if (length !== undefined && bytes.length !== length)
    throw new Unprocessable(`${name}: expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** serde's view of the body: what fails here is a 422 from axum's Json extractor, not a Seal error. */
function parseBody(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Unprocessable(`invalid JSON: ${(error as Error).message}`);
  }
  let req: FetchKeyRequest;
  try {
    req = parseFetchKeyBody(raw);
  } catch (error) {
    throw new Unprocessable((error as Error).message);
  }
  const encKey = decodeField('enc_key', req.enc_key, 48);
  const encVerificationKey = decodeField('enc_verification_key', req.enc_verification_key, 96);
  try {
    parseG1(encKey);
    parseG2(encVerificationKey);
  } catch (error) {
    throw new Unprocessable(`enc_key / enc_verification_key: ${(error as Error).message}`);
  }
  const requestSignature = decodeField('request_signature', req.request_signature, 64);
  const sessionVk = decodeField('certificate.session_vk', req.certificate.session_vk, 32);
  if (!isValidSuiAddress(req.certificate.user))
    throw new Unprocessable('certificate.user: not a Sui address');
  return {
    req,
    encKey,
    encVerificationKey,
    requestSignature,
    sessionVk,
    user: normalizeSuiAddress(req.certificate.user),
  };
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** server.rs handle_request_headers: a version header is required; the TS SDK must be recent enough. */
function checkSdkHeaders(headers: http.IncomingHttpHeaders): void {
  const version = headers['client-sdk-version'];
  if (typeof version !== 'string') throw new SealServerError('MissingRequiredHeader', 'Client-Sdk-Version');
  const parsed = parseVersion(version);
  if (!parsed) throw new SealServerError('InvalidSDKVersion');
  if (headers['client-sdk-type'] === 'typescript') {
    const [a, b, c] = parsed;
    const [x, y, z] = TS_SDK_MIN;
    if (a < x || (a === x && (b < y || (b === y && c < z))))
      throw new SealServerError('DeprecatedSDKVersion');
  }
}

export class EmbeddedKeyServer {
  readonly name: string;
  readonly master: MasterKey;
  objectId: string | undefined;
  readonly stats: KeyServerStats = { fetchKey: 0, served: 0, refused: {}, recentMs: [], recentPhasesMs: [] };
  readonly #chain: PolicyChain;
  readonly #client: SuiGrpcClient;
  readonly #host: string;
  readonly #ttlMaxMs: number;
  #port: number;
  #server: http.Server | undefined;
  #refusal: Refusal | undefined;
  #sockets = new Set<Socket>();
  /** usk per full id: deterministic, so reusing it changes no answer and saves a hash-to-curve and a multiplication */
  #usks = new Map<string, Uint8Array>();
  #pop: { objectId: string; pop: string } | undefined;

  constructor(opts: KeyServerOptions) {
    this.name = opts.name;
    this.master = opts.master;
    this.objectId = opts.objectId && normalizeSuiAddress(opts.objectId);
    this.#client = opts.client;
    this.#chain = new PolicyChain(opts.client);
    this.#host = opts.host ?? '127.0.0.1';
    this.#port = opts.port ?? 0;
    this.#ttlMaxMs = opts.sessionKeyTtlMaxMs ?? SESSION_KEY_TTL_MAX_MS;
  }

  get publicKey(): Uint8Array {
    return this.master.publicKey;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** The base URL; the port stays the same across stop()/start() so the registered URL keeps working. */
  get url(): string {
    if (this.#port === 0)
      throw new Error(`key server ${this.name} has not been started yet: call start() first`);
    return `http://${this.#host}:${this.#port}`;
  }

  /** Answer every fetch_key with this error (as a real server would that refuses), until `refuse(undefined)`. */
  refuse(refusal: Refusal | SealErrorName | undefined): void {
    this.#refusal = typeof refusal === 'string' ? { error: refusal } : refusal;
  }

  async start(): Promise<string> {
    if (this.#server) return this.url;
    const server = http.createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 5_000;
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this.url;
  }

  /** Closes the port (connections refused, as for a server that is down). */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'x-keyserver-version': KEY_SERVER_VERSION,
      'x-keyserver-gitversion': 'embedded',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': '*',
    });
    res.end(text);
  }

  #sendError(res: http.ServerResponse, error: SealServerError, requestId: string | undefined): void {
    this.stats.refused[error.error] = (this.stats.refused[error.error] ?? 0) + 1;
    // The SDK sends a Request-Id; the real server logs it with the refusal.
    this.stats.lastRefusal = { error: error.error, detail: error.detail, at: Date.now(), requestId };
    this.#send(res, error.status, error.body());
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://key-server');
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': '*',
          'access-control-allow-headers': '*',
          'x-keyserver-version': KEY_SERVER_VERSION,
        });
        res.end();
        return;
      }
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/health')) {
        this.#send(res, 200, 'OK', 'text/plain');
        return;
      }
      const route =
        req.method === 'GET' && url.pathname === '/v1/service'
          ? 'service'
          : req.method === 'POST' && url.pathname === '/v1/fetch_key'
            ? 'fetch_key'
            : undefined;
      if (!route) {
        this.#send(res, 404, '', 'text/plain');
        return;
      }
      const body = await readBody(req);
      checkSdkHeaders(req.headers);
      if (route === 'fetch_key' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        // axum's Json extractor, before any Seal check
        this.#send(res, 415, 'Expected request with `Content-Type: application/json`', 'text/plain');
        return;
      }
      if (route === 'service') this.#send(res, 200, this.#service(url.searchParams.get('service_id')));
      else this.#send(res, 200, await this.#fetchKey(body));
    } catch (error) {
      const requestId = typeof req.headers['request-id'] === 'string' ? req.headers['request-id'] : undefined;
      if (error instanceof SealServerError) this.#sendError(res, error, requestId);
      else if (error instanceof Unprocessable)
        this.#send(
          res,
          422,
          `Failed to deserialize the JSON body into the target type: ${error.message}`,
          'text/plain',
        );
      else this.#sendError(res, new SealServerError('Failure', String(error)), requestId);
    }
  }

  #service(serviceId: string | null): { service_id: string; pop: string } {
    if (!serviceId || !/^0x[0-9a-fA-F]{1,64}$/.test(serviceId)) throw new SealServerError('InvalidServiceId');
    const id = normalizeSuiAddress(serviceId);
    if (!this.objectId || id !== this.objectId) throw new SealServerError('InvalidServiceId');
    // server.rs computes the PoP once at start (build_key_server_pop_map)
    if (this.#pop?.objectId !== id)
      this.#pop = { objectId: id, pop: toBase64(proofOfPossession(this.master, fromHex(id))) };
    return { service_id: id, pop: this.#pop.pop };
  }

  async #fetchKey(
    text: string,
  ): Promise<{ decryption_keys: { id: number[]; encrypted_key: [string, string] }[] }> {
    const t0 = performance.now();
    this.stats.fetchKey++;
    const p = parseBody(text);
    if (this.#refusal)
      throw new SealServerError(this.#refusal.error, this.#refusal.detail ?? 'refused by the harness');
    const vptb = validPtbFromBase64(p.req.ptb);
    const firstPackageId = await this.#chain.firstPackageId(vptb.packageId);
    // No MVR registry here: a named package cannot be checked against the first package id.
    if (p.req.certificate.mvr_name) throw new SealServerError('InvalidMVRName');
    const t1 = performance.now();
    await this.#checkSignatures(p, vptb.bytes, firstPackageId);
    const t2 = performance.now();
    await this.#chain.checkPolicy(p.user, vptb.ptb);
    const t3 = performance.now();
    const encKey = parseG1(p.encKey);
    const pkg = fromHex(firstPackageId);
    const decryption_keys = vptb.innerIds.map((inner) => {
      const id = fullId(pkg, inner);
      const [c0, c1] = elgamalEncrypt(this.#userSecretKey(id), encKey);
      return { id: Array.from(id), encrypted_key: [toBase64(c0), toBase64(c1)] as [string, string] };
    });
    this.stats.served++;
    const t4 = performance.now();
    this.stats.recentMs.push(t4 - t0);
    this.stats.recentPhasesMs.push({
      checks: t1 - t0,
      signatures: t2 - t1,
      policy: t3 - t2,
      derive: t4 - t3,
    });
    if (this.stats.recentMs.length > 256) this.stats.recentMs.shift();
    if (this.stats.recentPhasesMs.length > 256) this.stats.recentPhasesMs.shift();
    return { decryption_keys };
  }

  #userSecretKey(id: Uint8Array): Uint8Array {
    const key = toBase64(id);
    let usk = this.#usks.get(key);
    if (!usk) {
      usk = extractUserSecretKey(this.master, id);
      if (this.#usks.size >= USK_CACHE_ENTRIES) this.#usks.delete(this.#usks.keys().next().value!);
      this.#usks.set(key, usk);
    }
    return usk;
  }

  /** server.rs check_signature: certificate time and ttl, the user's signature, the session key's. */
  async #checkSignatures(p: Parsed, ptb: Uint8Array, firstPackageId: string): Promise<void> {
    const cert = p.req.certificate;
    const ttlMs = cert.ttl_min * 60_000;
    if (ttlMs > this.#ttlMaxMs) throw new SealServerError('InvalidCertificate');
    const age = Date.now() - cert.creation_time;
    if (age < 0 || age > ttlMs) throw new SealServerError('InvalidCertificate');
    const message = sessionPersonalMessage(firstPackageId, p.sessionVk, cert.creation_time, cert.ttl_min);
    try {
      await verifyPersonalMessageSignature(new TextEncoder().encode(message), cert.signature, {
        address: p.user,
        client: this.#client,
      });
    } catch {
      throw new SealServerError('InvalidSignature');
    }
    const signed = signedRequestBytes(ptb, p.encKey, p.encVerificationKey);
    let ok = false;
    try {
      ok = await new Ed25519PublicKey(p.sessionVk).verify(signed, p.requestSignature);
    } catch {
      ok = false;
    }
    if (!ok) throw new SealServerError('InvalidSessionSignature');
  }
}

const MAX_BODY_BYTES = 1 << 20;
const USK_CACHE_ENTRIES = 4096;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SealServerError('InvalidParameter', `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

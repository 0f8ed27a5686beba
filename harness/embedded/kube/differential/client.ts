/**
 * A raw HTTPS client built from a kubeconfig (bearer token or client certificate, pinned CA):
 * the differential suite must see exactly what each server answers (status, headers, bytes),
 * without a Kubernetes client library decoding or retrying anything.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { parse } from 'yaml';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  readonly timeoutMs?: number;
}

export interface RawClient {
  readonly server: string;
  send(req: RawRequest): Promise<RawResponse>;
}

interface KubeconfigFile {
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: {
    name: string;
    user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string };
  }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

const b64 = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');

export async function clientFromKubeconfig(path: string, userAgent: string): Promise<RawClient> {
  const kc = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const ctx = kc.contexts?.find((c) => c.name === kc['current-context'])?.context;
  const cluster = kc.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = kc.users?.find((u) => u.name === ctx?.user)?.user;
  if (!ctx || !cluster || !user)
    throw new Error(
      `${path}: no current context with a cluster and a user; write one with a server and credentials`,
    );
  const ca = b64(cluster['certificate-authority-data']);
  const cert = b64(user['client-certificate-data']);
  const key = b64(user['client-key-data']);
  const auth: Record<string, string> = user.token ? { authorization: `Bearer ${user.token}` } : {};
  return {
    server: cluster.server,
    send: (req) =>
      new Promise((resolve, reject) => {
        const r = request(
          new URL(req.path, cluster.server),
          {
            method: req.method,
            ca,
            // A request with its own credentials (a bearer token) does not also present the
            // kubeconfig's client certificate: kube-apiserver would authenticate that first.
            ...(req.headers?.authorization ? {} : { cert, key }),
            headers: {
              'user-agent': userAgent,
              ...auth,
              ...(req.headers ?? {}),
              // Explicit length: a chunked DELETE body is not what kubectl sends.
              ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
            },
            agent: false,
            timeout: req.timeoutMs ?? 15_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers))
                if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
              resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
            });
            res.on('error', reject);
          },
        );
        r.on('timeout', () =>
          r.destroy(new Error(`${req.method} ${req.path}: no answer within ${req.timeoutMs ?? 15_000} ms`)),
        );
        r.on('error', reject);
        r.end(req.body);
      }),
  };
}

/**
 * Generator of malformed / random HTTP requests for robustness tests of the
 * gateway, and a raw-TLS sender that records what came back. Used by the
 * unit test (fake chain port) and the end-to-end test (real chain + cluster).
 */
import { connect } from 'node:tls';

export interface FuzzCase {
  label: string;
  raw: Buffer;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'BREW',
  'get',
  '',
];
const PATHS = [
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/nginx',
  '/api/v1/namespaces/default/pods/../../secrets',
  '/api/v1/namespaces/default/pods/%2e%2e/x',
  '/api/v1/namespaces/DEFAULT/pods',
  '/apis/apps/v1/namespaces/x/deployments/y/scale/extra/more',
  '/api/v1/watch',
  '/api/v1/namespaces/default/pods?watch=true',
  '/api/v1/namespaces/default/pods?evil=1',
  '/api',
  '/apis',
  '/version',
  '/metrics',
  '/',
  '//',
  '/api/v1/namespaces/default/pods/x/exec?command=sh',
  '/api/v1/' + 'a'.repeat(5000),
  '*',
  'http://evil.example/api/v1/pods',
  '/api/v1/namespaces/default/pods/\u00e9',
  '/api/v1/namespaces/default/pods?%zz',
];

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

/** `count` cases; `token` is a valid bearer token used in a fraction of them (to reach deeper code). */
export function fuzzCases(count: number, token: string, seed = 1): FuzzCase[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = Math.floor(rand() * 6);
    if (kind === 0) {
      cases.push({
        label: `garbage#${i}`,
        raw: Buffer.concat([randomBytes(rand, 1 + Math.floor(rand() * 200)), Buffer.from('\r\n\r\n')]),
      });
      continue;
    }
    const method = pick(METHODS);
    let path = pick(PATHS);
    if (kind === 1) path = '/' + randomBytes(rand, 1 + Math.floor(rand() * 40)).toString('base64url');
    const headers: string[] = ['Host: gateway', 'Connection: close'];
    const authRoll = rand();
    if (authRoll < 0.5) headers.push(`Authorization: Bearer ${token}`);
    else if (authRoll < 0.7) headers.push(`Authorization: Bearer ${randomBytes(rand, 12).toString('hex')}`);
    else if (authRoll < 0.8) headers.push('Authorization: Basic Zm9vOmJhcg==');
    if (rand() < 0.2)
      headers.push('X-K3s-Daas-Request-Id: ' + pick(['../x', 'a b', 'x'.repeat(300), 'ok-id-' + i]));
    let body: Buffer = Buffer.alloc(0);
    if (kind === 2) body = randomBytes(rand, Math.floor(rand() * 300));
    if (kind === 3)
      body = Buffer.from(
        '{"apiVersion":"v1","kind":"Pod","metadata":{"name":' + (rand() < 0.5 ? '"x"' : '[') + '}}',
      );
    if (body.length > 0) {
      headers.push(
        `Content-Type: ${pick(['application/json', 'application/yaml', 'text/plain', '\u0001bad'])}`,
      );
      headers.push(`Content-Length: ${kind === 4 ? body.length + 50 : body.length}`);
    }
    if (kind === 5) headers.push('Content-Length: 99999999999');
    const head = `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
    cases.push({
      label: `${method} ${path.slice(0, 60)}#${i}`,
      raw: Buffer.concat([Buffer.from(head, 'latin1'), body]),
    });
  }
  return cases;
}

export interface RawResponse {
  statusLine: string;
  code: number;
  body: string;
}

/** Send raw bytes over TLS and read until the server closes (or `timeoutMs`). */
export function sendRaw(
  host: string,
  port: number,
  ca: string,
  raw: Buffer,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca, servername: 'localhost' }, () => socket.write(raw));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within timeout'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const statusLine = head.split('\r\n')[0] ?? '';
      const code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      resolve({ statusLine, code, body: rest.join('\r\n\r\n') });
    });
  });
}

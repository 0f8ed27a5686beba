import { execa } from 'execa';

/**
 * Runs the real kubectl. It is started with `-v=8` so that its own request log tells us, for
 * every HTTP round trip, the URL, the status, kubectl's measured latency and the gateway's
 * response headers (request id, transaction digest, per-hop trace). Those klog lines are
 * removed from the stderr that scenarios assert on, so expectations see what a user sees.
 */
export interface HttpExchange {
  method: string;
  url: string;
  status?: number;
  /** Latency kubectl measured for the round trip. */
  ms?: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
}

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  /** stderr without kubectl's verbose log lines. */
  stderr: string;
  durationMs: number;
  http: HttpExchange[];
  /** The command as run, for reports. */
  command: string;
  /** With `until`: whether the output matched (and the harness stopped the command). */
  untilMatched?: boolean;
}

const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]+\] ?(.*)$/;

/** Splits kubectl -v=8 stderr into user-facing text and the HTTP exchanges it logged. */
export function parseVerboseStderr(raw: string): { stderr: string; http: HttpExchange[] } {
  const user: string[] = [];
  const http: HttpExchange[] = [];
  let current: HttpExchange | undefined;
  let section: 'request' | 'response' | undefined;
  let inDump: false | 'json' | 'hex' = false;
  for (const line of raw.split('\n')) {
    const m = KLOG.exec(line);
    if (!m) {
      // Continuation of a multi-line klog message (e.g. "server response object: [{ … }]").
      if (inDump) {
        if ((inDump === 'json' && /^\}\]\s*$/.test(line)) || (inDump === 'hex' && line.trim() === '>'))
          inDump = false;
        continue;
      }
      user.push(line);
      continue;
    }
    const msg = m[1] ?? '';
    if (/server response object: .*\[\{\s*$/.test(msg)) {
      inDump = 'json';
      continue;
    }
    // Bodies logged as a multi-line hexdump: `"Request Body" body=<` … ` >`.
    if (/=<\s*$/.test(msg)) {
      inDump = 'hex';
      continue;
    }
    const req = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)$/.exec(msg);
    if (req) {
      current = { method: req[1]!, url: req[2]!, headers: {} };
      http.push(current);
      section = 'request';
      continue;
    }
    const status = /^Response Status: (\d{3})\b.* in (\d+) milliseconds/.exec(msg);
    if (status && current) {
      current.status = Number(status[1]);
      current.ms = Number(status[2]);
      continue;
    }
    if (msg.startsWith('Response Headers:')) {
      section = 'response';
      continue;
    }
    if (msg.startsWith('Request Headers:')) {
      section = 'request';
      continue;
    }
    const header = /^\s+([A-Za-z0-9-]+): (.*)$/.exec(msg);
    if (header && current && section === 'response') {
      current.headers[header[1]!.toLowerCase()] = header[2]!;
    }
  }
  while (user.length && user[user.length - 1] === '') user.pop();
  return { stderr: user.length ? user.join('\n') + '\n' : '', http };
}

/** Longer than the gateway's response timeout (120 s in the stack), so the gateway's 504 is what shows. */
export const KUBECTL_TIMEOUT_MS = 150_000;

export interface RunKubectlOptions {
  kubeconfigPath: string;
  args: string[];
  stdin?: string;
  cwd?: string;
  timeoutMs?: number;
  kubectlBinary?: string;
  /** Stop the command (SIGINT) once stdout matches; see UntilSpec in types.ts. */
  until?: { stdout: RegExp; timeoutMs: number };
}

export async function runKubectl(opts: RunKubectlOptions): Promise<KubectlResult> {
  const bin = opts.kubectlBinary ?? process.env.KUBECTL ?? 'kubectl';
  const args = [...opts.args, '-v=8'];
  const started = performance.now();
  const timeoutMs = opts.until?.timeoutMs ?? opts.timeoutMs ?? KUBECTL_TIMEOUT_MS;
  const child = execa(bin, args, {
    env: { KUBECONFIG: opts.kubeconfigPath, HOME: process.env.HOME ?? '/tmp', PATH: process.env.PATH ?? '' },
    extendEnv: false,
    input: opts.stdin,
    stdin: opts.stdin === undefined ? 'ignore' : undefined,
    cwd: opts.cwd,
    reject: false,
    timeout: timeoutMs,
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
  });
  let matched = false;
  if (opts.until) {
    const until = opts.until.stdout;
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (!matched && until.test(seen)) {
        matched = true;
        child.kill('SIGINT');
      }
    });
  }
  const r = await child;
  const durationMs = performance.now() - started;
  if (r.failed && r.exitCode === undefined && !r.timedOut) {
    const hint = /ENOENT/.test(String(r.message))
      ? ` (is kubectl on PATH? set KUBECTL=/path/to/kubectl)`
      : '';
    throw new Error(`could not run ${bin}: ${r.shortMessage}${hint}`);
  }
  const parsed = parseVerboseStderr(String(r.stderr));
  const notes = [
    r.timedOut ? `harness: kubectl timed out after ${timeoutMs} ms` : '',
    opts.until && !matched && !r.timedOut
      ? `harness: kubectl ended before its output matched until.stdout /${opts.until.stdout.source}/`
      : '',
  ].filter(Boolean);
  return {
    // Stopped by the harness once the output matched: the command did what the step waited for.
    exitCode: matched ? 0 : r.timedOut ? 124 : (r.exitCode ?? 1),
    stdout: String(r.stdout),
    stderr: parsed.stderr + notes.map((n) => `${n}\n`).join(''),
    durationMs,
    http: parsed.http,
    command: `kubectl ${opts.args.join(' ')}`,
    ...(opts.until ? { untilMatched: matched } : {}),
  };
}

/** Gateway response headers this harness reads (see src/gateway/server.ts). */
export const GATEWAY_HEADERS = {
  requestId: 'x-k3s-daas-request-id',
  txDigest: 'x-k3s-daas-tx-digest',
  trace: 'x-k3s-daas-trace',
} as const;

/** Per-hop durations (ms) the gateway reported for one exchange, if any. */
export function hopsOf(x: HttpExchange): Record<string, number> | undefined {
  const raw = x.headers[GATEWAY_HEADERS.trace];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).filter(([, n]) => typeof n === 'number'),
      ) as Record<string, number>;
    }
  } catch {
    // not JSON: "hop=ms;hop=ms"
    const out: Record<string, number> = {};
    for (const part of raw.split(/[;,]/)) {
      const [k, n] = part.split('=');
      if (k && n && Number.isFinite(Number(n))) out[k.trim()] = Number(n);
    }
    return Object.keys(out).length ? out : undefined;
  }
  return undefined;
}

/** `[EName]` in a gateway Status message and the transaction digest it names. */
export function abortFromStderr(stderr: string): { name: string; txDigest?: string } | undefined {
  const m = /\[(E[A-Za-z0-9]+)\]/.exec(stderr);
  if (!m) return undefined;
  const tx = /\(transaction ([1-9A-HJ-NP-Za-km-z]{32,44})\)/.exec(stderr);
  return tx ? { name: m[1]!, txDigest: tx[1]! } : { name: m[1]! };
}

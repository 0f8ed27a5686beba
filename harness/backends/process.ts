import { execa, type ResultPromise } from 'execa';
import { registerCleanup } from './cleanup.ts';

/** Keeps the last `max` lines of a stream: enough to explain a failure, bounded in memory. */
export class LogTail {
  private lines: string[] = [];
  constructor(private readonly max = 400) {}
  push(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (line === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(last = this.max): string {
    return this.lines.slice(-last).join('\n');
  }
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logs: LogTail;
  /** Set once the process has exited (code or signal). */
  exitReason(): string | undefined;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** Sends `signal` to the whole process group (fault injection: SIGKILL, SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Called with every output chunk (stdout and stderr), e.g. to spot "ready" lines. */
  onOutput?: (chunk: string) => void;
}

/**
 * Starts a long-running child in its own process group (so helpers it spawns die with it),
 * captures its output, and registers it for cleanup on exit, SIGINT and SIGTERM.
 */
export function startManagedProcess(opts: StartProcessOptions): ManagedProcess {
  const logs = new LogTail();
  const child: ResultPromise = execa(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let exit: string | undefined;
  const onChunk = (buf: Buffer): void => {
    const s = buf.toString('utf8');
    logs.push(s);
    opts.onOutput?.(s);
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  const exited = child.then((r) => {
    exit = r.signal ? `killed by ${r.signal}` : `exited with code ${r.exitCode ?? 'unknown'}`;
    if (r.failed && r.exitCode === undefined && !r.signal) exit = r.shortMessage;
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${opts.name}: could not start \`${opts.command}\``);
  }

  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // group already gone
    }
  };
  // Synchronous on purpose: also runs from the process 'exit' handler.
  const unregister = registerCleanup(`${opts.name} (pid ${pid})`, () => {
    if (exit === undefined) killGroup('SIGKILL');
  });
  let stopping: Promise<void> | undefined;

  return {
    name: opts.name,
    pid,
    logs,
    exitReason: () => exit,
    signal: killGroup,
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        unregister();
        if (exit !== undefined) return;
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

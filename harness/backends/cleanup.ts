/**
 * Process-wide cleanup registry: backends that start processes, containers or clusters register
 * their teardown here so that a normal exit, SIGINT or SIGTERM never leaves them behind.
 */
type Cleanup = () => Promise<void> | void;

const cleanups = new Map<number, { label: string; fn: Cleanup }>();
let nextId = 1;
let installed = false;
let running: Promise<void> | undefined;

export function registerCleanup(label: string, fn: Cleanup): () => void {
  installHandlers();
  const id = nextId++;
  cleanups.set(id, { label, fn });
  return () => {
    cleanups.delete(id);
  };
}

/** Runs every registered cleanup, newest first (so a cluster goes before the chain it used). */
export function runCleanups(): Promise<void> {
  running ??= (async () => {
    const entries = [...cleanups.entries()].reverse();
    cleanups.clear();
    for (const [, { label, fn }] of entries) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup "${label}" failed: ${(err as Error).message}\n`);
      }
    }
  })().finally(() => {
    running = undefined;
  });
  return running;
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void runCleanups().finally(() => {
        // Re-raise with the conventional exit status 128 + signal number.
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    });
  }
  // 'exit' handlers cannot await; kill what can be killed synchronously (child processes
  // register a synchronous kill in their cleanup, so this still reaps them).
  process.once('exit', () => {
    for (const { fn } of cleanups.values()) {
      try {
        void fn();
      } catch {
        // best effort at exit
      }
    }
  });
}

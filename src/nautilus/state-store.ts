/**
 * The listener's local, crash-safe state (one directory):
 *   cursor.json   — last event-stream watermark + the set of requests still
 *                   unanswered (re-checked by the reconciler after a restart)
 *   journal/<request object id>.json — write-ahead record per request:
 *                   claimed → executing → executed (with the Kubernetes answer) → stored
 * The chain (claims, stored responses) stays the truth; the journal only
 * closes the window between "Kubernetes executed it" and "response stored",
 * so a restart stores the recorded answer instead of executing again.
 *
 * Cursor writes are coalesced (at most one per `cursorWriteDelayMs`): a cursor that lags a
 * little only means a restart re-reads a few events, which claims and stored responses make
 * harmless. Journal records are written before the step they protect, never coalesced.
 * One listener process per state directory: the journal index is kept in memory.
 */
import { mkdir, readFile, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/files.ts';

export interface CursorState {
  cursorHex?: string;
  checkpoint?: string;
  open: string[];
  /** Open request → digest of the transaction that emitted its K8sAPIRequest (read it back in O(1)). */
  origins?: Record<string, string>;
}

/** Request object id → digest of the transaction that emitted its K8sAPIRequest, when known. */
export type OpenRequests = ReadonlyMap<string, string | undefined>;

export type JournalPhase = 'claimed' | 'executing' | 'executed' | 'stored';

export interface JournalEntry {
  requestObjectId: string;
  requestId: string;
  phase: JournalPhase;
  at: number;
  response?: { statusCode: number; contentType: string; bodyBase64: string };
}

const SAFE_ID = /^0x[0-9a-f]{1,64}$/;

export class StateStore {
  private cursor: CursorState = { open: [] };
  /** Request ids with a journal file (loaded at init, then maintained): no disk read for the rest. */
  private readonly journaled = new Set<string>();
  private cursorTimer: NodeJS.Timeout | undefined;
  private cursorWrite: Promise<void> = Promise.resolve();
  private cursorDirty = false;

  constructor(
    readonly dir: string,
    private readonly cursorWriteDelayMs = 200,
  ) {}

  async init(): Promise<void> {
    await mkdir(join(this.dir, 'journal'), { recursive: true });
    for (const id of await this.listJournalFiles()) this.journaled.add(id);
    try {
      const parsed = JSON.parse(
        await readFile(join(this.dir, 'cursor.json'), 'utf8'),
      ) as Partial<CursorState>;
      this.cursor = {
        open: Array.isArray(parsed.open) ? parsed.open.filter((x) => typeof x === 'string') : [],
      };
      if (typeof parsed.cursorHex === 'string') this.cursor.cursorHex = parsed.cursorHex;
      if (typeof parsed.checkpoint === 'string') this.cursor.checkpoint = parsed.checkpoint;
      if (parsed.origins && typeof parsed.origins === 'object')
        this.cursor.origins = Object.fromEntries(
          Object.entries(parsed.origins).filter(([, d]) => typeof d === 'string'),
        );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(
          `listener state ${this.dir}/cursor.json is unreadable: ${(e as Error).message}; move it away to backfill from genesis`,
        );
    }
  }

  get cursorBytes(): Uint8Array | undefined {
    return this.cursor.cursorHex ? Uint8Array.from(Buffer.from(this.cursor.cursorHex, 'hex')) : undefined;
  }

  /** Open requests as last saved → the digest of their origin transaction, when known. */
  get openRequests(): Map<string, string | undefined> {
    const origins = this.cursor.origins ?? {};
    return new Map(this.cursor.open.map((id) => [id, origins[id]]));
  }

  /** Advance the cursor; never moves back to an older checkpoint. */
  async saveCursor(cursor: Uint8Array, checkpoint: bigint | undefined, open: OpenRequests): Promise<void> {
    if (
      checkpoint !== undefined &&
      this.cursor.checkpoint !== undefined &&
      checkpoint < BigInt(this.cursor.checkpoint)
    )
      return;
    this.cursor = { cursorHex: Buffer.from(cursor).toString('hex'), ...openState(open) };
    if (checkpoint !== undefined) this.cursor.checkpoint = checkpoint.toString();
    this.scheduleCursorWrite();
  }

  async saveOpen(open: OpenRequests): Promise<void> {
    this.cursor = { ...this.cursor, ...openState(open) };
    this.scheduleCursorWrite();
  }

  /** Writes a pending cursor now (shutdown, tests). */
  async flush(): Promise<void> {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = undefined;
    if (this.cursorDirty) this.writeCursor();
    await this.cursorWrite;
  }

  private scheduleCursorWrite(): void {
    this.cursorDirty = true;
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = undefined;
      this.writeCursor();
    }, this.cursorWriteDelayMs);
    this.cursorTimer.unref();
  }

  private writeCursor(): void {
    this.cursorDirty = false;
    const snapshot = JSON.stringify(this.cursor);
    // Chained so two writes never race on the temp file → rename order.
    this.cursorWrite = this.cursorWrite
      .then(() => writeFileAtomic(join(this.dir, 'cursor.json'), snapshot))
      .catch(() => {
        this.cursorDirty = true; // retried with the next save or flush
      });
  }

  private path(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`refusing journal path for object id ${id}`);
    return join(this.dir, 'journal', `${id}.json`);
  }

  async journal(id: string): Promise<JournalEntry | undefined> {
    if (!this.journaled.has(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.path(id), 'utf8')) as JournalEntry;
    } catch {
      return undefined;
    }
  }

  async record(entry: JournalEntry): Promise<void> {
    await writeFileAtomic(this.path(entry.requestObjectId), JSON.stringify(entry));
    this.journaled.add(entry.requestObjectId);
  }

  async forget(id: string): Promise<void> {
    if (!this.journaled.delete(id)) return;
    await rm(this.path(id), { force: true });
  }

  async journalIds(): Promise<string[]> {
    return [...this.journaled];
  }

  private async listJournalFiles(): Promise<string[]> {
    const files = await readdir(join(this.dir, 'journal')).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  }
}

function openState(open: OpenRequests): Pick<CursorState, 'open' | 'origins'> {
  const origins = [...open].filter((e): e is [string, string] => e[1] !== undefined);
  return { open: [...open.keys()], origins: Object.fromEntries(origins) };
}

/**
 * The listener's local, crash-safe state (one directory):
 *   cursor.json   — last event-stream watermark + the set of requests still
 *                   unanswered (re-checked by the reconciler after a restart)
 *   journal/<request object id>.json — write-ahead record per request:
 *                   claimed → executing → executed (with the Kubernetes answer) → stored
 * The chain (claims, stored responses) stays the truth; the journal only
 * closes the window between "Kubernetes executed it" and "response stored",
 * so a restart stores the recorded answer instead of executing again.
 */
import { mkdir, readFile, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/keystore.ts';

export interface CursorState {
  cursorHex?: string;
  checkpoint?: string;
  open: string[];
}

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
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(join(this.dir, 'journal'), { recursive: true });
    try {
      const parsed = JSON.parse(
        await readFile(join(this.dir, 'cursor.json'), 'utf8'),
      ) as Partial<CursorState>;
      this.cursor = {
        open: Array.isArray(parsed.open) ? parsed.open.filter((x) => typeof x === 'string') : [],
      };
      if (typeof parsed.cursorHex === 'string') this.cursor.cursorHex = parsed.cursorHex;
      if (typeof parsed.checkpoint === 'string') this.cursor.checkpoint = parsed.checkpoint;
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

  get openRequests(): string[] {
    return [...this.cursor.open];
  }

  /** Advance the cursor; never moves back to an older checkpoint. */
  async saveCursor(
    cursor: Uint8Array,
    checkpoint: bigint | undefined,
    open: Iterable<string>,
  ): Promise<void> {
    if (
      checkpoint !== undefined &&
      this.cursor.checkpoint !== undefined &&
      checkpoint < BigInt(this.cursor.checkpoint)
    )
      return;
    this.cursor = { cursorHex: Buffer.from(cursor).toString('hex'), open: [...open] };
    if (checkpoint !== undefined) this.cursor.checkpoint = checkpoint.toString();
    await writeFileAtomic(join(this.dir, 'cursor.json'), JSON.stringify(this.cursor));
  }

  async saveOpen(open: Iterable<string>): Promise<void> {
    this.cursor = { ...this.cursor, open: [...open] };
    await writeFileAtomic(join(this.dir, 'cursor.json'), JSON.stringify(this.cursor));
  }

  private path(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`refusing journal path for object id ${id}`);
    return join(this.dir, 'journal', `${id}.json`);
  }

  async journal(id: string): Promise<JournalEntry | undefined> {
    try {
      return JSON.parse(await readFile(this.path(id), 'utf8')) as JournalEntry;
    } catch {
      return undefined;
    }
  }

  async record(entry: JournalEntry): Promise<void> {
    await writeFileAtomic(this.path(entry.requestObjectId), JSON.stringify(entry));
  }

  async forget(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  async journalIds(): Promise<string[]> {
    const files = await readdir(join(this.dir, 'journal')).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  }
}

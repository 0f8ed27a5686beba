// Versioned object store with a watch hub. Stored objects are treated as
// immutable: every write stores a new object, so reads hand out references
// without copying and a snapshot is a shallow copy of the maps.
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
};

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** group/resource, version-independent. */
  gr: string;
  object: KubeObject;
  /** The object before this change (MODIFIED/DELETED), for selector transitions. */
  previous?: KubeObject;
  rv: number;
}

export type Watcher = (ev: StoreEvent) => void;

/** Thrown when a watch asks for a resourceVersion older than the event history. */
export class ResourceVersionTooOld extends Error {}

const HISTORY = 20_000;

export interface StoreSnapshot {
  rv: number;
  tables: Map<string, Map<string, KubeObject>>;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectStore {
  private rv = 1;
  /** gr → (ns/name → object) */
  private tables = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private watchers = new Map<string, Set<Watcher>>();
  private anyWatchers = new Set<Watcher>();
  /** Last errors thrown by watchers (for diagnosis; writes are never failed by them). */
  readonly watcherErrors: string[] = [];

  currentRv(): number {
    return this.rv;
  }

  /** Allocates the resourceVersion for the next write. */
  nextRv(): number {
    return ++this.rv;
  }

  private table(gr: string): Map<string, KubeObject> {
    let t = this.tables.get(gr);
    if (!t) {
      t = new Map();
      this.tables.set(gr, t);
    }
    return t;
  }

  get(gr: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.tables.get(gr)?.get(objectKey(namespace, name));
  }

  /** Sorted keys per table, rebuilt only when keys are added or removed (not on updates). */
  private sortedKeys = new Map<string, string[]>();

  private keysOf(gr: string, t: Map<string, KubeObject>): string[] {
    let keys = this.sortedKeys.get(gr);
    if (!keys) {
      keys = [...t.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sortedKeys.set(gr, keys);
    }
    return keys;
  }

  /** Objects of one group/resource, optionally in one namespace, sorted by key as etcd would. */
  list(gr: string, namespace?: string): KubeObject[] {
    const t = this.tables.get(gr);
    if (!t) return [];
    const keys = this.keysOf(gr, t);
    const prefix = namespace ? `${namespace}/` : undefined;
    const out: KubeObject[] = [];
    for (const k of keys) if (!prefix || k.startsWith(prefix)) out.push(t.get(k)!);
    return out;
  }

  count(gr: string): number {
    return this.tables.get(gr)?.size ?? 0;
  }

  resources(): string[] {
    return [...this.tables.keys()];
  }

  /** Stores obj (whose metadata.resourceVersion the caller already set from nextRv()). */
  put(gr: string, obj: KubeObject): void {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
    const t = this.table(gr);
    const previous = t.get(key);
    t.set(key, obj);
    if (!previous) this.sortedKeys.delete(gr);
    this.emit({
      type: previous ? 'MODIFIED' : 'ADDED',
      gr,
      object: obj,
      previous,
      rv: Number(obj.metadata.resourceVersion),
    });
  }

  remove(gr: string, obj: KubeObject): KubeObject | undefined {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
    const t = this.tables.get(gr);
    const previous = t?.get(key);
    if (!previous || !t) return undefined;
    t.delete(key);
    this.sortedKeys.delete(gr);
    const rv = this.nextRv();
    const gone = {
      ...previous,
      metadata: { ...previous.metadata, resourceVersion: String(rv) },
    } as KubeObject;
    this.emit({ type: 'DELETED', gr, object: gone, previous, rv });
    return gone;
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > HISTORY * 1.5) this.history = this.history.slice(-HISTORY);
    const ws = this.watchers.get(ev.gr);
    if (ws) for (const w of [...ws]) this.deliver(w, ev);
    for (const w of [...this.anyWatchers]) this.deliver(w, ev);
  }

  /** A failing watcher must not fail the write that triggered it, nor starve other watchers. */
  private deliver(w: Watcher, ev: StoreEvent): void {
    try {
      w(ev);
    } catch (e) {
      this.watcherErrors.push(e instanceof Error ? e.message : String(e));
      if (this.watcherErrors.length > 100) this.watcherErrors.shift();
    }
  }

  /**
   * Subscribes to events of one group/resource after resourceVersion `fromRv`
   * (replaying history first). Throws ResourceVersionTooOld when history no longer reaches back.
   */
  watch(gr: string, fromRv: number, fn: Watcher): () => void {
    const oldest = this.history[0]?.rv ?? this.rv + 1;
    if (fromRv < this.rv && fromRv < oldest - 1)
      throw new ResourceVersionTooOld(`too old resource version: ${fromRv} (${oldest - 1})`);
    for (const ev of this.history) if (ev.gr === gr && ev.rv > fromRv) fn(ev);
    let set = this.watchers.get(gr);
    if (!set) {
      set = new Set();
      this.watchers.set(gr, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Every event of every resource (for controllers). */
  watchAll(fn: Watcher): () => void {
    this.anyWatchers.add(fn);
    return () => this.anyWatchers.delete(fn);
  }

  watcherCount(): number {
    let n = this.anyWatchers.size;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  snapshot(): StoreSnapshot {
    const tables = new Map<string, Map<string, KubeObject>>();
    for (const [gr, t] of this.tables) tables.set(gr, new Map(t));
    return { rv: this.rv, tables };
  }

  /**
   * Replaces the content with a snapshot. The resourceVersion keeps growing
   * (clients may hold newer versions) and watchers see the difference as events.
   */
  restore(snap: StoreSnapshot): void {
    const grs = new Set([...this.tables.keys(), ...snap.tables.keys()]);
    for (const gr of grs) {
      const cur = this.tables.get(gr) ?? new Map<string, KubeObject>();
      const want = snap.tables.get(gr) ?? new Map<string, KubeObject>();
      for (const obj of [...cur.values()]) {
        const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
        if (!want.has(key)) this.remove(gr, obj);
      }
      for (const [key, obj] of want) {
        const existing = cur.get(key);
        if (existing === obj) continue;
        const rv = this.nextRv();
        this.put(gr, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
      }
    }
  }
}

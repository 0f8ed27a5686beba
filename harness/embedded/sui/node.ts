/**
 * The embedded Sui node: ledger + executor + checkpointer + Clock, with snapshot/revert.
 * Network-facing parts (gRPC services, faucet) live in services/ and faucet.ts.
 */
import { EventEmitter } from 'node:events';
import { toBase58, toHex } from '@mysten/sui/utils';
import { Ledger, cloneState, type CheckpointRecord, type LedgerState } from './ledger/ledger.ts';
import { blake2b256 } from './ledger/objects.ts';
import { buildGenesis, clockObject, type TestAccount } from './ledger/genesis.ts';
import { CLOCK_ID } from './ledger/types.ts';
import { PackageCatalog } from './move/catalog.ts';
import { VmPort } from './move/vm-port.ts';
import { Executor } from './execution/executor.ts';
import { MAINNET_LIMITS, type Limits } from './execution/limits.ts';
import { BcsWriter } from './ledger/bcs-writer.ts';
import {
  latencyProfile,
  touchesSharedObjects,
  type LatencyProfile,
  type LatencyProfileName,
} from './latency-profile.ts';

import type { RpcProfileName } from './rpc-profile.ts';

const CHECKPOINT_PREFIX = new TextEncoder().encode('CheckpointSummary::');

export interface NodeOptions {
  accounts?: number;
  coinsPerAccount?: number;
  mistPerCoin?: bigint;
  referenceGasPrice?: bigint;
  /** Checkpoint cadence: milliseconds, or 'per-transaction' to seal one checkpoint per transaction. */
  checkpointIntervalMs?: number | 'per-transaction';
  /** An idle chain still seals a checkpoint (and ticks the Clock) this often. */
  heartbeatMs?: number;
  limits?: Partial<Limits>;
  frameworkModules?: Record<string, (string | Uint8Array)[]>;
  /** Finalization latency to imitate (see latency-profile.ts); default none. */
  latencyProfile?: LatencyProfileName;
  /**
   * Epoch length: the first checkpoint sealed this long after the epoch started closes it and
   * the next epoch begins (0 = never). Default 10 s (`sui start` uses 60 s, too slow for tests).
   */
  epochDurationMs?: number;
  /** Events a ListEvents request scans before it ends with SCAN_LIMIT (the real server's scan budget). Default 10,000. */
  listEventsScanBudget?: number;
  /**
   * Checkpoints without a match after which SubscribeEvents sends a progress-only frame. Sui's
   * default is 25 (~5 s at mainnet cadence); the embedded default keeps those ~5 s at this
   * node's idle cadence: 25 at a heartbeat ≤ 200 ms, else ⌈5 s / heartbeat⌉ (5 at the 1 s default).
   */
  subscriptionWatermarkInterval?: number;
  /** The Sui release whose gRPC methods the server serves (rpc-profile.ts); named in GetServiceInfo's `server`. */
  rpcProfile?: RpcProfileName;
}

/** Default epoch length of the embedded node. */
export const DEFAULT_EPOCH_DURATION_MS = 10_000;

export interface NodeEvents {
  checkpoint: [CheckpointRecord];
}

export class EmbeddedSuiNode extends EventEmitter<NodeEvents> {
  ledger: Ledger;
  readonly accounts: TestAccount[];
  readonly catalog: PackageCatalog;
  readonly executor: Executor;
  readonly limits: Limits;
  readonly chainId: string;
  readonly latency: LatencyProfile;
  private readonly snapshots = new Map<string, { state: LedgerState; clockMs: bigint }>();
  private snapshotCounter = 0;
  private timer?: NodeJS.Timeout;
  private sealTimer?: NodeJS.Timeout;
  private clockMs: bigint;
  private lastSealMs = 0;
  private readonly interval: number | 'per-transaction';
  private readonly heartbeatMs: number;
  readonly epochDurationMs: number;
  readonly listEventsScanBudget: number;
  readonly subscriptionWatermarkInterval: number;
  readonly rpcProfile: RpcProfileName;

  constructor(opts: NodeOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.limits = { ...MAINNET_LIMITS, ...opts.limits };
    this.clockMs = BigInt(Date.now());
    const { ledger, accounts } = buildGenesis({
      accounts: opts.accounts ?? 10,
      coinsPerAccount: opts.coinsPerAccount ?? 5,
      mistPerCoin: opts.mistPerCoin ?? 1_000_000_000_000n,
      referenceGasPrice: opts.referenceGasPrice ?? 1000n,
      nowMs: this.clockMs,
      frameworkModules: opts.frameworkModules,
    });
    this.ledger = ledger;
    this.accounts = accounts;
    this.catalog = new PackageCatalog(() => this.ledger);
    this.executor = new Executor({
      ledger: () => this.ledger,
      catalog: this.catalog,
      move: new VmPort(() => this.ledger),
      limits: this.limits,
      nowMs: () => this.clockMs,
      advanceClock: () => this.advanceClock(BigInt(Date.now())),
    });
    this.latency = latencyProfile(opts.latencyProfile);
    this.interval = opts.checkpointIntervalMs ?? this.latency.checkpointIntervalMs ?? 10;
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.epochDurationMs = opts.epochDurationMs ?? DEFAULT_EPOCH_DURATION_MS;
    this.listEventsScanBudget = opts.listEventsScanBudget ?? 10_000;
    this.rpcProfile = opts.rpcProfile ?? 'current';
    this.subscriptionWatermarkInterval =
      opts.subscriptionWatermarkInterval ?? Math.min(25, Math.max(1, Math.ceil(5_000 / this.heartbeatMs)));
    // Genesis checkpoint; the chain id is the first 4 bytes of its digest, as on Sui.
    const genesis = this.seal(true);
    this.chainId = toHex(
      Uint8Array.from(Buffer.from(genesis.digest.length ? genesisBytes(genesis.digest) : [])),
    ).slice(0, 8);
  }

  start(): void {
    if (this.timer || this.interval === 'per-transaction') return;
    this.timer = setInterval(() => this.tick(), this.interval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.sealTimer) clearTimeout(this.sealTimer);
    this.timer = undefined;
    this.sealTimer = undefined;
  }

  /**
   * Waits as long as the latency profile says this transaction takes to finalize (consensus for
   * shared objects, the fast path otherwise); no wait under the default profile.
   */
  async finalizationDelay(txBytes: Uint8Array): Promise<void> {
    if (this.latency.name === 'none') return;
    const shared = touchesSharedObjects(txBytes);
    if (shared === undefined) return; // malformed: the executor rejects it with the reason
    await new Promise((r) => setTimeout(r, this.latency.delayMs(shared)));
  }

  /** Current consensus time as seen by transactions (Clock 0x6). */
  get nowMs(): bigint {
    return this.clockMs;
  }

  /**
   * Called after every committed transaction: seals as soon as the interval since the last
   * checkpoint allows (right away on a quiet chain, batched under load), so events reach
   * subscribers without waiting for the next timer tick.
   */
  afterCommit(): void {
    if (this.interval === 'per-transaction') return this.tick(true);
    if (this.sealTimer) return;
    const wait = this.interval - (Date.now() - this.lastSealMs);
    this.sealTimer = setTimeout(
      () => {
        this.sealTimer = undefined;
        this.tick();
      },
      Math.max(0, wait),
    );
    this.sealTimer.unref();
  }

  /** Advances the Clock and seals a checkpoint when there is something to seal (or on heartbeat). */
  tick(force = false): void {
    const now = Date.now();
    const pending = this.ledger.state.pending.length > 0;
    if (!pending && !force && now - this.lastSealMs < this.heartbeatMs) return;
    this.advanceClock(BigInt(now));
    this.seal(false);
  }

  private advanceClock(ms: bigint): void {
    if (ms <= this.clockMs) return;
    this.clockMs = ms;
    const clock = this.ledger.get(CLOCK_ID);
    if (clock) this.ledger.put(clockObject(ms, clock.version + 1n));
  }

  private seal(genesis: boolean): CheckpointRecord {
    const state = this.ledger.state;
    const prev = state.checkpoints.at(-1);
    const transactions = genesis ? [] : state.pending.splice(0);
    const sequenceNumber = prev ? prev.sequenceNumber + 1n : 0n;
    const total = (prev?.totalNetworkTransactions ?? 0n) + BigInt(transactions.length);
    // Our own summary (epoch, seq, total, previous digest, timestamp, transaction digests), BCS.
    const w = new BcsWriter(64 + transactions.length * 48)
      .u64(state.epoch)
      .u64(sequenceNumber)
      .u64(total)
      .string(prev?.digest ?? '')
      .u64(this.clockMs)
      .uleb(transactions.length);
    for (const t of transactions) w.string(t);
    const summary = w.toBytes();
    const checkpoint: CheckpointRecord = {
      sequenceNumber,
      digest: toBase58(blake2b256(CHECKPOINT_PREFIX, summary)),
      previousDigest: prev?.digest,
      timestampMs: this.clockMs,
      epoch: state.epoch,
      transactions,
      totalNetworkTransactions: total,
    };
    for (const digest of transactions) {
      const tx = state.transactions.get(digest);
      if (!tx) continue;
      tx.executed.checkpoint = sequenceNumber;
      tx.executed.timestamp = {
        seconds: this.clockMs / 1000n,
        nanos: Number(this.clockMs % 1000n) * 1_000_000,
      };
      for (const e of tx.events) e.checkpoint = sequenceNumber;
    }
    state.checkpoints.push(checkpoint);
    this.lastSealMs = Date.now();
    if (!genesis) this.maybeCloseEpoch(checkpoint);
    if (!genesis) this.emit('checkpoint', checkpoint);
    return checkpoint;
  }

  /**
   * Epoch change at a checkpoint boundary (Sui: the epoch's last checkpoint carries the change,
   * the next one starts the new epoch): the epoch is recorded, `epoch` and its start time (what
   * `tx_context::epoch` / `epoch_timestamp_ms` return from then on) move on.
   */
  private maybeCloseEpoch(last: CheckpointRecord): void {
    const state = this.ledger.state;
    if (this.epochDurationMs <= 0 || last.timestampMs - state.epochStartMs < BigInt(this.epochDurationMs))
      return;
    (state.epochs ??= []).push({
      epoch: state.epoch,
      startMs: state.epochStartMs,
      endMs: last.timestampMs,
      firstCheckpoint: state.epochFirstCheckpoint ?? 0n,
      lastCheckpoint: last.sequenceNumber,
      referenceGasPrice: state.referenceGasPrice,
    });
    state.epoch += 1n;
    state.epochStartMs = last.timestampMs;
    state.epochFirstCheckpoint = last.sequenceNumber + 1n;
  }

  /** Highest sealed checkpoint. */
  get latestCheckpoint(): CheckpointRecord {
    return this.ledger.state.checkpoints.at(-1)!;
  }

  snapshot(): string {
    const id = `snap-${++this.snapshotCounter}`;
    this.snapshots.set(id, { state: cloneState(this.ledger.state), clockMs: this.clockMs });
    return id;
  }

  /** Restores a snapshot (it stays available for further reverts). */
  revert(id: string): void {
    const snap = this.snapshots.get(id);
    if (!snap)
      throw new Error(`unknown snapshot ${id}; known: ${[...this.snapshots.keys()].join(', ') || 'none'}`);
    this.ledger = new Ledger(cloneState(snap.state));
    // Time never goes backwards: the Clock keeps the current time, as checkpoints would.
    this.advanceClock(BigInt(Date.now()));
  }

  /** Replaces the ledger state wholesale (persistence). */
  restore(state: LedgerState, clockMs: bigint): void {
    this.ledger = new Ledger(state);
    this.clockMs = clockMs;
  }
}

function genesisBytes(digest: string): number[] {
  return [...Buffer.from(toHex(blake2b256(new TextEncoder().encode(digest))), 'hex')];
}

/** Shapes shared by the PTB execution, its temporary store and the executor. */
import type { bcs } from '@mysten/sui/bcs';
import type { LedgerObject, Owner, TypeOriginEntry } from '../../ledger/types.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import type { PackageCatalog } from '../../move/catalog.ts';
import type { MovePort, MoveValue } from '../../move/port.ts';
import type { Limits } from '../limits.ts';

type ParsedTx = ReturnType<typeof bcs.TransactionData.parse>;
export type ProgrammableTx = NonNullable<ParsedTx['V1']['kind']['ProgrammableTransaction']>;
export type Command = ProgrammableTx['commands'][number];
export type Arg = Command extends infer C
  ? C extends { MoveCall: { arguments: (infer A)[] } }
    ? A
    : never
  : never;

/** An input object as loaded for this transaction. */
export interface InputObject {
  object: LedgerObject;
  /** Owned, or shared passed as mutable. */
  mutable: boolean;
  isGas: boolean;
}

/** A loaded PTB input: pure bytes or an object. */
export type LoadedInput = { pure: Uint8Array } | { object: InputObject };

export interface WrittenObject {
  id: string;
  type: string;
  bytes: Uint8Array;
  owner: Owner;
  hasPublicTransfer: boolean;
}

export interface PublishedPackage {
  id: string;
  modules: [string, Uint8Array][];
  typeOrigins: TypeOriginEntry[];
  linkage: [string, { upgradedId: string; upgradedVersion: bigint }][];
}

export interface PtbOutcome {
  /** Final state of objects written (inputs written back, transfers, children). */
  written: Map<string, WrittenObject>;
  deleted: Set<string>;
  created: Set<string>;
  packages: PublishedPackage[];
  events: { packageId: string; module: string; type: string; bytes: Uint8Array; sender: string }[];
  gasUnits: number;
  /** Per command: returned values and the final values of `&mut` arguments (SimulateTransaction output). */
  commandOutputs: { returns: MoveValue[]; mutated: { argument: Arg; value: MoveValue }[] }[];
}

export interface PtbEnv {
  ledger: Ledger;
  catalog: PackageCatalog;
  move: MovePort;
  limits: Limits;
  sender: string;
  txDigest: Uint8Array;
  epoch: bigint;
  epochTimestampMs: bigint;
  referenceGasPrice: bigint;
  gasPrice: bigint;
  gasBudget: bigint;
  /** VM instruction budget for the whole transaction. */
  maxGasUnits: number;
}

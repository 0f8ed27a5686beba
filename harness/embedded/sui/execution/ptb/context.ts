/** What a PTB command sees: its environment, the argument slots, the temporary store, and Move calls. */
import type { MoveCallInput, MoveCallOutput } from '../../move/port.ts';
import type { TemporaryStore } from '../temporary-store.ts';
import type { ArgumentSlots } from './arguments.ts';
import type { PtbEnv } from './types.ts';

export interface PtbContext {
  env: PtbEnv;
  args: ArgumentSlots;
  store: TemporaryStore;
  /** Runs one Move function against the store, charging the transaction's VM budget. */
  invoke(input: MoveCallInput): MoveCallOutput;
}

/** MovePort over the TypeScript Move VM (harness/embedded/movevm): loads packages from the ledger on demand. */
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { MoveVM, type ObjectRuntime } from '../../movevm/index.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { MoveCallInput, MoveCallOutput, MovePort } from './port.ts';

export class VmPort implements MovePort {
  private readonly vm = new MoveVM();
  private readonly loaded = new Set<string>();

  constructor(private readonly ledger: () => Ledger) {}

  /** Loads a package and, first, every package its linkage table names. */
  private ensureLoaded(packageId: string): void {
    const id = normalizeSuiAddress(packageId);
    if (this.loaded.has(id)) return;
    const obj = this.ledger().get(id);
    if (!obj || obj.data.kind !== 'package') return; // the VM reports the missing module by name
    this.loaded.add(id);
    for (const [dep] of obj.data.linkage) this.ensureLoaded(dep);
    this.vm.loadPackage(obj.data.modules.map(([, bytes]) => bytes));
  }

  loadPublished(packageId: string, modules: Uint8Array[]): void {
    const id = normalizeSuiAddress(packageId);
    this.ensureLoaded('0x1');
    this.ensureLoaded('0x2');
    if (this.loaded.has(id)) return;
    this.vm.loadPackage(modules);
    this.loaded.add(id);
  }

  call(input: MoveCallInput, runtime: ObjectRuntime, gasBudgetUnits: number): MoveCallOutput {
    this.ensureLoaded(input.package);
    const result = this.vm.call({
      module: `${input.package}::${input.module}`,
      function: input.function,
      typeArgs: input.typeArguments,
      args: input.args.map((a) => ({ bcs: a.bytes })),
      runtime,
      gasBudget: Math.max(1, Math.floor(gasBudgetUnits)),
    });
    return {
      returns: result.returns.map((r) => ({ type: r.type, bytes: r.bcs })),
      mutatedRefs: result.mutated.map((m) => ({ index: m.index, bytes: m.bcs })),
      gasUsed: result.gasUsed,
    };
  }
}

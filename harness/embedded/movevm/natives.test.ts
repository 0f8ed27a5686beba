/**
 * Every native function the framework shim declares has an implementation,
 * and the compiled code our packages run uses only bytecodes the VM prepares.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildMovePackage } from '../../toolchain/index.ts';
import { MoveVM } from './src/vm.ts';
import { prepareFunction } from './src/prepare.ts';
import { buildFramework } from './testing/framework.ts';
import type { RawInstruction } from './src/loader.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');

/** Every bytecode of file-format version 7 except the global-storage ones Sui never emits. */
const SUI_BYTECODES =
  `Pop Ret BrTrue BrFalse Branch LdU8 LdU16 LdU32 LdU64 LdU128 LdU256 CastU8 CastU16 CastU32 CastU64 CastU128
CastU256 LdConst LdTrue LdFalse CopyLoc MoveLoc StLoc Call CallGeneric Pack PackGeneric Unpack UnpackGeneric ReadRef
WriteRef FreezeRef MutBorrowLoc ImmBorrowLoc MutBorrowField MutBorrowFieldGeneric ImmBorrowField ImmBorrowFieldGeneric
Add Sub Mul Mod Div BitOr BitAnd Xor Or And Not Eq Neq Lt Gt Le Ge Abort Nop Shl Shr VecPack VecLen VecImmBorrow
VecMutBorrow VecPushBack VecPopBack VecUnpack VecSwap PackVariant PackVariantGeneric UnpackVariant UnpackVariantImmRef
UnpackVariantMutRef UnpackVariantGeneric UnpackVariantGenericImmRef UnpackVariantGenericMutRef VariantSwitch`.split(
    /\s+/,
  );

describe('natives and bytecode coverage', () => {
  it('binds every native the shim declares (test-only ones included)', async () => {
    const fw = await buildFramework({ testMode: true });
    const vm = new MoveVM();
    vm.loadPackage(fw.modules);
    const natives = vm.linker
      .allModules()
      .flatMap((m) => m.functionDefs.filter((f) => f.isNative).map((f) => `${m.name}::${f.name}`));
    const unbound = vm.linker
      .allModules()
      .flatMap((m) => m.functionDefs.filter((f) => f.isNative && !f.native).map((f) => `${m.id}::${f.name}`));
    console.log(`${natives.length} natives declared by the shim, ${natives.length - unbound.length} bound`);
    expect(natives.length).toBeGreaterThan(50);
    expect(unbound).toEqual([]);
  }, 300_000);

  it('prepares every function of the framework, the contract and the conformance package; all Sui bytecodes occur', async () => {
    const fw = await buildFramework({ testMode: true });
    const contract = await buildMovePackage(path.join(root, 'move', 'k8s_gateway'), { testMode: true });
    const conformance = await buildMovePackage(path.join(here, 'conformance'), { testMode: true });
    const vm = new MoveVM();
    vm.loadPackage(fw.modules);
    vm.loadPackage(contract.modules, { address: '0xc0' });
    vm.loadPackage(conformance.modules, { address: '0xc1' });
    const seen = new Set<string>();
    let functions = 0;
    for (const m of vm.linker.allModules())
      for (const f of m.functionDefs) {
        if (f.isNative) continue;
        f.code ??= prepareFunction(f); // throws on anything the VM cannot run
        functions++;
        const code = m.raw.function_defs[f.defIndex]!.code!.code as RawInstruction[];
        for (const ins of code) seen.add(typeof ins === 'string' ? ins : Object.keys(ins)[0]!);
      }
    const missing = SUI_BYTECODES.filter((b) => !seen.has(b));
    console.log(
      `${functions} functions prepared; ${SUI_BYTECODES.length - missing.length}/${SUI_BYTECODES.length} bytecodes occur; not emitted: ${missing.join(', ') || '—'}`,
    );
    // The current compiler lowers && / || and `if` into BrFalse/Branch and never emits
    // Nop; the interpreter implements them anyway. Everything else must occur.
    const neverEmitted = new Set(['Nop', 'BrTrue', 'Or', 'And']);
    expect(missing.filter((b) => !neverEmitted.has(b))).toEqual([]);
  }, 300_000);
});

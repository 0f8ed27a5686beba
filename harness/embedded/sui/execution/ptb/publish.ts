/** Publish (Sui: `execute_move_publish`): self-address rewrite, link check, linkage, module initializers, UpgradeCap. */
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import { concatBytes } from '@noble/hashes/utils.js';
import { type TypeOriginEntry, UPGRADE_CAP_TYPE } from '../../ledger/types.ts';
import { readModule, sigBodyToTypeTag, type ModuleInfo } from '../../move/module-info.ts';
import { withSelfAddress } from '../../move/self-address.ts';
import type { MoveValue } from '../../move/port.ts';
import { ExecutionErrorKind, ExecutionFailure } from '../errors.ts';
import { checkLimit } from '../limits.ts';
import type { PtbContext } from './context.ts';
import type { ResultSlot } from './arguments.ts';
import { linkError, toFailure } from './failure.ts';
import { fromHexBytes, isTxContext } from './values.ts';

export function publish(cx: PtbContext, modules: Uint8Array[], dependencies: string[]): ResultSlot[] {
  checkLimit(cx.env.limits, 'max_modules_in_publish', modules.length, 'module count');
  if (modules.length === 0)
    throw new ExecutionFailure(
      ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR,
      'Publish with no modules',
    );
  const packageId = cx.store.freshId();
  const rewritten: [string, Uint8Array][] = [];
  const deps = new Set(dependencies.map((d) => normalizeSuiAddress(d)));
  const typeOrigins: TypeOriginEntry[] = [];
  const infos = new Map<string, ModuleInfo>();
  for (const bytes of modules) {
    let info: ModuleInfo;
    let patched: Uint8Array;
    try {
      patched = withSelfAddress(bytes, packageId);
      info = readModule(patched);
    } catch (error) {
      throw new ExecutionFailure(
        ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR,
        `a published module does not deserialize: ${(error as Error).message}`,
      );
    }
    if (info.address !== packageId) {
      throw new ExecutionFailure(
        ExecutionErrorKind.PUBLISH_ERROR_NON_ZERO_ADDRESS,
        `module ${info.name} is not at address 0x0`,
      );
    }
    rewritten.push([info.name, patched]);
    infos.set(info.name, info);
    for (const name of info.datatypes.keys())
      typeOrigins.push({ moduleName: info.name, datatypeName: name, package: packageId });
  }
  rewritten.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = new Set(rewritten.map(([n]) => n));
  // Link check: every imported module exists in this package or in a declared, installed dependency.
  for (const info of infos.values()) {
    for (const imp of info.imports) {
      if (imp.address === packageId) {
        if (!names.has(imp.name))
          throw linkError(`module ${info.name} imports ${imp.name}, which this package does not contain`);
        continue;
      }
      if (!deps.has(imp.address)) {
        throw new ExecutionFailure(
          ExecutionErrorKind.PUBLISH_UPGRADE_MISSING_DEPENDENCY,
          `module ${info.name} uses ${imp.address}::${imp.name} but ${imp.address} is not among the declared dependencies`,
        );
      }
      if (!cx.env.catalog.module(imp.address, imp.name)) {
        throw linkError(
          `module ${info.name} imports ${imp.address}::${imp.name}, which is not installed on this chain`,
        );
      }
    }
  }
  const linkage: [string, { upgradedId: string; upgradedVersion: bigint }][] = [];
  for (const dep of [...deps].sort()) {
    const obj = cx.env.ledger.get(dep);
    if (!obj || obj.data.kind !== 'package') {
      throw new ExecutionFailure(
        ExecutionErrorKind.PUBLISH_UPGRADE_MISSING_DEPENDENCY,
        `dependency ${dep} is not a published package`,
      );
    }
    linkage.push([dep, { upgradedId: dep, upgradedVersion: obj.version }]);
  }
  cx.store.outcome.packages.push({ id: packageId, modules: rewritten, typeOrigins, linkage });
  cx.store.pendingPackages.set(packageId, rewritten);
  try {
    cx.env.move.loadPublished(
      packageId,
      rewritten.map(([, b]) => b),
    );
  } catch (error) {
    throw toFailure(error, ExecutionErrorKind.VM_VERIFICATION_OR_DESERIALIZATION_ERROR);
  }
  // Module initializers, in module order: init(otw?, ctx).
  for (const [name] of rewritten) {
    const info = infos.get(name)!;
    const init = info.functions.get('init');
    if (!init) continue;
    const params = init.parameters.filter((p) => !isTxContext(p));
    const otwName = name.toUpperCase();
    const args: MoveValue[] = [];
    if (params.length === 1) {
      const body = params[0]!.body;
      if (body.kind !== 'datatype' || body.name !== otwName || body.module !== name) {
        throw linkError(
          `${name}::init takes ${sigBodyToTypeTag(body)}, expected the one-time witness ${otwName}`,
        );
      }
      // One-time witness: a struct with a single bool field.
      args.push({ type: `${packageId}::${name}::${otwName}`, bytes: new Uint8Array([1]) });
    } else if (params.length > 1)
      throw linkError(`${name}::init has ${params.length} parameters besides TxContext`);
    cx.invoke({ package: packageId, module: name, function: 'init', typeArguments: [], args });
  }
  const capId = cx.store.freshId();
  const cap = concatBytes(
    fromHexBytes(capId),
    fromHexBytes(packageId),
    bcs.u64().serialize(1n).toBytes(),
    new Uint8Array([0]),
  );
  return [{ value: { type: UPGRADE_CAP_TYPE, bytes: cap } }];
}

/** Installed packages as seen from the ledger: module metadata, functions, datatypes, abilities. */
import { normalizeStructTag, normalizeSuiAddress, parseStructTag } from '@mysten/sui/utils';
import type { Ledger } from '../ledger/ledger.ts';
import { ABILITY, type DatatypeInfo, type FunctionInfo, type ModuleInfo, readModule } from './module-info.ts';

const ALL = ABILITY.copy | ABILITY.drop | ABILITY.store;
const COIN = normalizeStructTag('0x2::coin::Coin');

export class PackageCatalog {
  private readonly modules = new Map<string, ModuleInfo>();

  constructor(private readonly ledger: () => Ledger) {}

  packageModules(packageId: string): ReadonlyArray<readonly [string, Uint8Array]> | undefined {
    const obj = this.ledger().get(normalizeSuiAddress(packageId));
    return obj?.data.kind === 'package' ? obj.data.modules : undefined;
  }

  module(packageId: string, name: string): ModuleInfo | undefined {
    const id = normalizeSuiAddress(packageId);
    const modules = this.packageModules(id);
    const bytes = modules?.find(([n]) => n === name)?.[1];
    if (!bytes) return undefined;
    const key = `${id}::${name}`;
    let info = this.modules.get(key);
    if (!info) {
      info = readModule(bytes);
      this.modules.set(key, info);
    }
    return info;
  }

  function(packageId: string, module: string, name: string): FunctionInfo | undefined {
    return this.module(packageId, module)?.functions.get(name);
  }

  datatype(address: string, module: string, name: string): DatatypeInfo | undefined {
    return this.module(address, module)?.datatypes.get(name);
  }

  private readonly abilityCache = new Map<string, number>();

  /** Abilities of a concrete type tag (declared abilities narrowed by non-phantom type arguments). */
  abilitiesOf(type: string): number {
    let cached = this.abilityCache.get(type);
    if (cached === undefined) {
      cached = this.computeAbilities(type);
      this.abilityCache.set(type, cached);
    }
    return cached;
  }

  private computeAbilities(type: string): number {
    if (['bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'address'].includes(type)) return ALL;
    if (type === 'signer') return ABILITY.drop;
    const vec = /^vector<(.+)>$/.exec(type);
    if (vec) return this.abilitiesOf(vec[1]!) & ALL;
    const tag = parseStructTag(type);
    const base = `${normalizeSuiAddress(tag.address)}::${tag.module}::${tag.name}`;
    if (base === COIN) return ABILITY.key | ABILITY.store;
    const dt = this.datatype(tag.address, tag.module, tag.name);
    if (!dt) throw new Error(`type ${type} is not defined by any installed package`);
    let abilities = dt.abilities;
    tag.typeParams.forEach((p, i) => {
      if (dt.typeParameters[i]?.isPhantom) return;
      const arg = this.abilitiesOf(typeof p === 'string' ? p : normalizeStructTag(p));
      // key on the outer type needs store on its arguments; others need the same ability.
      let allowed = arg & ALL;
      if (arg & ABILITY.store) allowed |= ABILITY.key;
      abilities &= allowed;
    });
    return abilities;
  }
}

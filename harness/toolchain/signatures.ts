// Public API of compiled Move modules as comparable text: what must match
// between the shim and the real framework for bytecode to link (function
// names, type parameters with constraints, parameter and return types, struct
// abilities and field layouts). Bodies are deliberately not part of it.
import { deserialize } from '@mysten/move-bytecode-template';
// The movevm loader already describes `deserialize()` output; reuse it rather than a second copy.
import type { RawModule, SigToken } from './compiled-module.ts';

const ABILITIES: [number, string][] = [
  [1, 'copy'],
  [2, 'drop'],
  [4, 'store'],
  [8, 'key'],
];

function abilities(mask: number): string {
  return ABILITIES.filter(([bit]) => mask & bit)
    .map(([, name]) => name)
    .join(' + ');
}

function shortAddress(hex: string): string {
  return `0x${hex.replace(/^0+(?=.)/, '')}`;
}

export interface ModuleApi {
  /** `0x1::option` */
  id: string;
  /** Item key (`fun name` / `struct Name`) → canonical text. */
  items: Map<string, string>;
}

export function moduleApi(base64: string): ModuleApi {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.readUInt32BE(0) === 0xdeadc0de) bytes.writeUInt32BE(0xa11ceb0b, 0);
  const m = deserialize(bytes) as RawModule;
  const ident = (i: number) => m.identifiers[i] ?? `?${i}`;
  const moduleId = (i: number) => {
    const h = m.module_handles[i];
    return h ? `${shortAddress(m.address_identifiers[h.address] ?? '?')}::${ident(h.name)}` : '?';
  };
  const datatype = (i: number) => {
    const h = m.datatype_handles[i];
    return h ? `${moduleId(h.module)}::${ident(h.name)}` : '?';
  };
  const type = (t: SigToken): string => {
    if (typeof t === 'string') return t === 'Bool' ? 'bool' : t === 'Address' ? 'address' : t.toLowerCase();
    if ('Vector' in t) return `vector<${type(t.Vector)}>`;
    if ('Reference' in t) return `&${type(t.Reference)}`;
    if ('MutableReference' in t) return `&mut ${type(t.MutableReference)}`;
    if ('TypeParameter' in t) return `T${t.TypeParameter}`;
    if ('Datatype' in t) return datatype(t.Datatype);
    const [idx, args] = t.DatatypeInstantiation;
    return `${datatype(idx)}<${args.map(type).join(', ')}>`;
  };
  const list = (sig: number) => (m.signatures[sig] ?? []).map(type).join(', ');
  const items = new Map<string, string>();

  for (const def of m.struct_defs) {
    const h = m.datatype_handles[def.struct_handle];
    if (!h) continue;
    const params = h.type_parameters
      .map(
        (p, i) =>
          `${p.is_phantom ? 'phantom ' : ''}T${i}${p.constraints ? `: ${abilities(p.constraints)}` : ''}`,
      )
      .join(', ');
    const fields =
      def.field_information === 'Native'
        ? 'native'
        : def.field_information.Declared.map((f) => `${ident(f.name)}: ${type(f.signature)}`).join(', ');
    items.set(
      `struct ${ident(h.name)}`,
      `struct ${ident(h.name)}${params ? `<${params}>` : ''} has {${abilities(h.abilities)}} { ${fields} }`,
    );
  }
  for (const def of m.enum_defs ?? []) {
    const h = m.datatype_handles[def.enum_handle];
    if (!h) continue;
    const variants = def.variants
      .map(
        (v) =>
          `${ident(v.variant_name)} { ${v.fields.map((f) => `${ident(f.name)}: ${type(f.signature)}`).join(', ')} }`,
      )
      .join(' | ');
    items.set(`enum ${ident(h.name)}`, `enum ${ident(h.name)} has {${abilities(h.abilities)}} = ${variants}`);
  }
  for (const def of m.function_defs) {
    // Only what other packages can link against: public functions (and entry points).
    if (def.visibility !== 'Public' && !def.is_entry) continue;
    const h = m.function_handles[def.function];
    if (!h) continue;
    const tps = h.type_parameters.map((c, i) => `T${i}${c ? `: ${abilities(c)}` : ''}`).join(', ');
    const ret = list(h.return_);
    const text =
      `${def.visibility === 'Public' ? 'public ' : ''}${def.is_entry ? 'entry ' : ''}fun ${ident(h.name)}` +
      `${tps ? `<${tps}>` : ''}(${list(h.parameters)})${ret ? `: (${ret})` : ''}`;
    items.set(`fun ${ident(h.name)}`, text);
  }
  return { id: moduleId(m.self_module_handle_idx), items };
}

export interface ApiDifference {
  kind: 'different' | 'extra-in-shim' | 'missing-in-shim';
  item: string;
  shim?: string;
  real?: string;
}

/** Compare the shim's API with the real framework's (both as compiled modules, base64). */
export function compareApis(shim: string[], real: string[]): ApiDifference[] {
  const index = (mods: string[]) => {
    const out = new Map<string, string>();
    for (const b64 of mods) {
      const api = moduleApi(b64);
      for (const [key, text] of api.items) out.set(`${api.id}::${key}`, text);
    }
    return out;
  };
  const s = index(shim);
  const r = index(real);
  const diffs: ApiDifference[] = [];
  for (const [item, text] of s) {
    const other = r.get(item);
    if (other === undefined) diffs.push({ kind: 'extra-in-shim', item, shim: text });
    else if (other !== text) diffs.push({ kind: 'different', item, shim: text, real: other });
  }
  for (const [item, text] of r) if (!s.has(item)) diffs.push({ kind: 'missing-in-shim', item, real: text });
  return diffs.sort((a, b) => a.item.localeCompare(b.item));
}

/** `const EName: u64 = value;` declarations of a Move source (abort codes): name → numeric value. */
export function abortConstants(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/\bconst\s+(E\w*)\s*:\s*u64\s*=\s*([^;]+);/g)) {
    if (!m[1] || !m[2]) continue;
    const literal = m[2].trim().replace(/_/g, '').replace(/u64$/, '');
    let value = literal;
    try {
      value = BigInt(literal).toString();
    } catch {
      // not a plain literal (an expression): compare as written
    }
    out.set(m[1], value);
  }
  return out;
}

/**
 * Field types of a loaded datatype, computed on first use and kept on it. Its own module so that
 * the BCS codec, the value checker and the code preparer need only the loader's types: the
 * loader imports the BCS codec (constants), so a runtime import back would be a cycle.
 */
import { MoveLinkError } from './errors.ts';
import type { LoadedDatatype } from './loader.ts';
import type { Type } from './types.ts';

/** Field types of a struct (with type parameters unsubstituted). */
export function datatypeFieldTypes(dt: LoadedDatatype): Type[] {
  if (dt.fieldTypes) return dt.fieldTypes;
  const def = dt.module.raw.struct_defs[dt.defIndex]!;
  if (def.field_information === 'Native')
    throw new MoveLinkError(`native struct ${dt.name} is not supported`);
  dt.fieldTypes = def.field_information.Declared.map((f) => dt.module.token(f.signature));
  return dt.fieldTypes;
}

export function variantFieldTypes(dt: LoadedDatatype, tag: number): Type[] {
  if (!dt.variantTypes) {
    const def = dt.module.raw.enum_defs[dt.defIndex]!;
    dt.variantTypes = def.variants.map((v) => v.fields.map((f) => dt.module.token(f.signature)));
  }
  const v = dt.variantTypes[tag];
  if (!v) throw new Error(`variant tag ${tag} out of range for enum ${dt.name}`);
  return v;
}

/**
 * The shape of `deserialize()` from @mysten/move-bytecode-template: the Rust CompiledModule as
 * JSON. Shared by the toolchain's signature comparison and the Move VM's loader (which re-exports
 * it), so neither imports the other for it.
 */
export type SigToken =
  | string
  | { Vector: SigToken }
  | { Datatype: number }
  | { DatatypeInstantiation: [number, SigToken[]] }
  | { Reference: SigToken }
  | { MutableReference: SigToken }
  | { TypeParameter: number };

export type RawInstruction = string | Record<string, unknown>;

export interface RawModule {
  version: number;
  self_module_handle_idx: number;
  module_handles: { address: number; name: number }[];
  datatype_handles: {
    module: number;
    name: number;
    abilities: number;
    type_parameters: { constraints: number; is_phantom: boolean }[];
  }[];
  function_handles: {
    module: number;
    name: number;
    parameters: number;
    return_: number;
    type_parameters: number[];
  }[];
  field_handles: { owner: number; field: number }[];
  struct_def_instantiations: { def: number; type_parameters: number }[];
  function_instantiations: { handle: number; type_parameters: number }[];
  field_instantiations: { handle: number; type_parameters: number }[];
  signatures: SigToken[][];
  identifiers: string[];
  address_identifiers: string[];
  constant_pool: { type_: SigToken; data: number[] }[];
  struct_defs: {
    struct_handle: number;
    field_information: 'Native' | { Declared: { name: number; signature: SigToken }[] };
  }[];
  function_defs: {
    function: number;
    visibility: 'Public' | 'Private' | 'Friend';
    is_entry: boolean;
    code?: {
      locals: number;
      code: RawInstruction[];
      jump_tables: { head_enum: number; jump_table: { Full: number[] } }[];
    } | null;
  }[];
  enum_defs: {
    enum_handle: number;
    variants: { variant_name: number; fields: { name: number; signature: SigToken }[] }[];
  }[];
  enum_def_instantiations: { def: number; type_parameters: number }[];
  variant_handles: { enum_def: number; variant: number }[];
  variant_instantiation_handles: { enum_def: number; variant: number }[];
}

/** sui.rpc.v2.MovePackageService: packages, function and datatype descriptors from the module bytecode. */
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import type { GrpcRouter } from '../grpc-web/router.ts';
import { invalidArgument, notFound } from '../grpc-web/status.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import {
  ABILITY,
  type DatatypeInfo,
  type FunctionInfo,
  type SigBody,
  type SigType,
} from '../move/module-info.ts';
import { objectToProto } from './convert.ts';

const T = GrpcTypes;
const PRIM: Record<string, GrpcTypes.OpenSignatureBody_Type> = {
  bool: T.OpenSignatureBody_Type.BOOL,
  u8: T.OpenSignatureBody_Type.U8,
  u16: T.OpenSignatureBody_Type.U16,
  u32: T.OpenSignatureBody_Type.U32,
  u64: T.OpenSignatureBody_Type.U64,
  u128: T.OpenSignatureBody_Type.U128,
  u256: T.OpenSignatureBody_Type.U256,
  address: T.OpenSignatureBody_Type.ADDRESS,
};

function abilities(mask: number): GrpcTypes.Ability[] {
  const out: GrpcTypes.Ability[] = [];
  if (mask & ABILITY.copy) out.push(T.Ability.COPY);
  if (mask & ABILITY.drop) out.push(T.Ability.DROP);
  if (mask & ABILITY.store) out.push(T.Ability.STORE);
  if (mask & ABILITY.key) out.push(T.Ability.KEY);
  return out;
}

function body(b: SigBody): GrpcTypes.OpenSignatureBody {
  switch (b.kind) {
    case 'vector':
      return { type: T.OpenSignatureBody_Type.VECTOR, typeParameterInstantiation: [body(b.elem)] };
    case 'datatype':
      return {
        type: T.OpenSignatureBody_Type.DATATYPE,
        typeName: `${b.address}::${b.module}::${b.name}`,
        typeParameterInstantiation: b.args.map(body),
      };
    case 'param':
      return {
        type: T.OpenSignatureBody_Type.TYPE_PARAMETER,
        typeParameter: b.index,
        typeParameterInstantiation: [],
      };
    default:
      return { type: PRIM[b.kind] ?? T.OpenSignatureBody_Type.TYPE_UNKNOWN, typeParameterInstantiation: [] };
  }
}

function signature(s: SigType): GrpcTypes.OpenSignature {
  return {
    reference:
      s.reference === 'mutable'
        ? T.OpenSignature_Reference.MUTABLE
        : s.reference === 'immutable'
          ? T.OpenSignature_Reference.IMMUTABLE
          : undefined,
    body: body(s.body),
  };
}

export function functionDescriptor(f: FunctionInfo): GrpcTypes.FunctionDescriptor {
  return {
    name: f.name,
    visibility:
      f.visibility === 'public'
        ? T.FunctionDescriptor_Visibility.PUBLIC
        : f.visibility === 'friend'
          ? T.FunctionDescriptor_Visibility.FRIEND
          : T.FunctionDescriptor_Visibility.PRIVATE,
    isEntry: f.isEntry,
    typeParameters: f.typeParameters.map((p) => ({
      constraints: abilities(p.constraints),
      isPhantom: false,
    })),
    parameters: f.parameters.map(signature),
    returns: f.returns.map(signature),
  };
}

export function datatypeDescriptor(
  pkg: string,
  module: string,
  d: DatatypeInfo,
  definingId: string,
): GrpcTypes.DatatypeDescriptor {
  return {
    typeName: `${pkg}::${module}::${d.name}`,
    definingId,
    module,
    name: d.name,
    abilities: abilities(d.abilities),
    typeParameters: d.typeParameters.map((p) => ({
      constraints: abilities(p.constraints),
      isPhantom: p.isPhantom,
    })),
    kind:
      d.kind === 'struct' ? T.DatatypeDescriptor_DatatypeKind.STRUCT : T.DatatypeDescriptor_DatatypeKind.ENUM,
    fields: d.fields.map((f, i) => ({ name: f.name, position: i, type: body(f.type) })),
    variants: d.variants.map((v, i) => ({
      name: v.name,
      position: i,
      fields: v.fields.map((f, j) => ({ name: f.name, position: j, type: body(f.type) })),
    })),
  };
}

export function registerMovePackageService(router: GrpcRouter, node: EmbeddedSuiNode): void {
  const pkgId = (id: string | undefined) => {
    if (!id) throw invalidArgument('package_id is required');
    const n = normalizeSuiAddress(id);
    if (!node.catalog.packageModules(n)) throw notFound(`package ${n} not found`);
    return n;
  };
  const mod = (pkg: string, name: string | undefined) => {
    if (!name) throw invalidArgument('module_name is required');
    const m = node.catalog.module(pkg, name);
    if (!m) throw notFound(`module ${pkg}::${name} not found`);
    return m;
  };

  router.unary(T.MovePackageService, 'GetPackage', T.GetPackageRequest, T.GetPackageResponse, (req) => {
    const id = pkgId(req.packageId);
    const proto = objectToProto(node.ledger.get(id)!).package!;
    proto.modules = proto.modules.map((m) => {
      const info = node.catalog.module(id, m.name!)!;
      return {
        ...m,
        datatypes: [...info.datatypes.values()].map((d) => datatypeDescriptor(id, m.name!, d, id)),
        functions: [...info.functions.values()].map(functionDescriptor),
      };
    });
    return { package: proto };
  });

  router.unary(T.MovePackageService, 'GetFunction', T.GetFunctionRequest, T.GetFunctionResponse, (req) => {
    const id = pkgId(req.packageId);
    const m = mod(id, req.moduleName);
    const f = m.functions.get(req.name ?? '');
    if (!f) throw notFound(`function ${id}::${m.name}::${req.name} not found`);
    return { function: functionDescriptor(f) };
  });

  router.unary(T.MovePackageService, 'GetDatatype', T.GetDatatypeRequest, T.GetDatatypeResponse, (req) => {
    const id = pkgId(req.packageId);
    const m = mod(id, req.moduleName);
    const d = m.datatypes.get(req.name ?? '');
    if (!d) throw notFound(`datatype ${id}::${m.name}::${req.name} not found`);
    return { datatype: datatypeDescriptor(id, m.name, d, id) };
  });
}

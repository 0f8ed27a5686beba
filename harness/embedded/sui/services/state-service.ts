/** sui.rpc.v2.StateService: owned objects, balances, dynamic fields, coin info. */
import { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeStructTag, normalizeSuiAddress, parseStructTag } from '@mysten/sui/utils';
import type { GrpcRouter } from '../grpc-web/router.ts';
import { invalidArgument, notFound } from '../grpc-web/status.ts';
import type { EmbeddedSuiNode } from '../node.ts';
import { coinBalance, coinTypeOf } from '../ledger/objects.ts';
import { SUI_TYPE, type LedgerObject } from '../ledger/types.ts';
import { applyMask, maskTree, objectToProto } from './convert.ts';
import { bcsEnd } from '../move/bcs-skip.ts';
import { parseObjectId } from './ledger-service.ts';

const T = GrpcTypes;
const MAX_PAGE = 1000;

function pageStart(token: Uint8Array | undefined): number {
  if (!token || token.length === 0) return 0;
  if (token.length !== 4) throw invalidArgument('page_token must come from a previous response');
  return new DataView(token.buffer, token.byteOffset, 4).getUint32(0, false);
}

function pageToken(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

function page<T>(
  items: T[],
  token: Uint8Array | undefined,
  size: number | undefined,
): { items: T[]; next?: Uint8Array } {
  const start = pageStart(token);
  const n = Math.min(size && size > 0 ? size : 50, MAX_PAGE);
  const slice = items.slice(start, start + n);
  return { items: slice, next: start + n < items.length ? pageToken(start + n) : undefined };
}

/** A filter type without type arguments matches every instantiation. */
function typeMatcher(filter: string): (type: string) => boolean {
  let normalized: string;
  try {
    normalized = normalizeStructTag(filter);
  } catch {
    throw invalidArgument(`object_type '${filter}' is not a valid Move struct type`);
  }
  if (parseStructTag(filter).typeParams.length > 0) return (t) => t === normalized;
  return (t) => t === normalized || t.startsWith(`${normalized}<`);
}

function balanceOf(node: EmbeddedSuiNode, owner: string, coinType: string): bigint {
  let total = 0n;
  for (const o of node.ledger.ownedBy(owner)) {
    if (o.data.kind === 'move' && coinTypeOf(o.data.type) === coinType) total += coinBalance(o) ?? 0n;
  }
  return total;
}

export function registerStateService(router: GrpcRouter, node: EmbeddedSuiNode): void {
  router.unary(
    T.StateService,
    'ListOwnedObjects',
    T.ListOwnedObjectsRequest,
    T.ListOwnedObjectsResponse,
    (req) => {
      const owner = parseObjectId(req.owner, 'owner');
      const match = req.objectType ? typeMatcher(req.objectType) : () => true;
      const objects = node.ledger
        .ownedBy(owner)
        .filter((o) => match(o.data.kind === 'move' ? o.data.type : 'package'))
        .sort(ownerIndexOrder);
      const { items, next } = page(objects, req.pageToken, req.pageSize);
      const mask = maskTree(
        req.readMask?.paths?.length ? req.readMask.paths : ['object_id', 'version', 'object_type'],
      );
      return { objects: items.map((o) => applyMask(objectToProto(o), mask)), nextPageToken: next };
    },
  );

  router.unary(T.StateService, 'GetBalance', T.GetBalanceRequest, T.GetBalanceResponse, (req) => {
    const owner = parseObjectId(req.owner, 'owner');
    const coinType = normalizeStructTag(req.coinType ?? SUI_TYPE);
    const balance = balanceOf(node, owner, coinType);
    return { balance: { coinType, balance, coinBalance: balance, addressBalance: 0n } };
  });

  router.unary(T.StateService, 'ListBalances', T.ListBalancesRequest, T.ListBalancesResponse, (req) => {
    const owner = parseObjectId(req.owner, 'owner');
    const totals = new Map<string, bigint>();
    for (const o of node.ledger.ownedBy(owner)) {
      const t = o.data.kind === 'move' ? coinTypeOf(o.data.type) : undefined;
      if (t) totals.set(t, (totals.get(t) ?? 0n) + (coinBalance(o) ?? 0n));
    }
    const all = [...totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([coinType, balance]) => ({ coinType, balance, coinBalance: balance, addressBalance: 0n }));
    const { items, next } = page(all, req.pageToken, req.pageSize);
    return { balances: items, nextPageToken: next };
  });

  router.unary(
    T.StateService,
    'ListDynamicFields',
    T.ListDynamicFieldsRequest,
    T.ListDynamicFieldsResponse,
    (req) => {
      const parent = parseObjectId(req.parent, 'parent');
      const children = node.ledger.ownedBy(parent, 'object');
      const { items, next } = page(children, req.pageToken, req.pageSize);
      const fields = items.flatMap((o) => {
        if (o.data.kind !== 'move') return [];
        // Field<K, V> { id: UID, name: K, value: V }; dynamic object fields use K = Wrapper<K'> and V = ID.
        const m = /::dynamic_field::Field<(.+)>$/.exec(o.data.type);
        if (!m) return [];
        const [nameType, valueType] = splitTypeArgs(m[1]!) as [string, string];
        const wrapper = /::dynamic_object_field::Wrapper<(.+)>$/.exec(nameType);
        const contents = o.data.contents;
        let nameEnd: number;
        try {
          nameEnd = bcsEnd(node.catalog, nameType, contents, 32);
        } catch {
          return [];
        }
        const value = contents.subarray(nameEnd);
        const field: GrpcTypes.DynamicField = {
          kind: wrapper ? T.DynamicField_DynamicFieldKind.OBJECT : T.DynamicField_DynamicFieldKind.FIELD,
          parent,
          fieldId: o.id,
          name: { name: wrapper ? wrapper[1]! : nameType, value: contents.subarray(32, nameEnd) },
          valueType: wrapper ? undefined : valueType,
          value: { name: valueType, value },
          childId: wrapper ? '0x' + Buffer.from(value.subarray(0, 32)).toString('hex') : undefined,
          fieldObject: objectToProto(o),
        };
        return [field];
      });
      return { dynamicFields: fields, nextPageToken: next };
    },
  );

  router.unary(T.StateService, 'GetCoinInfo', T.GetCoinInfoRequest, T.GetCoinInfoResponse, (req) => {
    const coinType = normalizeStructTag(req.coinType ?? SUI_TYPE);
    if (coinType === SUI_TYPE) {
      return {
        coinType,
        metadata: {
          decimals: 9,
          name: 'Sui',
          symbol: 'SUI',
          description: 'Embedded localnet SUI',
          iconUrl: undefined,
        },
        treasury: {
          totalSupply: 10_000_000_000n * 1_000_000_000n,
          supplyState: T.CoinTreasury_SupplyState.FIXED,
        },
      };
    }
    throw notFound(`no CoinMetadata for ${coinType} on this chain`);
  });

  void normalizeSuiAddress;
}

/** Splits `A, B` at the top level of a type-argument list. */
function splitTypeArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

/**
 * The order of Sui's owner index (OwnerIndexKey: owner, type, inverted balance, object id): by
 * type, coins largest first, then by id. The SDK pays gas with the first page of coins it lists,
 * so the order decides whether an account with many small coins (an executor collecting request
 * fees) can pay at all.
 */
function ownerIndexOrder(a: LedgerObject, b: LedgerObject): number {
  const ta = a.data.kind === 'move' ? a.data.type : 'package';
  const tb = b.data.kind === 'move' ? b.data.type : 'package';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ba = coinBalance(a);
  const bb = coinBalance(b);
  if (ba !== undefined && bb !== undefined && ba !== bb) return ba > bb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

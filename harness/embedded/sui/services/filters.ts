/** EventFilter / TransactionFilter evaluation (disjunctive normal form: OR of ANDs of literals). */
import type { GrpcTypes } from '@mysten/sui/grpc';
import { normalizeStructTag, normalizeSuiAddress } from '@mysten/sui/utils';
import { invalidArgument } from '../grpc-web/status.ts';
import type { EventRecord, TransactionRecord } from '../ledger/ledger.ts';

type EventPredicate = (e: EventRecord) => boolean;

function normalizeModuleRef(ref: string, what: string): { address: string; module: string } {
  const [address, module, ...rest] = ref.split('::');
  if (!address || !module || rest.length)
    throw invalidArgument(`${what} must look like 0xPACKAGE::module, got '${ref}'`);
  return { address: normalizeSuiAddress(address), module };
}

/** `pkg::module`, `pkg::module::Name` (any instantiation) or a full type with type arguments. */
function eventTypeMatcher(filter: string): EventPredicate {
  const parts = filter.split('::');
  if (parts.length === 2) {
    const m = normalizeModuleRef(filter, 'event type filter');
    return (e) => e.eventType.startsWith(`${m.address}::${m.module}::`);
  }
  if (parts.length < 3)
    throw invalidArgument(`event type filter '${filter}' must be 0xPKG::module or 0xPKG::module::Type`);
  const normalized = normalizeStructTag(filter);
  return filter.includes('<')
    ? (e) => e.eventType === normalized
    : (e) => e.eventType === normalized || e.eventType.startsWith(`${normalized}<`);
}

function eventLiteral(lit: GrpcTypes.EventLiteral): EventPredicate {
  const p = lit.predicate;
  let f: EventPredicate;
  switch (p.oneofKind) {
    case 'sender': {
      const address = normalizeSuiAddress(p.sender.address ?? '');
      f = (e) => e.sender === address;
      break;
    }
    case 'emitModule': {
      const m = normalizeModuleRef(p.emitModule.module ?? '', 'emit module filter');
      f = (e) => e.packageId === m.address && e.module === m.module;
      break;
    }
    case 'eventType':
      f = eventTypeMatcher(p.eventType.eventType ?? '');
      break;
    default:
      throw invalidArgument(
        `event filter predicate ${p.oneofKind ?? '(empty)'} is not supported by the embedded node`,
      );
  }
  return lit.negated ? (e) => !f(e) : f;
}

export function eventFilter(filter: GrpcTypes.EventFilter | undefined): EventPredicate {
  if (!filter || filter.terms.length === 0) return () => true;
  const terms = filter.terms.map((t) => t.literals.map(eventLiteral));
  return (e) => terms.some((lits) => lits.every((l) => l(e)));
}

type TxPredicate = (t: TransactionRecord, sender: string, calls: string[]) => boolean;

function txLiteral(lit: GrpcTypes.TransactionLiteral): TxPredicate {
  const p = lit.predicate;
  let f: TxPredicate;
  switch (p.oneofKind) {
    case 'sender': {
      const address = normalizeSuiAddress(p.sender.address ?? '');
      f = (_t, sender) => sender === address;
      break;
    }
    case 'moveCall': {
      const [pkg, mod, fn] = (p.moveCall.function ?? '').split('::');
      const prefix = [pkg ? normalizeSuiAddress(pkg) : '', mod, fn].filter(Boolean).join('::');
      f = (_t, _s, calls) => calls.some((c) => c === prefix || c.startsWith(`${prefix}::`));
      break;
    }
    default:
      throw invalidArgument(
        `transaction filter predicate ${p.oneofKind ?? '(empty)'} is not supported by the embedded node`,
      );
  }
  return lit.negated ? (t, s, c) => !f(t, s, c) : f;
}

export function transactionFilter(filter: GrpcTypes.TransactionFilter | undefined): TxPredicate {
  if (!filter || filter.terms.length === 0) return () => true;
  const terms = filter.terms.map((t) => t.literals.map(txLiteral));
  return (t, s, c) => terms.some((lits) => lits.every((l) => l(t, s, c)));
}

/**
 * `kubectl auth can-i` asks the API server for a SelfSubjectAccessReview. Behind K3s-DaaS the
 * authority is the contract, not the cluster's RBAC (the listener's own identity is what the
 * cluster sees), so the gateway answers it with the contract's verdict on the request the review
 * describes (ChainPort.authorize); `--list` (SelfSubjectRulesReview) with the SealToken's rules as
 * the contract applies them (ChainPort.tokenRules). These helpers read the reviews (JSON, or
 * protobuf as kubectl sends them) and shape the answers.
 */
import { BinaryReader, WireType } from '@protobuf-ts/runtime';
import { DISCOVERY_GROUP, discoveryFields } from '../k8s/discovery-fields.ts';
import { READ_VERBS, WRITE_VERBS } from '../contract/types.ts';
import type { K8sRequestFields } from '../k8s/request.ts';
import type { TokenRules } from './chain-port.ts';

export const ACCESS_REVIEW_GROUP = 'authorization.k8s.io';
export const ACCESS_REVIEW_RESOURCE = 'selfsubjectaccessreviews';
export const RULES_REVIEW_RESOURCE = 'selfsubjectrulesreviews';

/** What the discovery rule opens, as the non-resource URLs kubectl knows them by. */
const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/version', '/openapi/*'];

interface ReviewSpec {
  resourceAttributes?: Record<string, unknown>;
  nonResourceAttributes?: Record<string, unknown>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The structured request a review asks about; `invalid` = a malformed review (400), `denied` = a
 * request the gateway never serves (answered "no" without asking the contract).
 */
export function reviewedRequest(
  body: Buffer,
  contentType = 'application/json',
): {
  spec: ReviewSpec;
  fields?: K8sRequestFields;
  invalid?: string;
  denied?: string;
} {
  let review: { spec?: ReviewSpec };
  try {
    review = /protobuf/i.test(contentType)
      ? { spec: protobufSpec(body) }
      : (JSON.parse(body.toString('utf8')) as { spec?: ReviewSpec });
  } catch (e) {
    return { spec: {}, invalid: `the SelfSubjectAccessReview body cannot be read: ${(e as Error).message}` };
  }
  const spec = review?.spec;
  if (!spec || typeof spec !== 'object')
    return { spec: {}, invalid: 'the SelfSubjectAccessReview has no spec' };
  const r = spec.resourceAttributes;
  if (r && typeof r === 'object') {
    if (!text(r.verb) || !text(r.resource))
      return { spec, invalid: 'spec.resourceAttributes needs verb and resource' };
    return {
      spec,
      fields: {
        verb: text(r.verb),
        apiGroup: text(r.group),
        // Rules name no versions; the contract only needs one that is well-formed.
        version: text(r.version) || 'v1',
        resource: text(r.resource),
        subresource: text(r.subresource),
        namespace: text(r.namespace),
        name: text(r.name),
        query: '',
      },
    };
  }
  const n = spec.nonResourceAttributes;
  if (n && typeof n === 'object') {
    const fields = text(n.verb) === 'get' ? discoveryFields(text(n.path), '') : undefined;
    return fields
      ? { spec, fields }
      : {
          spec,
          denied: 'the K3s-DaaS gateway serves only get on discovery paths (/api, /apis, /version, /openapi)',
        };
  }
  return { spec, invalid: 'spec needs resourceAttributes or nonResourceAttributes' };
}

/** Whether a review names `*` for a verb, group or resource: no single call the contract can simulate. */
export function isWildcardReview(f: K8sRequestFields): boolean {
  return [f.verb, f.apiGroup, f.resource, f.subresource].includes('*');
}

/**
 * The verdict on a wildcard review (`kubectl auth can-i '*' '*'`), as kube-apiserver's RBAC
 * gives it: a rule covers the review when each of its lists holds `*` or the reviewed value
 * itself, so `*` is granted only by a `*` rule. The rules are the token's as the contract applies
 * them (write verbs gone while the stake is short, nothing for a refused token).
 */
export function wildcardVerdict(f: K8sRequestFields, t: TokenRules): { allowed: boolean; reason: string } {
  if (t.refused) return { allowed: false, reason: t.refused };
  const has = (list: string[], v: string) => list.includes('*') || list.includes(v);
  const resource = f.subresource ? `${f.resource}/${f.subresource}` : f.resource;
  const allowed = t.rules.some(
    (r) =>
      has(effectiveVerbs(r.verbs, t), f.verb) &&
      has(r.apiGroups, f.apiGroup) &&
      (has(r.resources, resource) || (f.subresource !== '' && r.resources.includes(`*/${f.subresource}`))) &&
      appliesIn(r.namespaces, f.namespace) &&
      (r.resourceNames.length === 0 || has(r.resourceNames, f.name)),
  );
  if (allowed) return { allowed, reason: '' };
  const stake = t.writesNeedStake
    ? `; writes need a stake of ${t.writesNeedStake.minimum} MIST and this SealToken has ${t.writesNeedStake.staked} MIST`
    : '';
  return {
    allowed,
    reason: `no rule of the SealToken grants ${f.verb} on ${resource} with a wildcard${stake}`,
  };
}

/** Whether a rule's namespaces cover `namespace` (`*` = every namespace and cluster scope). */
function appliesIn(namespaces: string[], namespace: string): boolean {
  return namespaces.includes('*') || namespaces.includes(namespace);
}

/** A rule's verbs as the contract applies them: only reads while the stake is below the minimum. */
function effectiveVerbs(verbs: string[], t: TokenRules): string[] {
  if (!t.writesNeedStake) return verbs;
  return verbs.flatMap((v) =>
    v === '*' ? [...READ_VERBS] : (WRITE_VERBS as readonly string[]).includes(v) ? [] : [v],
  );
}

/** The review as the API server returns it, with the verdict as status. */
export function reviewAnswer(spec: ReviewSpec, allowed: boolean, reason: string): object {
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `${ACCESS_REVIEW_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed, ...(allowed ? {} : { denied: true }), ...(reason ? { reason } : {}) },
  };
}

/** The namespace a SelfSubjectRulesReview asks about (kubectl auth can-i --list [-n ns]). */
export function rulesReviewNamespace(body: Buffer, contentType = 'application/json'): string {
  try {
    if (/protobuf/i.test(contentType)) {
      const raw = body.toString('latin1', 0, 4) === 'k8s\0' ? field(body.subarray(4), 2) : undefined;
      const spec = raw && field(raw, 2);
      return spec ? (strings(spec, ['namespace']).namespace ?? '') : '';
    }
    return text((JSON.parse(body.toString('utf8')) as { spec?: { namespace?: unknown } }).spec?.namespace);
  } catch {
    return '';
  }
}

/**
 * The rules review kubectl prints: the token's rules that apply in `namespace`, the discovery rule
 * as non-resource URLs, write verbs dropped while the stake is below the cluster's minimum, and
 * nothing (with the reason) when the contract refuses the token outright.
 */
export function rulesReviewAnswer(namespace: string, t: TokenRules): object {
  const notes: string[] = [];
  const resourceRules: object[] = [];
  const nonResourceRules: object[] = [];
  if (t.refused) notes.push(t.refused);
  else {
    if (t.writesNeedStake)
      notes.push(
        `writes need a stake of ${t.writesNeedStake.minimum} MIST; this SealToken has ${t.writesNeedStake.staked} MIST, so only reads are listed`,
      );
    for (const r of t.rules) {
      if (r.apiGroups.length === 1 && r.apiGroups[0] === DISCOVERY_GROUP) {
        nonResourceRules.push({ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS });
        continue;
      }
      if (!appliesIn(r.namespaces, namespace)) continue;
      const verbs = effectiveVerbs(r.verbs, t);
      if (verbs.length > 0)
        resourceRules.push({
          verbs,
          apiGroups: r.apiGroups,
          resources: r.resources,
          ...(r.resourceNames.length ? { resourceNames: r.resourceNames } : {}),
        });
    }
  }
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: `${ACCESS_REVIEW_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules,
      nonResourceRules,
      incomplete: false,
      ...(notes.length ? { evaluationError: notes.join('; ') } : {}),
    },
  };
}

/**
 * The spec of a protobuf-encoded review (kubectl sends this one as protobuf): the "k8s\0"
 * envelope (runtime.Unknown, raw = field 2) around SelfSubjectAccessReview (spec = 2) with
 * ResourceAttributes (1: namespace verb group version resource subresource name) or
 * NonResourceAttributes (2: path verb), field numbers as in k8s.io/api/authorization/v1.
 */
function protobufSpec(body: Buffer): ReviewSpec {
  if (body.length < 4 || body.toString('latin1', 0, 4) !== 'k8s\0')
    throw new Error('protobuf body without the "k8s\\0" envelope');
  const raw = field(body.subarray(4), 2);
  const spec = raw && field(raw, 2);
  if (!spec) throw new Error('no spec in the protobuf review');
  const out: ReviewSpec = {};
  const ra = field(spec, 1);
  if (ra) {
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    out.resourceAttributes = strings(ra, names);
  }
  const nra = field(spec, 2);
  if (nra) out.nonResourceAttributes = strings(nra, ['path', 'verb']);
  return out;
}

/** The bytes of the first length-delimited field `no`. */
function field(buf: Uint8Array, no: number): Uint8Array | undefined {
  const r = new BinaryReader(buf);
  while (r.pos < r.len) {
    const [n, type] = r.tag();
    if (n === no && type === WireType.LengthDelimited) return r.bytes();
    r.skip(type);
  }
  return undefined;
}

/** String fields 1..names.length of a message, by name; other fields skipped. */
function strings(buf: Uint8Array, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const r = new BinaryReader(buf);
  while (r.pos < r.len) {
    const [n, type] = r.tag();
    if (n >= 1 && n <= names.length && type === WireType.LengthDelimited) out[names[n - 1]!] = r.string();
    else r.skip(type);
  }
  return out;
}

// ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1)
// as kube-apiserver's ValidatingAdmissionPolicy plugin evaluates them
// (k8s.io/apiserver/pkg/admission/plugin/policy/validating, v0.36): a policy's matchConstraints
// and a binding's matchResources select the request (resource rules with operations and scope,
// namespace and object selectors, excludes), matchConditions and validations are CEL over
// object/oldObject/request/params/namespaceObject/variables, evaluated with @marcbachmann/cel-js
// (not cel-go: error texts of failed evaluations differ), and the binding's validationActions
// Deny (the first denial is the answer: 422 Invalid unless the validation names a reason) and
// Warn (a Warning header) apply. failurePolicy Fail turns an evaluation error into a denial.
import { Environment } from '@marcbachmann/cel-js';
import type { UserInfo } from './auth.ts';
import type { ResourceKind } from './registry.ts';
import type { AdmissionRequest } from './resources.ts';
import { parseLabelSelector } from './selectors.ts';
import { ApiError } from './status.ts';
import type { KubeObject, ObjectStore } from './store.ts';

const GROUP = 'admissionregistration.k8s.io';

interface RuleWithOperations {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  resourceNames?: string[];
  operations?: string[];
  scope?: string;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
}

interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

interface PolicySpec {
  failurePolicy?: 'Fail' | 'Ignore';
  paramKind?: { apiVersion?: string; kind?: string };
  matchConstraints?: MatchResources;
  matchConditions?: { name: string; expression: string }[];
  validations?: Validation[];
  variables?: { name: string; expression: string }[];
}

interface BindingSpec {
  policyName?: string;
  paramRef?: {
    name?: string;
    namespace?: string;
    selector?: LabelSelector;
    parameterNotFoundAction?: string;
  };
  matchResources?: MatchResources;
  validationActions?: ('Deny' | 'Warn' | 'Audit')[];
}

type Policy = KubeObject & { spec?: PolicySpec };
type Binding = KubeObject & { spec?: BindingSpec };

const env = new Environment({
  unlistedVariablesAreDyn: true,
  enableOptionalTypes: true,
  homogeneousAggregateLiterals: false,
});

/** JSON integers are CEL ints (int64) in Kubernetes: cel-js wants them as BigInt. */
function celValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(celValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, celValue(x)]));
  return v;
}

const compiled = new Map<string, ReturnType<typeof env.parse>>();
function evaluate(expression: string, ctx: Record<string, unknown>): unknown {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = env.parse(expression);
    compiled.set(expression, fn);
  }
  return fn(ctx);
}

/** cel-go's wording for a failed evaluation (cel-js's first line, lower-cased as cel-go's are). */
function evalError(expression: string, e: unknown): string {
  const first = String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .trim();
  return `expression '${expression}' resulted in error: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

function ruleMatches(rules: RuleWithOperations[] | undefined, a: Request): boolean {
  return (rules ?? []).some((r) => {
    const any = (xs: string[] | undefined, v: string): boolean =>
      !!xs && (xs.includes('*') || xs.includes(v));
    if (!any(r.operations, a.operation)) return false;
    if (!any(r.apiGroups, a.rk.group) || !any(r.apiVersions, a.rk.version)) return false;
    const res = a.subresource ? `${a.rk.resource}/${a.subresource}` : a.rk.resource;
    const resOk = (r.resources ?? []).some((x) => {
      if (x === '*/*' || x === res) return true;
      if (x === '*') return !a.subresource;
      if (x.startsWith('*/')) return !!a.subresource && x.slice(2) === a.subresource;
      if (x.endsWith('/*')) return x.slice(0, -2) === a.rk.resource && !!a.subresource;
      return false;
    });
    if (!resOk) return false;
    const scope = r.scope ?? '*';
    if (scope === 'Cluster' && a.rk.namespaced) return false;
    if (scope === 'Namespaced' && !a.rk.namespaced) return false;
    if (r.resourceNames?.length && !r.resourceNames.includes(a.name)) return false;
    return true;
  });
}

function selectorMatches(
  sel: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return true;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parseLabelSelector(parts.join(','))(labels);
}

interface Request {
  rk: ResourceKind;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  subresource?: string;
  name: string;
  namespace?: string;
  object: KubeObject | null;
  oldObject: KubeObject | null;
  user?: UserInfo;
  dryRun: boolean;
}

function matches(
  m: MatchResources | undefined,
  a: Request,
  nsLabels: Record<string, string> | undefined,
): boolean {
  if (!m) return true;
  if (m.resourceRules && !ruleMatches(m.resourceRules, a)) return false;
  if (ruleMatches(m.excludeResourceRules, a)) return false;
  // Cluster-scoped objects other than Namespaces always match the namespace selector.
  const isNamespace = a.rk.group === '' && a.rk.resource === 'namespaces';
  if (a.rk.namespaced || isNamespace) {
    const labels = isNamespace ? (a.object ?? a.oldObject)?.metadata.labels : nsLabels;
    if (!selectorMatches(m.namespaceSelector, labels)) return false;
  }
  const objLabels = (a.object ?? a.oldObject)?.metadata.labels;
  if (
    !selectorMatches(m.objectSelector, objLabels) &&
    !selectorMatches(m.objectSelector, a.oldObject?.metadata.labels)
  )
    return false;
  return true;
}

interface Decision {
  message: string;
  reason?: string;
}

/** One policy × binding: the failed validations' decisions (errors included per failurePolicy). */
function validate(policy: Policy, ctx: Record<string, unknown>): Decision[] {
  const spec = policy.spec ?? {};
  const fail = (spec.failurePolicy ?? 'Fail') === 'Fail';
  const out: Decision[] = [];
  for (const mc of spec.matchConditions ?? []) {
    try {
      if (evaluate(mc.expression, ctx) !== true) return [];
    } catch (e) {
      return fail ? [{ message: evalError(mc.expression, e) }] : [];
    }
  }
  const variables: Record<string, unknown> = {};
  ctx.variables = variables;
  for (const v of spec.variables ?? []) {
    try {
      variables[v.name] = evaluate(v.expression, ctx);
    } catch {
      // A variable that fails fails the validations that read it (evaluation is lazy in kube).
    }
  }
  for (const v of spec.validations ?? []) {
    let ok: unknown;
    try {
      ok = evaluate(v.expression, ctx);
    } catch (e) {
      if (fail) out.push({ message: evalError(v.expression, e) });
      continue;
    }
    if (ok === true) continue;
    let message = '';
    if (v.messageExpression) {
      try {
        const m = evaluate(v.messageExpression, ctx);
        if (typeof m === 'string' && !m.includes('\n')) message = m.trim();
      } catch {
        // A failing messageExpression falls back to the message (kube logs it).
      }
    }
    if (!message && v.message) message = v.message.trim();
    if (!message) message = `failed expression: ${v.expression.trim()}`;
    out.push({ message, reason: v.reason ?? 'Invalid' });
  }
  return out;
}

const CODES: Record<string, number> = {
  Unauthorized: 401,
  Forbidden: 403,
  Invalid: 422,
  RequestEntityTooLarge: 413,
};

export class ValidatingAdmissionPolicies {
  constructor(private readonly store: ObjectStore) {}

  /** Refuses (throws) or returns the Warn actions' warnings for one write. */
  admit(
    rk: ResourceKind,
    obj: KubeObject,
    req: AdmissionRequest,
    user: UserInfo | undefined,
    dryRun: boolean,
  ): string[] {
    const bindings = this.store.list(`${GROUP}/validatingadmissionpolicybindings`) as Binding[];
    if (!bindings.length) return [];
    const a: Request = {
      rk,
      operation: req.operation,
      subresource: req.subresource,
      name: req.name,
      namespace: obj.metadata.namespace,
      object: obj,
      oldObject: req.old ?? null,
      user,
      dryRun,
    };
    const nsObj = obj.metadata.namespace
      ? this.store.get('/namespaces', undefined, obj.metadata.namespace)
      : undefined;
    const warnings: string[] = [];
    let denied: { policy: string; binding: string; d: Decision } | undefined;
    const policies = (this.store.list(`${GROUP}/validatingadmissionpolicies`) as Policy[]).sort((x, y) =>
      x.metadata.name! < y.metadata.name! ? -1 : 1,
    );
    for (const policy of policies) {
      if (!matches(policy.spec?.matchConstraints, a, nsObj?.metadata.labels)) continue;
      const mine = bindings
        .filter((b) => b.spec?.policyName === policy.metadata.name)
        .sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
      for (const binding of mine) {
        if (!matches(binding.spec?.matchResources, a, nsObj?.metadata.labels)) continue;
        const ctx = celValue({
          object: a.object,
          oldObject: a.oldObject,
          request: {
            kind: { group: rk.group, version: rk.version, kind: rk.kind },
            resource: { group: rk.group, version: rk.version, resource: rk.resource },
            ...(a.subresource ? { subResource: a.subresource } : {}),
            name: a.name,
            namespace: a.namespace ?? '',
            operation: a.operation,
            userInfo: {
              username: user?.name ?? '',
              ...(user?.uid ? { uid: user.uid } : {}),
              groups: user?.groups ?? [],
              ...(user?.extra ? { extra: user.extra } : {}),
            },
            dryRun,
          },
          params: this.params(policy, binding, a.namespace),
          namespaceObject: nsObj ?? null,
        }) as Record<string, unknown>;
        for (const d of validate(policy, ctx)) {
          for (const action of binding.spec?.validationActions ?? []) {
            if (action === 'Deny')
              denied ??= { policy: policy.metadata.name!, binding: binding.metadata.name!, d };
            else if (action === 'Warn')
              warnings.push(
                `Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}': ${d.message}`,
              );
          }
        }
      }
    }
    if (denied) {
      const message = `ValidatingAdmissionPolicy '${denied.policy}' with binding '${denied.binding}' denied request: ${denied.d.message}`;
      const reason = denied.d.reason ?? 'Invalid';
      const qualified = rk.group ? `${rk.resource}.${rk.group}` : rk.resource;
      throw new ApiError(
        CODES[reason] ?? 422,
        reason,
        `${qualified}${a.name ? ` "${a.name}"` : ''} is forbidden: ${message}`,
        {
          ...(a.name ? { name: a.name } : {}),
          ...(rk.group ? { group: rk.group } : {}),
          kind: rk.resource,
          causes: [{ message }],
        },
      );
    }
    return warnings;
  }

  /** The paramRef's object (by name; namespaced params in the request's namespace unless given). */
  private params(policy: Policy, binding: Binding, ns: string | undefined): unknown {
    const kind = policy.spec?.paramKind;
    const ref = binding.spec?.paramRef;
    if (!kind?.kind || !ref?.name) return null;
    const group = (kind.apiVersion ?? '').includes('/') ? kind.apiVersion!.split('/')[0]! : '';
    for (const gr of this.store.resources()) {
      if (!gr.startsWith(`${group}/`)) continue;
      const hit =
        this.store.get(gr, ref.namespace ?? ns, ref.name) ?? this.store.get(gr, undefined, ref.name);
      if (hit && hit.kind === kind.kind) return hit;
    }
    return null;
  }
}

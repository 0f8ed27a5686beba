// Unknown-field and type checks against the OpenAPI schema, as the server's
// fieldValidation=Strict|Warn|Ignore does. Unknown fields are pruned either way.
import { resolveRef, type Schema } from './openapi-models.ts';

export interface FieldProblem {
  kind: 'unknown' | 'type';
  path: string;
  message: string;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'number' ? 'number' : typeof v;
}

/**
 * Walks value against schema, pruning unknown fields in place (value must be
 * owned by the caller) and collecting problems.
 */
export function checkFields(
  value: unknown,
  schema: Schema,
  all: Record<string, Schema>,
  path: string,
  problems: FieldProblem[],
): void {
  const s = resolveRef(schema, all);
  if (value === null || value === undefined) return;
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value !== 'number' && typeof value !== 'string')
      problems.push({
        kind: 'type',
        path,
        message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type intstr.IntOrString`,
      });
    return;
  }
  const type = s.type as string | undefined;
  if (type === 'object' || s.properties || s.additionalProperties) {
    if (!isObj(value)) {
      if (type)
        problems.push({
          kind: 'type',
          path,
          message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path || '.'} of type object`,
        });
      return;
    }
    const props = s.properties as Record<string, Schema> | undefined;
    const addl = s.additionalProperties as Schema | boolean | undefined;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    for (const key of Object.keys(value)) {
      const child = props?.[key];
      const childPath = path ? `${path}.${key}` : key;
      if (child) checkFields(value[key], child, all, childPath, problems);
      else if (addl && typeof addl === 'object') checkFields(value[key], addl, all, childPath, problems);
      else if (!preserve && addl !== true && props) {
        problems.push({ kind: 'unknown', path: childPath, message: `unknown field "${childPath}"` });
        delete value[key];
      }
    }
    return;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) {
      problems.push({
        kind: 'type',
        path,
        message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type []`,
      });
      return;
    }
    const items = s.items as Schema | undefined;
    if (items) value.forEach((v, i) => checkFields(v, items, all, `${path}[${i}]`, problems));
    return;
  }
  if (type === 'integer' && !(typeof value === 'number' && Number.isInteger(value)))
    problems.push({
      kind: 'type',
      path,
      message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type ${s.format === 'int32' ? 'int32' : 'int64'}`,
    });
  else if (type === 'number' && typeof value !== 'number')
    problems.push({
      kind: 'type',
      path,
      message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type float64`,
    });
  else if (type === 'string' && typeof value !== 'string')
    problems.push({
      kind: 'type',
      path,
      message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type string`,
    });
  else if (type === 'boolean' && typeof value !== 'boolean')
    problems.push({
      kind: 'type',
      path,
      message: `json: cannot unmarshal ${typeName(value)} into Go struct field ${path} of type bool`,
    });
}

/**
 * Fields that occur twice in one JSON object of a request body (dotted paths), which
 * kube-apiserver's strict decoder reports (`duplicate field "data"`) and a plain JSON parse
 * silently merges. Strings are skipped, so braces inside values do not count.
 */
export function duplicateFields(text: string): string[] {
  type Frame = { keys?: Set<string>; path: string; lastKey: string; expectKey: boolean };
  const out: string[] = [];
  const stack: Frame[] = [];
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    return top ? (top.keys ? top.lastKey : top.path) : '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          key = text.slice(i + 1, j);
        }
        const full = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) out.push(full);
        else top.keys.add(key);
        top.lastKey = full;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{') stack.push({ keys: new Set(), path: valuePath(), lastKey: '', expectKey: true });
    else if (c === '[') stack.push({ path: valuePath(), lastKey: '', expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return out;
}

// The declared surface of Move framework sources, in a canonical text form, so
// the shim (move/shim) can be compared item by item with the real framework.
//
// Why from sources and not bytecode: macros, `public(package)` helpers,
// `public use fun` aliases and abort constants leave no comparable trace in
// bytecode, yet code compiled against the shim depends on all of them. A
// package that compiles here must compile against the real framework too.
//
// Canonical form: full type paths (`0x1::option::Option<$0>`), type parameters
// numbered `$0…` with sorted abilities, field names in order, no parameter
// names. Bodies are never part of it.

/** One declaration: its canonical text and whether it is `#[test_only]`. */
export interface Declaration {
  sig: string;
  testOnly: boolean;
}

/** Module (`std::option`) → item key (`fun take`, `struct Option`, `const EFoo`, `use fun vector.to_string`) → declaration. */
export type Signatures = Record<string, Record<string, Declaration>>;

const ADDRESSES: Record<string, string> = { std: '0x1', sui: '0x2' };
const BUILTIN_TYPES = new Set([
  'u8',
  'u16',
  'u32',
  'u64',
  'u128',
  'u256',
  'bool',
  'address',
  'signer',
  'vector',
]);
// Names every Sui module sees without a `use` (Move 2024 defaults).
const IMPLICIT_ALIASES: Record<string, string> = {
  vector: 'std::vector',
  option: 'std::option',
  Option: 'std::option::Option',
  object: 'sui::object',
  ID: 'sui::object::ID',
  UID: 'sui::object::UID',
  transfer: 'sui::transfer',
  tx_context: 'sui::tx_context',
  TxContext: 'sui::tx_context::TxContext',
};

/**
 * Two views of one source with identical offsets: `text` without comments
 * (string literals intact, for constant values) and `masked`, where the
 * contents of string literals are blanked too, so that words inside strings
 * (`#[deprecated(note = b"… use …")]`) are never read as syntax.
 */
export function stripSource(src: string): { text: string; masked: string } {
  let text = '';
  let masked = '';
  for (let i = 0; i < src.length;) {
    const c = src[i] ?? '';
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      const lit = src.slice(i, j + 1);
      text += lit;
      masked += `"${' '.repeat(Math.max(0, lit.length - 2))}"`.slice(0, lit.length);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '/') {
      const start = i;
      while (i < src.length && src[i] !== '\n') i++;
      text += ' '.repeat(i - start);
      masked += ' '.repeat(i - start);
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      const blank = src.slice(i, stop).replace(/[^\n]/g, ' ');
      text += blank;
      masked += blank;
      i = stop;
    } else {
      text += c;
      masked += c;
      i++;
    }
  }
  return { text, masked };
}

const CLOSE: Record<string, string> = { '(': ')', '<': '>', '{': '}', '[': ']', '|': '|' };

/** Index of the bracket closing the one at `open`; only that bracket kind is counted. */
function matching(text: string, open: number): number {
  const o = text[open] ?? '';
  const close = CLOSE[o];
  if (!close) throw new Error(`expected a bracket at offset ${open}, found ${JSON.stringify(o)}`);
  if (o === '|') {
    let lambdas = 1;
    let lastOpen = open;
    for (let i = open + 1; i < text.length; i++) {
      if (text[i] !== '|') continue;
      if (!opensLambda(text, i, lastOpen === i - 1)) {
        if (--lambdas === 0) return i;
      } else {
        lambdas++;
        lastOpen = i;
      }
    }
    throw new Error(`unclosed lambda type at offset ${open}: ${JSON.stringify(text.slice(open, open + 60))}`);
  }
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === close && --depth === 0) return i;
  }
  throw new Error(`unbalanced ${o} at offset ${open}: ${JSON.stringify(text.slice(open, open + 60))}`);
}

/**
 * Is the `|` at `i` the start of a lambda type (`|A, B| -> R`)? It is when it
 * follows the start, `(`, `,`, `<`, `:`, `->` or another opening `|`
 * with arguments pending; otherwise it closes the innermost open lambda.
 */
function opensLambda(text: string, i: number, justOpened: boolean): boolean {
  if (justOpened) return false; // `||`: an empty argument list
  const before = text.slice(0, i).trimEnd();
  return before === '' || /[(,<:|]$/.test(before) || before.endsWith('->');
}

/** Split on commas that are not nested in brackets or lambda argument lists. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let lambdas = 0;
  let lastOpen = -2;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '|') {
      if (lambdas > 0 && !opensLambda(text, i, lastOpen === i - 1)) lambdas--;
      else {
        lambdas++;
        lastOpen = i;
      }
    } else if ('(<{['.includes(c)) depth++;
    else if (')>}]'.includes(c) && !(c === '>' && text[i - 1] === '-')) depth--;
    else if (c === ',' && depth === 0 && lambdas === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

interface Context {
  module: string;
  aliases: Record<string, string>;
  localTypes: Set<string>;
  typeParams: Map<string, string>;
}

/** Aliases introduced by `use` declarations (nested braces, `Self`, `as`). */
function parseUses(body: string, aliases: Record<string, string>): void {
  const useRe = /(?:^|[;}\s])(?:public\s+)?use\s+(?!fun\b)/g;
  let m: RegExpExecArray | null;
  while ((m = useRe.exec(body))) {
    const start = m.index + m[0].length;
    const end = body.indexOf(';', start);
    if (end < 0) throw new Error(`\`use\` without \`;\` at offset ${start}`);
    addUse(body.slice(start, end).replace(/\s+/g, ' ').trim(), '', aliases);
  }
}

function addUse(decl: string, prefix: string, aliases: Record<string, string>): void {
  const brace = decl.indexOf('{');
  if (brace >= 0) {
    const base =
      prefix +
      decl
        .slice(0, brace)
        .replace(/::\s*$/, '')
        .trim();
    const inner = decl.slice(brace + 1, matching(decl, brace));
    for (const item of splitTopLevel(inner)) addUse(item, `${base}::`, aliases);
    return;
  }
  const [pathPart = '', alias] = decl.split(/\s+as\s+/).map((s) => s.trim());
  if (pathPart === 'Self') {
    const mod = prefix.replace(/::$/, '');
    aliases[alias ?? mod.split('::').pop() ?? mod] = mod;
    return;
  }
  const full = prefix + pathPart;
  aliases[alias ?? full.split('::').pop() ?? full] = full;
}

/** Resolve a type to canonical text: full paths, numbered type parameters, lambda types. */
function canonType(raw: string, ctx: Context): string {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text.startsWith('&mut ')) return `&mut ${canonType(text.slice(5), ctx)}`;
  if (text.startsWith('&')) return `&${canonType(text.slice(1), ctx)}`;
  if (text.startsWith('|')) {
    const close = matching(text, 0);
    const args = splitTopLevel(text.slice(1, close)).map((t) => canonType(t, ctx));
    const rest = text.slice(close + 1).trim();
    const ret = rest.startsWith('->') ? canonType(rest.slice(2), ctx) : '()';
    return `|${args.join(', ')}| -> ${ret}`;
  }
  if (text.startsWith('(')) {
    const close = matching(text, 0);
    return `(${splitTopLevel(text.slice(1, close))
      .map((t) => canonType(t, ctx))
      .join(', ')})`;
  }
  const lt = text.indexOf('<');
  const head = (lt < 0 ? text : text.slice(0, lt)).trim();
  const args = lt < 0 ? [] : splitTopLevel(text.slice(lt + 1, matching(text, lt)));
  const name = resolveName(head, ctx);
  return args.length ? `${name}<${args.map((a) => canonType(a, ctx)).join(', ')}>` : name;
}

function resolveName(head: string, ctx: Context): string {
  const param = ctx.typeParams.get(head);
  if (param) return param;
  if (BUILTIN_TYPES.has(head)) return head;
  const parts = head.split('::');
  let full: string;
  if (parts.length >= 3) full = head;
  else if (parts.length === 2) full = `${ctx.aliases[parts[0] ?? ''] ?? parts[0]}::${parts[1]}`;
  else if (ctx.localTypes.has(head)) full = `${ctx.module}::${head}`;
  else full = ctx.aliases[head] ?? `?${head}`;
  const [addr = '', ...rest] = full.split('::');
  return [ADDRESSES[addr] ?? addr, ...rest].join('::');
}

/** `<T: copy + drop, phantom U>` → numbered params with sorted abilities (macro `$T` too). */
function parseTypeParams(text: string | undefined, ctx: Context): string[] {
  ctx.typeParams = new Map();
  if (!text) return [];
  return splitTopLevel(text.slice(1, -1)).map((p, i) => {
    const phantom = p.startsWith('phantom ');
    const [name = '', bounds = ''] = p
      .replace(/^phantom\s+/, '')
      .split(':')
      .map((s) => s.trim());
    ctx.typeParams.set(name, `$${i}`);
    const abilities = bounds
      .split('+')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort()
      .join('+');
    return `${phantom ? 'phantom ' : ''}$${i}${abilities ? `: ${abilities}` : ''}`;
  });
}

/** Attributes written right before the declaration starting at `pos`. */
function attributesBefore(body: string, pos: number): string {
  const before = body.slice(0, pos);
  const cut = Math.max(before.lastIndexOf(';'), before.lastIndexOf('}'), before.lastIndexOf('{'));
  return before.slice(cut + 1);
}

function sortedAbilities(list: string | undefined): string {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort()
    .join(', ');
}

/** Named `{ a: T, … }` or positional `(T, …)` fields. */
function fieldList(body: string, open: number, ctx: Context): { fields: string; end: number } {
  const close = matching(body, open);
  const inner = splitTopLevel(body.slice(open + 1, close));
  if (body[open] === '(')
    return { fields: `(${inner.map((t) => canonType(t, ctx)).join(', ')})`, end: close };
  const named = inner.map((f) => {
    const colon = f.indexOf(':');
    return `${f.slice(0, colon).trim()}: ${canonType(f.slice(colon + 1), ctx)}`;
  });
  return { fields: `{ ${named.join(', ')} }`, end: close };
}

/** Constant value as a number when it is an integer literal, else as written. */
function constValue(raw: string): string {
  const literal = raw
    .trim()
    .replace(/_/g, '')
    .replace(/(u8|u16|u32|u64|u128|u256)$/, '');
  try {
    return BigInt(literal).toString();
  } catch {
    return raw.replace(/\s+/g, ' ').trim();
  }
}

/** Parse one module's source. Returns undefined for a file with no module. */
export function parseModule(
  source: string,
): { module: string; items: Record<string, Declaration> } | undefined {
  const { text, masked: src } = stripSource(source);
  const header = /(#\[[^\]]*\]\s*)*module\s+(\w+)::(\w+)\s*([;{])/.exec(src);
  if (!header) return undefined;
  const module = `${header[2]}::${header[3]}`;
  const moduleTestOnly = /test_only/.test(header[0]);
  const bodyStart = header.index + header[0].length;
  const bodyEnd = header[4] === '{' ? matching(src, bodyStart - 1) : src.length;
  const body = src.slice(bodyStart, bodyEnd);
  const plain = text.slice(bodyStart, bodyEnd);
  const aliases = { ...IMPLICIT_ALIASES };
  parseUses(body, aliases);
  const localTypes = new Set([...body.matchAll(/\b(?:struct|enum)\s+(\w+)/g)].map((m) => m[1] ?? ''));
  const ctx: Context = { module, aliases, localTypes, typeParams: new Map() };
  const items: Record<string, Declaration> = {};
  const testOnly = (pos: number) => moduleTestOnly || /#\[[^\]]*test_only/.test(attributesBefore(body, pos));
  const add = (key: string, sig: string, pos: number) => {
    if (items[key]) throw new Error(`${module}: ${key} declared twice`);
    items[key] = { sig, testOnly: testOnly(pos) };
  };

  for (const m of body.matchAll(/\b(public\s+)?struct\s+(\w+)\s*(<[^>{]*>)?\s*/g)) {
    const typeParams = parseTypeParams(m[3], ctx);
    let i = m.index + m[0].length;
    let abilities = '';
    const pre = /^has\s+([\w\s,]+?)\s*(?=[{;(])/.exec(body.slice(i));
    if (pre) {
      abilities = sortedAbilities(pre[1]);
      i += pre[0].length;
    }
    let fields = '{ }';
    if (body[i] === '{' || body[i] === '(') {
      const f = fieldList(body, i, ctx);
      fields = f.fields;
      const post = /^\s*has\s+([\w\s,]+?)\s*;/.exec(body.slice(f.end + 1));
      if (post) abilities = sortedAbilities(post[1]);
    }
    const vis = m[1] ? 'public ' : '';
    add(
      `struct ${m[2]}`,
      `${vis}struct ${m[2]}<${typeParams.join(', ')}> has ${abilities} ${fields}`,
      m.index,
    );
  }

  for (const m of body.matchAll(/\b(public\s+)?enum\s+(\w+)\s*(<[^>{]*>)?\s*(?:has\s+([\w\s,]+?))?\s*\{/g)) {
    const typeParams = parseTypeParams(m[3], ctx);
    const open = m.index + m[0].length - 1;
    const close = matching(body, open);
    const variants: string[] = [];
    const inner = body.slice(open + 1, close);
    for (const v of splitTopLevel(inner)) {
      const name = /^\w+/.exec(v)?.[0] ?? v;
      const rest = v.slice(name.length).trim();
      variants.push(rest ? `${name} ${fieldList(rest, 0, ctx).fields}` : name);
    }
    const vis = m[1] ? 'public ' : '';
    add(
      `enum ${m[2]}`,
      `${vis}enum ${m[2]}<${typeParams.join(', ')}> has ${sortedAbilities(m[4])} { ${variants.join(', ')} }`,
      m.index,
    );
  }

  const funRe =
    /(?<!\buse\s+)\b((?:(?:public(?:\s*\(\s*(?:package|friend)\s*\))?|entry|native|macro)\s+)*)fun\s+(\w+)\s*/g;
  for (const m of body.matchAll(funRe)) {
    const mods = (m[1] ?? '').replace(/\s+/g, ' ');
    let i = m.index + m[0].length;
    let tp = '';
    if (body[i] === '<') {
      const close = matching(body, i);
      tp = body.slice(i, close + 1);
      i = close + 1;
      while (/\s/.test(body[i] ?? '')) i++;
    }
    const typeParams = parseTypeParams(tp, ctx);
    const paramsClose = matching(body, i);
    const params = splitTopLevel(body.slice(i + 1, paramsClose)).map((p) =>
      canonType(p.slice(p.indexOf(':') + 1), ctx),
    );
    const rest = body.slice(paramsClose + 1);
    const retMatch = /^\s*:\s*([^{;]+)/.exec(rest);
    const ret = retMatch?.[1] ? canonType(retMatch[1], ctx) : '()';
    const visibility = /public\s*\(\s*(package|friend)\s*\)/.test(mods)
      ? 'public(package)'
      : /\bpublic\b/.test(mods)
        ? 'public'
        : 'private';
    const flags = ['entry', 'native', 'macro'].filter((f) => new RegExp(`\\b${f}\\b`).test(mods));
    const sig = [
      visibility,
      ...flags,
      `fun ${m[2]}<${typeParams.join(', ')}>(${params.join(', ')}): ${ret}`,
    ].join(' ');
    add(`fun ${m[2]}`, sig, m.index);
  }

  for (const m of body.matchAll(/\bconst\s+(\w+)\s*:\s*([^=]+)=\s*([^;]+);/g)) {
    // The value is read from the unmasked text at the same offsets (byte-string constants).
    const valueStart = m.index + m[0].length - 1 - (m[3] ?? '').length;
    const value = plain.slice(valueStart, m.index + m[0].length - 1);
    add(`const ${m[1]}`, `const ${m[1]}: ${(m[2] ?? '').trim()} = ${constValue(value)}`, m.index);
  }

  for (const m of body.matchAll(/\b(public\s+)?use\s+fun\s+([\w:]+)\s+as\s+(\w+)\s*\.\s*(\w+)\s*;/g)) {
    const target = (m[2] ?? '').split('::');
    const fn =
      target.length === 1
        ? `${module}::${target[0]}`
        : canonType(target.slice(0, -1).join('::'), ctx) + `::${target.at(-1)}`;
    const on = canonType(m[3] ?? '', ctx);
    add(
      `use fun ${m[3]}.${m[4]}`,
      `${m[1] ? 'public ' : ''}use fun ${resolveModulePath(fn)} as ${on}.${m[4]}`,
      m.index,
    );
  }
  return { module, items };
}

function resolveModulePath(p: string): string {
  const [addr = '', ...rest] = p.split('::');
  return [ADDRESSES[addr] ?? addr, ...rest].join('::');
}

/** Parse a set of `.move` files (path → text) into signatures, keyed by module. */
export function parseSources(files: Record<string, string>): Signatures {
  const out: Signatures = {};
  for (const [file, source] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    let parsed;
    try {
      parsed = parseModule(source);
    } catch (e) {
      throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!parsed) continue;
    if (out[parsed.module]) throw new Error(`${file}: module ${parsed.module} is declared in two files`);
    out[parsed.module] = Object.fromEntries(
      Object.entries(parsed.items).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return out;
}

/** Does this shim item have to match the real framework? Private helpers are the shim's own business. */
export function mustMatch(key: string, decl: Declaration): boolean {
  if (key.startsWith('fun ')) return !/^private fun /.test(decl.sig);
  if (key.startsWith('use fun ')) return decl.sig.startsWith('public ');
  // Abort codes: `E…` constants. Other constants are private helpers.
  if (key.startsWith('const ')) return key.startsWith('const E');
  return true; // structs and enums
}

export interface SignatureDifference {
  module: string;
  item: string;
  problem: 'module-not-in-real' | 'not-in-real' | 'different' | 'test-only-differs';
  shim: string;
  real?: string;
}

/**
 * Every shim declaration that must match (see mustMatch) against the real list:
 * it must exist there with identical canonical text and the same `#[test_only]`.
 */
export function compareSignatures(shim: Signatures, real: Signatures): SignatureDifference[] {
  const out: SignatureDifference[] = [];
  for (const [module, items] of Object.entries(shim)) {
    const other = real[module];
    if (!other) {
      out.push({ module, item: '(module)', problem: 'module-not-in-real', shim: module });
      continue;
    }
    for (const [key, decl] of Object.entries(items)) {
      if (!mustMatch(key, decl)) continue;
      const theirs = other[key];
      if (!theirs) out.push({ module, item: key, problem: 'not-in-real', shim: decl.sig });
      else if (theirs.sig !== decl.sig)
        out.push({ module, item: key, problem: 'different', shim: decl.sig, real: theirs.sig });
      else if (theirs.testOnly !== decl.testOnly)
        out.push({
          module,
          item: key,
          problem: 'test-only-differs',
          shim: `${decl.testOnly ? '#[test_only] ' : ''}${decl.sig}`,
          real: `${theirs.testOnly ? '#[test_only] ' : ''}${theirs.sig}`,
        });
    }
  }
  return out;
}

/** One line per difference, for test failures and the CLI. */
export function formatDifference(d: SignatureDifference): string {
  switch (d.problem) {
    case 'module-not-in-real':
      return `${d.module}: module does not exist in the real framework`;
    case 'not-in-real':
      return `${d.module}::${d.item}: not in the real framework\n    shim: ${d.shim}`;
    default:
      return `${d.module}::${d.item}: ${d.problem}\n    shim: ${d.shim}\n    real: ${d.real}`;
  }
}

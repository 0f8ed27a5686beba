#!/usr/bin/env node
// Compare the public surface of this shim with the real Sui framework sources.
//
// Why: the shim's bodies are our own, but everything another package links
// against (struct layouts, function signatures, natives, abort-code constants)
// must be identical to the real framework. This tool extracts those
// declarations from both source trees and reports every difference.
//
// Usage:
//   node compare-signatures.mjs --real <dir>        real framework package (or its sources/)
//   node compare-signatures.mjs --fetch [--rev R]   download it with the builder's GitHub fetcher
//   node compare-signatures.mjs --list              print the shim's canonical declarations
//   options: --shim <dir> (default: this package), --verbose (list real items not in the shim)
// Exit code: 0 = no difference, 1 = differences, 2 = usage or input error.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUI_REPO = 'https://github.com/MystenLabs/sui.git';
const FRAMEWORK_SUBDIR = 'crates/sui-framework/packages/sui-framework';
const ADDRESSES = { std: '0x1', sui: '0x2' };
const BUILTIN_TYPES = new Set(['u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'bool', 'address', 'signer', 'vector']);
// Names every Sui-flavoured module sees without a `use` (Move 2024 defaults).
const IMPLICIT_ALIASES = {
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

// ---------- reading sources ----------

/** `.move` files under `dir` (recursively) as { relativePath: text }. */
function readMoveTree(dir) {
  const out = {};
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'build' || entry.name.startsWith('.')) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.move')) out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Remove comments, keeping string/byte-string literals intact. */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index of the bracket closing the one at `open`; only that bracket kind is counted. */
function matching(text, open) {
  const close = { '(': ')', '<': '>', '{': '}', '[': ']' }[text[open]];
  if (!close) throw new Error(`no bracket at offset ${open}`);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === close && --depth === 0) return i;
  }
  throw new Error(`unbalanced bracket at offset ${open}`);
}

/** Split on commas that are not nested in brackets. */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ('(<{['.includes(c)) depth++;
    else if (')>}]'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

// ---------- parsing one module ----------

/** Aliases introduced by `use` declarations (nested braces, `Self`, `as`). */
function parseUses(body, aliases) {
  const useRe = /(?:^|[;}\s])(?:public\s+)?use\s+(?!fun\b)/g;
  let m;
  while ((m = useRe.exec(body))) {
    const start = m.index + m[0].length;
    const end = body.indexOf(';', start);
    addUse(body.slice(start, end).replace(/\s+/g, ' ').trim(), '', aliases);
  }
}

function addUse(decl, prefix, aliases) {
  const brace = decl.indexOf('{');
  if (brace >= 0) {
    const base = prefix + decl.slice(0, brace).replace(/::\s*$/, '').trim();
    const inner = decl.slice(brace + 1, matching(decl, brace));
    for (const item of splitTopLevel(inner)) addUse(item, `${base}::`, aliases);
    return;
  }
  const [pathPart, alias] = decl.split(/\s+as\s+/).map((s) => s.trim());
  const full = prefix + pathPart;
  if (pathPart === 'Self') {
    const mod = prefix.replace(/::$/, '');
    aliases[alias ?? mod.split('::').pop()] = mod;
    return;
  }
  aliases[alias ?? full.split('::').pop()] = full;
}

/** Resolve a type to a canonical string: full paths, numbered type parameters. */
function canonType(raw, ctx) {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text.startsWith('&mut ')) return `&mut ${canonType(text.slice(5), ctx)}`;
  if (text.startsWith('&')) return `&${canonType(text.slice(1), ctx)}`;
  if (text.startsWith('(')) {
    const close = matching(text, 0);
    return `(${splitTopLevel(text.slice(1, close)).map((t) => canonType(t, ctx)).join(', ')})`;
  }
  const lt = text.indexOf('<');
  const head = (lt < 0 ? text : text.slice(0, lt)).trim();
  const args = lt < 0 ? [] : splitTopLevel(text.slice(lt + 1, matching(text, lt)));
  const name = resolveName(head, ctx);
  return args.length ? `${name}<${args.map((a) => canonType(a, ctx)).join(', ')}>` : name;
}

function resolveName(head, ctx) {
  if (ctx.typeParams.has(head)) return ctx.typeParams.get(head);
  if (BUILTIN_TYPES.has(head)) return head;
  const parts = head.split('::');
  let full;
  if (parts.length >= 3) full = head;
  else if (parts.length === 2) full = `${ctx.aliases[parts[0]] ?? parts[0]}::${parts[1]}`;
  else if (ctx.localTypes.has(head)) full = `${ctx.module}::${head}`;
  else full = ctx.aliases[head] ?? `?${head}`;
  const [addr, ...rest] = full.split('::');
  return [ADDRESSES[addr] ?? addr, ...rest].join('::');
}

/** `<T: copy + drop, phantom U>` → numbered params with sorted abilities. */
function parseTypeParams(text, ctx) {
  ctx.typeParams = new Map();
  if (!text) return [];
  return splitTopLevel(text.slice(1, -1)).map((p, i) => {
    const phantom = p.startsWith('phantom ');
    const [name, bounds = ''] = p.replace(/^phantom\s+/, '').split(':').map((s) => s.trim());
    ctx.typeParams.set(name, `$${i}`);
    const abilities = bounds.split('+').map((s) => s.trim()).filter(Boolean).sort().join('+');
    return `${phantom ? 'phantom ' : ''}$${i}${abilities ? `: ${abilities}` : ''}`;
  });
}

/** Attributes written right before the declaration starting at `pos`. */
function attributesBefore(body, pos) {
  const before = body.slice(0, pos);
  const cut = Math.max(before.lastIndexOf(';'), before.lastIndexOf('}'), before.lastIndexOf('{'));
  return before.slice(cut + 1);
}

function parseModule(text) {
  const src = stripComments(text);
  const header = /(#\[[^\]]*\]\s*)*module\s+(\w+)::(\w+)\s*([;{])/.exec(src);
  if (!header) return undefined;
  const module = `${header[2]}::${header[3]}`;
  const moduleTestOnly = /test_only/.test(header[0]);
  const body = header[4] === '{' ? src.slice(header.index + header[0].length, matching(src, header.index + header[0].length - 1)) : src.slice(header.index + header[0].length);
  const aliases = { ...IMPLICIT_ALIASES };
  parseUses(body, aliases);
  const localTypes = new Set([...body.matchAll(/\bstruct\s+(\w+)/g)].map((m) => m[1]));
  const ctx = { module, aliases, localTypes, typeParams: new Map() };
  const items = new Map();
  const testOnly = (pos) => moduleTestOnly || /#\[[^\]]*test_only/.test(attributesBefore(body, pos));

  for (const m of body.matchAll(/\b(public\s+)?struct\s+(\w+)\s*(<[^>{]*>)?\s*(?:has\s+([\w\s,]+?))?\s*([{;(])/g)) {
    const typeParams = parseTypeParams(m[3], ctx);
    const abilities = (m[4] ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort().join(', ');
    let fields = [];
    if (m[5] === '{') {
      const open = m.index + m[0].length - 1;
      fields = splitTopLevel(body.slice(open + 1, matching(body, open))).map((f) => {
        const colon = f.indexOf(':');
        return `${f.slice(0, colon).trim()}: ${canonType(f.slice(colon + 1), ctx)}`;
      });
    }
    const sig = `struct ${m[2]}<${typeParams.join(', ')}> has ${abilities} { ${fields.join(', ')} }`;
    items.set(`struct ${m[2]}`, { kind: 'struct', sig, testOnly: testOnly(m.index) });
  }

  const funRe = /(?<!\buse\s+)\b((?:(?:public(?:\s*\(\s*(?:package|friend)\s*\))?|entry|native|macro)\s+)*)fun\s+(\w+)\s*/g;
  for (const m of body.matchAll(funRe)) {
    const mods = m[1].replace(/\s+/g, ' ');
    if (/\bmacro\b/.test(mods)) continue; // macros are inlined at compile time: nothing links to them
    let i = m.index + m[0].length;
    let tp = '';
    if (body[i] === '<') {
      const close = matching(body, i);
      tp = body.slice(i, close + 1);
      i = close + 1;
      while (/\s/.test(body[i])) i++;
    }
    const typeParams = parseTypeParams(tp, ctx);
    const paramsClose = matching(body, i);
    const params = splitTopLevel(body.slice(i + 1, paramsClose)).map((p) => canonType(p.slice(p.indexOf(':') + 1), ctx));
    const rest = body.slice(paramsClose + 1);
    const retMatch = /^\s*:\s*([^{;]+)/.exec(rest);
    const ret = retMatch ? canonType(retMatch[1], ctx) : '()';
    const visibility = /public\s*\(\s*(package|friend)\s*\)/.test(mods) ? 'public(package)' : /\bpublic\b/.test(mods) ? 'public' : 'private';
    const entry = /\bentry\b/.test(mods);
    const native = /\bnative\b/.test(mods);
    const sig = `${visibility}${entry ? ' entry' : ''}${native ? ' native' : ''} fun ${m[2]}<${typeParams.join(', ')}>(${params.join(', ')}): ${ret}`;
    items.set(`fun ${m[2]}`, { kind: 'fun', sig, visibility, entry, native, testOnly: testOnly(m.index) });
  }

  for (const m of body.matchAll(/\bconst\s+(\w+)\s*:\s*([^=]+)=\s*([^;]+);/g)) {
    const value = m[3].replace(/[\s_]/g, '');
    items.set(`const ${m[1]}`, { kind: 'const', sig: `const ${m[1]}: ${m[2].trim()} = ${value}`, testOnly: testOnly(m.index) });
  }
  return { module, items };
}

function parseTree(files) {
  const modules = new Map();
  for (const [file, text] of Object.entries(files)) {
    const parsed = parseModule(text);
    if (parsed) modules.set(parsed.module, { file, items: parsed.items });
  }
  return modules;
}

// ---------- comparing ----------

/** Does this shim item have to match the real framework? */
function mustMatch(item) {
  if (item.kind === 'fun') return item.visibility !== 'private' || item.entry || item.native;
  return true; // structs and constants (abort codes)
}

function compare(shim, real, verbose) {
  const problems = [];
  const notes = [];
  for (const [module, { file, items }] of shim) {
    const other = real.get(module);
    if (!other) {
      problems.push(`${module} (${file}): module does not exist in the real framework`);
      continue;
    }
    for (const [key, item] of items) {
      if (!mustMatch(item)) continue;
      const theirs = other.items.get(key);
      if (!theirs) {
        const where = `${module}::${key.split(' ')[1]}`;
        if (item.kind === 'const') notes.push(`${where}: constant not in the real module (unused by linking)`);
        else problems.push(`${where}: not in the real framework\n    shim: ${item.sig}`);
      } else if (theirs.sig !== item.sig) {
        problems.push(`${module}::${key.split(' ')[1]}: differs\n    shim: ${item.sig}\n    real: ${theirs.sig}`);
      } else if (theirs.testOnly !== item.testOnly) {
        problems.push(`${module}::${key.split(' ')[1]}: #[test_only] is ${item.testOnly} here, ${theirs.testOnly} in the real framework`);
      }
    }
    if (verbose) {
      for (const [key, item] of other.items) {
        if (!items.has(key) && item.kind !== 'const' && mustMatch(item)) notes.push(`${module}: not covered: ${item.sig}`);
      }
    }
  }
  return { problems, notes };
}

// ---------- fetching the real framework ----------

/** The framework revision the builder pins, and that package's files, via GitHub. */
async function fetchRealFramework(rev) {
  const builder = await import('@zktx.io/sui-move-builder/full');
  await builder.initMovePackageBuilder();
  let pinned = rev;
  if (!pinned) {
    // Ask the builder which revision it resolves the implicit framework to.
    class Recorder extends builder.MovePackageFetcher {
      async fetch(gitUrl, r) {
        // MoveStdlib is requested first; both framework packages share one revision.
        if (/github\.com[/:]mystenlabs\/sui(\.git)?$/i.test(gitUrl.replace(/\/+$/, ''))) pinned = r;
        throw new Error('probe only');
      }
      async fetchFile() {
        return null;
      }
      getResolvedSha() {
        return undefined;
      }
    }
    const probe = { 'Move.toml': '[package]\nname = "probe"\nedition = "2024"\n', 'sources/p.move': 'module probe::p;\n' };
    await builder.dumpMovePackage({ files: probe, fetcher: new Recorder(), network: 'mainnet' });
    if (!pinned) throw new Error('could not learn the pinned framework revision from the builder; pass --rev');
  }
  const github = new builder.GitHubMovePackageFetcher(process.env.GITHUB_TOKEN);
  try {
    return { rev: pinned, files: await github.fetch(SUI_REPO, pinned, FRAMEWORK_SUBDIR) };
  } catch (err) {
    throw new Error(
      `downloading ${FRAMEWORK_SUBDIR} at ${pinned} from GitHub failed (${err.message}). ` +
        `Without network access, check out that revision elsewhere and pass --real <checkout>/${FRAMEWORK_SUBDIR}.`,
    );
  }
}

// ---------- CLI ----------

function parseArgs(argv) {
  const args = { shim: path.resolve(HERE, '..'), verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--real') args.real = argv[++i];
    else if (a === '--shim') args.shim = argv[++i];
    else if (a === '--fetch') args.fetch = true;
    else if (a === '--rev') args.rev = argv[++i];
    else if (a === '--verbose') args.verbose = true;
    else if (a === '--list') args.list = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.real && !args.fetch && !args.list) throw new Error('give --real <dir>, --fetch or --list');
  return args;
}

function sourcesDir(dir) {
  const resolved = path.resolve(dir);
  const sources = path.join(resolved, 'sources');
  if (existsSync(sources) && statSync(sources).isDirectory()) return sources;
  if (existsSync(resolved) && statSync(resolved).isDirectory()) return resolved;
  throw new Error(`no such directory: ${resolved}`);
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\nusage: compare-signatures.mjs (--real <dir> | --fetch [--rev <git rev>] | --list) [--shim <dir>] [--verbose]`);
    return 2;
  }
  if (args.list) {
    // The shim's linkable surface, one canonical declaration per line.
    for (const [module, { items }] of parseTree(readMoveTree(sourcesDir(args.shim)))) {
      for (const item of items.values()) if (mustMatch(item)) console.log(`${module}: ${item.testOnly ? '#[test_only] ' : ''}${item.sig}`);
    }
    return 0;
  }
  let realFiles;
  let label;
  try {
    if (args.real) {
      const dir = sourcesDir(args.real);
      realFiles = readMoveTree(dir);
      label = dir;
    } else {
      const { rev, files } = await fetchRealFramework(args.rev);
      realFiles = Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('sources/') && f.endsWith('.move')));
      label = `${SUI_REPO}@${rev}/${FRAMEWORK_SUBDIR}`;
    }
  } catch (err) {
    console.error(`Cannot read the real framework: ${err.message}`);
    return 2;
  }
  const shim = parseTree(readMoveTree(sourcesDir(args.shim)));
  const real = parseTree(realFiles);
  if (real.size === 0) {
    console.error(`No Move modules found in ${label}.`);
    return 2;
  }
  const { problems, notes } = compare(shim, real, args.verbose);
  for (const n of notes) console.log(`note: ${n}`);
  for (const p of problems) console.log(`DIFF: ${p}`);
  const checked = [...shim.values()].reduce((n, m) => n + [...m.items.values()].filter(mustMatch).length, 0);
  console.log(`${shim.size} shim modules, ${checked} declarations checked against ${label}: ${problems.length} difference(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();

/**
 * Flags `os.Setenv("GOGC" | "GOMEMLIMIT" | "GOMAXPROCS", v)` in non-test code:
 * the runtime reads these variables once, at start-up, so setting them in a
 * running program changes nothing for this process.
 * Skips: test files (tests set them for code that reads them); a variable the
 * package reads back itself (`os.Getenv`/`os.LookupEnv` of the same key, any file);
 * a file that starts processes (`os/exec`, `syscall.Exec`, `os.StartProcess`),
 * where the value is meant for the child; `GODEBUG` (read again at run time) and
 * every other variable; keys that are not string literals.
 * Fix (safe, when the value is a constant or a plain conversion of an integer and
 * the call is a statement): the runtime call with the parsed value.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import { defineAnalysis } from '../../core/analysis';
import type { Fix, TextEditData } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { unquoteGoString } from '../../languages/go/imports';
import { addGoImport, removeStatement, replaceNode } from '../../languages/go/edits/edits';
import { selectorCallsNamed } from '../../languages/go/model/names';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall, unparen } from '../../languages/go/syntax';
import { nodesOfType } from '../../languages/go/syntax-index';

/** Keys one file reads with os.Getenv / os.LookupEnv (a fact: the package may read them anywhere). */
const ENV_READS = defineAnalysis({
  id: 'go/env-reads',
  on: 'go-file',
  fact: true,
  build: (file: GoFile): string[] => {
    const out = new Set<string>();
    for (const m of selectorCallsNamed(file, ['Getenv', 'LookupEnv'])) {
      if (!isPackageMember(file, m.fn, 'os')) continue;
      const key = describeCall(m.call)?.args[0];
      if (key && key.type === 'interpreted_string_literal') out.add(unquoteGoString(key.text));
    }
    return [...out];
  },
});

const PACKAGE_ENV_READS = defineAnalysis({
  id: 'go/package-env-reads',
  on: 'go-package',
  build: (pkg): ReadonlySet<string> => new Set(pkg.factsOf(ENV_READS).flat()),
});

const RUNTIME_VARS = ['GOGC', 'GOMEMLIMIT', 'GOMAXPROCS'] as const;
type RuntimeVar = (typeof RUNTIME_VARS)[number];

const REPLACEMENT: Readonly<Record<RuntimeVar, string>> = {
  GOGC: 'debug.SetGCPercent',
  GOMEMLIMIT: 'debug.SetMemoryLimit',
  GOMAXPROCS: 'runtime.GOMAXPROCS',
};

export const rule = defineGoRule({
  id: 'go/runtime-setenv',
  meta: {
    title: 'Runtime variable set with os.Setenv',
    description: 'GOGC, GOMEMLIMIT and GOMAXPROCS are read once when the program starts: os.Setenv in a running program does not change the garbage collector or the scheduler.',
    severity: 'warning',
    fixable: true,
    messages: {
      setenv: 'os.Setenv({key}) has no effect on this process: the runtime read {key} at start-up; call {call}',
    },
  },
  analyses: [PACKAGE_ENV_READS],
  // Calls are found by name (go-names.ts); the import pattern keeps the rule in the merged query cheaply.
  queries: { imports: '(import_spec path: (interpreted_string_literal) @path)' },
  check(ctx, file) {
    if (file.isTest || !file.imports.has('os')) return;
    const sites: { call: Node; key: RuntimeVar; value: Node }[] = [];
    for (const m of selectorCallsNamed(file, ['Setenv'])) {
      if (!isPackageMember(file, m.fn, 'os')) continue;
      const info = describeCall(m.call);
      const keyNode = info?.args[0];
      const value = info?.args[1];
      if (!keyNode || !value || keyNode.type !== 'interpreted_string_literal') continue;
      const key = unquoteGoString(keyNode.text);
      if ((RUNTIME_VARS as readonly string[]).includes(key)) sites.push({ call: m.call, key: key as RuntimeVar, value });
    }
    if (sites.length === 0 || startsProcesses(file)) return;
    const reads = ctx.resultOf(PACKAGE_ENV_READS);
    const flagged = sites.filter((s) => !reads.has(s.key) && !callsRuntimeSetter(file, s.key));
    // The sites a fix-all pass replaces: imports used only there are removed with them.
    const fixable = flagged.filter((s) => s.call.parent?.type === 'expression_statement' && runtimeArgument(file, s.key, unparen(s.value)));
    for (const s of flagged) {
      ctx.report({
        node: s.call,
        messageId: 'setenv',
        data: { key: s.key, call: REPLACEMENT[s.key] },
        fixes: () => {
          const fix = runtimeFix(file, s.call, s.key, s.value, fixable.map((f) => f.call));
          return fix ? [fix] : [];
        },
      });
    }
  },
});

/**
 * The file already calls the runtime's setter for `key` (`debug.SetGCPercent` beside
 * `os.Setenv("GOGC", ...)`): the variable is written for display or for children, not to tune.
 */
function callsRuntimeSetter(file: GoFile, key: RuntimeVar): boolean {
  const [, name] = REPLACEMENT[key].split('.');
  const path = key === 'GOMAXPROCS' ? 'runtime' : 'runtime/debug';
  return selectorCallsNamed(file, [name]).some((m) => isPackageMember(file, m.fn, path) && (key !== 'GOMAXPROCS' || describeCall(m.call)?.args[0]?.text !== '0'));
}

/** The file starts other processes: a variable set before that is for the child. */
function startsProcesses(file: GoFile): boolean {
  if (file.imports.has('os/exec') || file.imports.has('golang.org/x/sys/execabs')) return true;
  if (selectorCallsNamed(file, ['StartProcess']).some((m) => isPackageMember(file, m.fn, 'os'))) return true;
  return selectorCallsNamed(file, ['Exec', 'ForkExec']).some((m) => isPackageMember(file, m.fn, 'syscall') || isPackageMember(file, m.fn, 'golang.org/x/sys/unix'));
}

/** Replaces the statement `os.Setenv(K, v)` by the runtime call; drops the `os` import when that was its only use. */
function runtimeFix(file: GoFile, call: Node, key: RuntimeVar, value: Node, allSites: readonly Node[]): Fix | undefined {
  const stmt = call.parent;
  if (stmt?.type !== 'expression_statement') return undefined;
  const pkgPath = key === 'GOMAXPROCS' ? 'runtime' : 'runtime/debug';
  const pkgName = file.imports.localNamesOf(pkgPath)[0] ?? (key === 'GOMAXPROCS' ? 'runtime' : 'debug');
  const arg = runtimeArgument(file, key, unparen(value));
  if (!arg) return undefined;
  const fates = ['os', 'strconv'].map((p) => importFate(file, p, allSites, call));
  if (fates.includes('shared')) return undefined;
  const removed = fates.filter((f): f is Node => typeof f !== 'string');
  const text = `${pkgName}.${REPLACEMENT[key].split('.')[1]}(${arg.text})`;
  const edits: TextEditData[] = [replaceNode(call, text)];
  const added = [pkgPath, ...(arg.needsMath ? ['math'] : [])].filter((p) => !file.imports.localNamesOf(p)[0]);
  if (removed.length === 0) for (const p of added) edits.push(...addGoImport(file, p));
  else {
    const swap = swapImport(file, removed, added);
    if (!swap) return undefined;
    edits.push(swap);
  }
  return { title: `Replace with ${text}`, safe: true, preferred: true, edits };
}

/**
 * One edit that removes the import spec `spec` and adds `paths` (standard-library paths) in its
 * place: the run of spec lines holding it is rewritten sorted, as gofmt sorts a group. A lone
 * `import "os"` becomes the new imports.
 */
function swapImport(file: GoFile, removed: readonly Node[], paths: readonly string[]): TextEditData | undefined {
  const source = file.source;
  const eol = source.eol;
  const spec = removed[0];
  if (spec.type === 'import_declaration') {
    if (removed.length > 1) return undefined;
    if (paths.length === 0) return removeStatement(source, spec);
    const body = paths.length === 1 ? `"${paths[0]}"` : `(${eol}${[...paths].sort().map((p) => `\t"${p}"`).join(eol)}${eol})`;
    return { start: spec.startIndex, end: spec.endIndex, newText: `import ${body}` };
  }
  const list = spec.parent;
  if (!list) return undefined;
  const specs = list.namedChildren.filter((n): n is Node => n?.type === 'import_spec');
  const at = specs.findIndex((n) => n.id === spec.id);
  let first = at;
  let last = at;
  while (first > 0 && source.lineOf(specs[first].startIndex) - source.lineOf(specs[first - 1].endIndex) === 1) first--;
  while (last < specs.length - 1 && source.lineOf(specs[last + 1].startIndex) - source.lineOf(specs[last].endIndex) === 1) last++;
  const group = specs.slice(first, last + 1);
  if (!removed.every((r) => group.some((n) => n.id === r.id))) return undefined;
  // Comments or aliases in the group would be lost or reordered: leave such files to a person.
  if (list.namedChildren.some((n) => n?.type === 'comment' && n.startIndex > group[0].startIndex && n.startIndex < group[group.length - 1].endIndex)) return undefined;
  const indent = source.indentationAt(group[0].startIndex) || '\t';
  const lines = group.filter((n) => !removed.some((r) => r.id === n.id)).map((n) => ({ path: unquoteGoString(n.childForFieldName('path')?.text ?? '""'), text: n.text }));
  for (const p of paths) lines.push({ path: p, text: `"${p}"` });
  lines.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (lines.length === 0) return undefined;
  const start = group[0].startIndex;
  const end = group[group.length - 1].endIndex;
  return { start, end, newText: lines.map((l) => l.text).join(`${eol}${indent}`) };
}

/** Byte units GOMEMLIMIT accepts, as shifts. */
const UNIT_SHIFT: Readonly<Partial<Record<string, number>>> = { B: 0, KiB: 10, MiB: 20, GiB: 30, TiB: 40 };

/**
 * The Go argument for the runtime call meaning what `value` meant in the environment: string
 * literals as the runtime parses them, `strconv.Itoa(n)` / `strconv.FormatInt(n, 10)` as `n`.
 * Undefined when the meaning is unknown or the runtime would have ignored the value.
 */
function runtimeArgument(file: GoFile, key: RuntimeVar, value: Node): { text: string; needsMath?: boolean } | undefined {
  if (value.type === 'interpreted_string_literal' || value.type === 'raw_string_literal') {
    const v = unquoteGoString(value.text);
    if (key === 'GOGC') return v === 'off' ? { text: '-1' } : /^-?\d{1,9}$/.test(v) ? { text: String(Number(v)) } : undefined;
    if (key === 'GOMAXPROCS') return /^\d{1,6}$/.test(v) && Number(v) > 0 ? { text: String(Number(v)) } : undefined;
    if (v === 'off') return { text: 'math.MaxInt64', needsMath: true };
    const m = /^(\d{1,15})(B|KiB|MiB|GiB|TiB)?$/.exec(v);
    if (!m) return undefined;
    const shift = UNIT_SHIFT[m.at(2) ?? 'B'] ?? 0;
    return { text: shift === 0 ? String(Number(m[1])) : `${Number(m[1])} << ${shift}` };
  }
  // A number converted to text for the environment: pass the number itself.
  const info = value.type === 'call_expression' ? describeCall(value) : undefined;
  const fn = info?.callee;
  if (!info || !fn || info.variadicSpread) return undefined;
  const n = info.args.at(0);
  if (!n || !/^[\w.]+$/.test(n.text)) return undefined;
  if (isPackageMember(file, fn, 'strconv', 'Itoa') && info.args.length === 1) return { text: key === 'GOMEMLIMIT' ? `int64(${n.text})` : n.text };
  if (key === 'GOMEMLIMIT' && isPackageMember(file, fn, 'strconv', 'FormatInt') && info.args[1]?.text === '10') return { text: n.text };
  return undefined;
}

/**
 * What becomes of the import of `path` once the fixable sites are replaced: `absent` or `kept` (other
 * code uses it), the import spec (or declaration) to remove with the fix of `site` when uses inside
 * that site were its only ones, `shared` when several fixable sites are its only uses (no fix: either
 * alone leaves the import, both together could not remove it twice).
 */
function importFate(file: GoFile, path: string, sites: readonly Node[], site: Node): Node | 'absent' | 'kept' | 'shared' {
  const specs = file.imports.all.filter((i) => i.path === path);
  const spec = specs.at(0);
  if (!spec) return 'absent';
  if (specs.length !== 1 || spec.localName === '_' || spec.localName === '.') return 'kept';
  const name = spec.localName;
  const inside = (n: Node, s: Node): boolean => n.startIndex >= s.startIndex && n.endIndex <= s.endIndex;
  const uses = nodesOfType(file, file.root, ['selector_expression', 'qualified_type']).filter((n) => {
    const q = n.type === 'selector_expression' ? n.childForFieldName('operand') : n.childForFieldName('package');
    return q?.text === name;
  });
  if (uses.some((n) => !sites.some((s) => inside(n, s)))) return 'kept';
  const usingSites = sites.filter((s) => uses.some((n) => inside(n, s)));
  if (!usingSites.some((s) => s.id === site.id)) return 'kept';
  if (usingSites.length !== 1) return 'shared';
  return spec.node.parent?.type === 'import_spec_list' ? spec.node : spec.node.parent ?? 'kept';
}

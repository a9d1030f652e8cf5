import type { Node } from 'web-tree-sitter';
import { specsOf } from './syntax';

/** One import spec of a Go file. */
export interface GoImport {
  path: string;
  /** Name the file uses: the alias, or the package's presumed name; `.` and `_` kept as written. */
  localName: string;
  /** The alias as written, if any. */
  alias?: string;
  node: Node;
}

/**
 * Import table of one Go file: which package a selector's qualifier names.
 * Without a type checker the package name of an unaliased import is presumed
 * from its path (last element, skipping a `/vN` major-version suffix,
 * `gopkg.in/yaml.v3` → `yaml`, `go-redis` → `redis`), which is what `goimports` assumes too.
 */
export class GoImports {
  private readonly byLocal = new Map<string, GoImport>();
  private readonly dotImports: GoImport[] = [];
  /** Every question asked of this table and its answer (see {@link GoImports.recordInto}). */
  private reads?: Map<string, string>;
  /** This table's answers, by question (the specs never change). */
  private readonly answered = new Map<string, string>();

  constructor(private readonly specs: readonly GoImport[]) {
    for (const imp of specs) {
      if (imp.localName === '.') this.dotImports.push(imp);
      else if (imp.localName !== '_') this.byLocal.set(imp.localName, imp);
    }
  }

  /**
   * Records every question asked from now on, with its answer, into `reads`:
   * while another version's table gives the same answers to all of them, what
   * was computed from this one still holds (see `DeclMemo`).
   */
  recordInto(reads: Map<string, string>): void {
    this.reads = reads;
  }

  /** Does this table answer every recorded question as recorded? */
  answers(reads: ReadonlyMap<string, string>): boolean {
    for (const [question, answer] of reads) if (this.answer(question) !== answer) return false;
    return true;
  }

  private answer(question: string): string {
    const at = question.indexOf(':');
    const kind = question.slice(0, at);
    const arg = question.slice(at + 1);
    switch (kind) {
      case 'has': return String(this.specs.some((i) => i.path === arg));
      case 'pathOf': return this.byLocal.get(arg)?.path ?? '\u0000';
      case 'localNamesOf': return this.specs.filter((i) => i.path === arg && i.localName !== '_' && i.localName !== '.').map((i) => i.localName).join(',');
      case 'local': return String(this.specs.some((i) => i.localName === arg));
      case 'dot': return this.dotImports.map((i) => i.path).join(',');
      case 'nonstd': return this.specs.filter((i) => !isStandardPath(i.path)).map((i) => `${i.localName} ${i.path}`).join(',');
      // The specs themselves (nodes, order): only the same specs at the same places answer the same.
      default: return this.specs.map((i) => `${i.alias ?? ''} ${i.path}@${i.node.startIndex}`).join(',');
    }
  }

  private read(question: string): string {
    let answer = this.answered.get(question);
    if (answer === undefined) this.answered.set(question, (answer = this.answer(question)));
    this.reads?.set(question, answer);
    return answer;
  }

  /** Every import spec, in source order. */
  get all(): readonly GoImport[] {
    this.read('all:');
    return this.specs;
  }

  /**
   * The specs whose path is not the standard library's (see {@link isStandardPath}), in source order:
   * adding or removing a standard import answers this alike.
   */
  nonStandard(): readonly GoImport[] {
    this.read('nonstd:');
    return this.specs.filter((i) => !isStandardPath(i.path));
  }

  has(path: string): boolean {
    return this.read(`has:${path}`) === 'true';
  }

  /** Import path bound to a qualifier such as `http` in `http.Get`. */
  pathOf(localName: string): string | undefined {
    this.read(`pathOf:${localName}`);
    return this.byLocal.get(localName)?.path;
  }

  /** Local names under which `path` is imported (usually one). */
  localNamesOf(path: string): string[] {
    const names = this.read(`localNamesOf:${path}`);
    return names === '' ? [] : names.split(',');
  }

  /** Is `name` the local name of an import spec (`_` and `.` included, as written)? */
  isLocalName(name: string): boolean {
    return this.read(`local:${name}`) === 'true';
  }

  isDotImported(path: string): boolean {
    this.read('dot:');
    return this.dotImports.some((i) => i.path === path);
  }

  /**
   * Does `node` denote `path`.`name`? Accepts a selector `pkg.Name` whose
   * qualifier is bound to `path` (and not shadowed by a local variable, which
   * callers check through scopes when it matters), or a bare identifier when
   * `path` is dot-imported.
   */
  resolves(node: Node, path: string, ...names: string[]): boolean {
    const ref = this.qualifiedName(node);
    return ref !== undefined && ref.path === path && (names.length === 0 || names.includes(ref.name));
  }

  /** `{ path, name }` for `pkg.Name` (or a dot-imported identifier), else undefined. */
  qualifiedName(node: Node): { path: string; name: string } | undefined {
    if (node.type === 'selector_expression' || node.type === 'qualified_type') {
      const operand = node.type === 'selector_expression' ? node.childForFieldName('operand') : node.childForFieldName('package');
      const field = node.type === 'selector_expression' ? node.childForFieldName('field') : node.childForFieldName('name');
      if (!operand || !field || (operand.type !== 'identifier' && operand.type !== 'package_identifier')) return undefined;
      const path = this.pathOf(operand.text);
      return path === undefined ? undefined : { path, name: field.text };
    }
    if ((node.type === 'identifier' || node.type === 'type_identifier') && this.read('dot:') !== '' && this.dotImports.length === 1) {
      return { path: this.dotImports[0].path, name: node.text };
    }
    return undefined;
  }
}

/** First elements of standard-library import paths (and cgo's `C`). */
const STD_ROOTS = new Set(('archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
  'expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime slices ' +
  'sort strconv strings structs sync syscall testing text time unicode unique unsafe weak C').split(' '));

/** Is `path` a standard-library import path (or cgo's `C`), by its first element? */
export function isStandardPath(path: string): boolean {
  return STD_ROOTS.has(path.split('/')[0]);
}

/** Package name `goimports` presumes for an import path. */
export function presumedPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  if (path.startsWith('gopkg.in/')) last = last.replace(/\.v[0-9]+$/, '');
  last = last.replace(/^go-/, '').replace(/[-.]go$/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Reads the import declarations of a parsed Go source file. */
export function readImports(root: Node): GoImports {
  const imports: GoImport[] = [];
  for (const decl of root.namedChildren) {
    if (!decl || decl.type !== 'import_declaration') continue;
    for (const spec of specsOf(decl)) {
      const pathNode = spec.childForFieldName('path');
      if (!pathNode) continue;
      const path = unquoteGoString(pathNode.text);
      const nameNode = spec.childForFieldName('name');
      const alias = nameNode?.text;
      imports.push({ path, alias, localName: alias ?? presumedPackageName(path), node: spec });
    }
  }
  return new GoImports(imports);
}

/** Value of a Go interpreted or raw string literal (escapes beyond \" and \\ are kept as written). */
export function unquoteGoString(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, literal.endsWith('`') ? -1 : undefined);
  const body = literal.slice(1, literal.endsWith('"') && literal.length > 1 ? -1 : undefined);
  return body.replace(/\\(["\\])/g, '$1');
}

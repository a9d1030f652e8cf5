import type { Node } from 'web-tree-sitter';
import type { GoImports } from './imports';

/**
 * Per-declaration results of a document's versions while it is edited: a
 * per-file fact built from pieces, one per top-level declaration, rebuilds
 * only the pieces whose declaration changed. Entries are keyed by the
 * declaration's text and shape (node type, error state) under one file header
 * (package clause and imports, which every piece may read), so a hit is valid
 * whatever version it came from. Owned by the parsed file: the adapter hands
 * the previous version's memo to the next on an incremental parse; only the
 * entries a version used are carried on.
 *
 * The header is read through the file's import table, which records every
 * question asked of it ({@link DeclMemo.reads}, shared along the versions): an
 * import edit that answers all of them as before (an import added or removed
 * that nothing asked about, specs reordered) keeps the memo and
 * {@link DeclMemo.header}, the key that stands for the header, so nothing
 * re-runs for it.
 */
export class DeclMemo {
  private readonly used = new Map<string, Map<string, unknown>>();

  constructor(
    /** The header's key: the header text of the version that began this run of equivalent headers. */
    readonly header: string,
    /** This version's header text and package name. */
    readonly headerText: string,
    private readonly packageName: string,
    private readonly previous?: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
    /** Questions asked of the import tables of the versions since {@link header} began, with their answers. */
    readonly reads = new Map<string, string>(),
  ) {}

  /** The memo of the next version of the document: empty when its header answers some recorded question differently. */
  next(headerText: string, packageName: string, imports: GoImports): DeclMemo {
    const pieces = this.used.size > 0 ? this.used : this.previous;
    if (headerText === this.headerText) return new DeclMemo(this.header, headerText, packageName, pieces, this.reads);
    if (packageName === this.packageName && imports.answers(this.reads)) return new DeclMemo(this.header, headerText, packageName, pieces, this.reads);
    return new DeclMemo(headerText, headerText, packageName);
  }

  /** The piece `id` of the declaration with this key, built once per (key, id). */
  piece<T>(id: string, declKey: string, build: () => T): T {
    let own = this.used.get(declKey);
    if (!own) {
      const old = this.previous?.get(declKey);
      own = old ? new Map(old) : new Map<string, unknown>();
      this.used.set(declKey, own);
    }
    if (own.has(id)) return own.get(id) as T;
    const value = build();
    own.set(id, value);
    return value;
  }
}

/**
 * The file header every per-declaration piece may depend on: the package
 * clause and import declarations, as written (read with a cursor: no nodes).
 */
export function fileHeader(root: Node, text: string): string {
  const cursor = root.walk();
  const parts: string[] = [];
  try {
    if (cursor.gotoFirstChild()) {
      do {
        const type = cursor.nodeType;
        if (type === 'package_clause' || type === 'import_declaration') parts.push(text.slice(cursor.startIndex, cursor.endIndex));
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return parts.join('\n');
}

/**
 * `build` of each named top-level declaration, in source order, through the
 * file's memo: declarations whose text is unchanged since a previous version
 * are not visited (a cursor reads their offsets, no node is made).
 */
export function perDeclaration<T>(file: { root: Node; source: { text: string }; declMemo: DeclMemo }, id: string, build: (decl: Node) => T): T[] {
  const out: T[] = [];
  const text = file.source.text;
  const anyError = file.root.hasError;
  const cursor = file.root.walk();
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      if (!cursor.nodeIsNamed) continue;
      const type = cursor.nodeType;
      if (type === 'comment') continue;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const node = (): Node => cursor.currentNode;
      // Error state is part of the shape: recovery can re-shape identical text (a node is made only then).
      const key = `${type}${anyError && node().hasError ? '!' : ''}\u0000${text.slice(start, end)}`;
      out.push(file.declMemo.piece(id, key, () => build(node())));
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return out;
}

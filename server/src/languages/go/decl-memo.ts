import type { Node } from 'web-tree-sitter';
import type { GoImports } from './imports';

/** One top-level declaration of a version: its key (text and shape), its pieces, and where it sits among the root's children. */
interface DeclSlot {
  readonly pieces: Map<string, unknown>;
  readonly child: number;
  /** Its start offset in this version. */
  readonly start: number;
}

/**
 * Piece maps by a declaration's shape (node type, error state), then its text: the text is a slice of the
 * document (hashed in place), never joined to the shape (a copy of every declaration per version).
 */
type Shelf = Map<string, Map<string, Map<string, unknown>>>;

/** What one version hands to the next (see {@link DeclMemo.next}). */
interface Carried {
  readonly pieces: ReadonlyMap<string, ReadonlyMap<string, Map<string, unknown>>>;
  readonly lists: ReadonlyMap<string, BuiltList>;
  readonly derived: ReadonlyMap<string, Derived>;
}

/** The pieces of one id in one version, and the declarations' piece maps they were read from (see {@link DeclMemo.pieces}). */
interface BuiltList {
  readonly items: readonly unknown[];
  readonly maps: readonly Map<string, unknown>[];
}

interface Derived {
  readonly inputs: readonly unknown[];
  readonly value: unknown;
}

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
 * A rebuilt piece equal (as data) to the piece at the same place in the
 * previous version's list is replaced by that one, so typing in a body keeps
 * every piece of the file the same object; what is derived from pieces or
 * from facts ({@link DeclMemo.derived}: a file's fact, a package's declaration
 * key) is then handed on unchanged, without being recomputed or compared.
 *
 * The header is read through the file's import table, which records every
 * question asked of it ({@link DeclMemo.reads}, shared along the versions): an
 * import edit that answers all of them as before (an import added or removed
 * that nothing asked about, specs reordered) keeps the memo and
 * {@link DeclMemo.header}, the key that stands for the header, so nothing
 * re-runs for it.
 */
export class DeclMemo {
  private readonly used: Shelf = new Map();
  /** This version's top-level declarations, read once (on the first piece asked for). */
  private slots: DeclSlot[] | undefined;
  private startList: number[] | undefined;
  private mapList: Map<string, unknown>[] | undefined;
  /** Per piece id: this version's pieces, in source order. */
  private readonly lists = new Map<string, BuiltList>();
  private readonly derivedValues = new Map<string, Derived>();

  constructor(
    /** The header's key: the header text of the version that began this run of equivalent headers. */
    readonly header: string,
    /** This version's header text and package name. */
    readonly headerText: string,
    private readonly packageName: string,
    private readonly previous?: Carried,
    /** Questions asked of the import tables of the versions since {@link header} began, with their answers. */
    readonly reads = new Map<string, string>(),
  ) {}

  /** The memo of the next version of the document: empty when its header answers some recorded question differently. */
  next(headerText: string, packageName: string, imports: GoImports): DeclMemo {
    const same = headerText === this.headerText || (packageName === this.packageName && imports.answers(this.reads));
    if (!same) return new DeclMemo(headerText, headerText, packageName);
    const carried: Carried = {
      pieces: this.used.size > 0 ? this.used : (this.previous?.pieces ?? new Map()),
      lists: new Map([...(this.previous?.lists ?? []), ...this.lists]),
      derived: new Map([...(this.previous?.derived ?? []), ...this.derivedValues]),
    };
    return new DeclMemo(this.header, headerText, packageName, carried, this.reads);
  }

  /**
   * The pieces `id` of every named top-level declaration of `file` (this
   * memo's version), in source order: a declaration whose text is unchanged
   * since a previous version is not visited (no node is made).
   */
  pieces<T>(file: { root: Node; source: { text: string } }, id: string, build: (decl: Node) => T): readonly T[] {
    const done = this.lists.get(id);
    if (done) return done.items as readonly T[];
    const slots = this.slotsOf(file);
    const maps = (this.mapList ??= slots.map((s) => s.pieces));
    const before = this.previous?.lists.get(id);
    const alike = before?.items.length === slots.length ? before.items : undefined;
    // The declarations before and after the edited ones are the same (the same piece maps) as in the list the
    // previous version built: their pieces are copied as a block, and only the middle is looked at.
    let head = 0;
    let tail = 0;
    if (before) {
      const n = Math.min(before.maps.length, maps.length);
      while (head < n && before.maps[head] === maps[head]) head++;
      while (tail < n - head && before.maps[before.maps.length - 1 - tail] === maps[maps.length - 1 - tail]) tail++;
    }
    const out: T[] = before ? (before.items.slice(0, head) as T[]) : [];
    const missing: number[] = [];
    for (let i = head; i < slots.length - tail; i++) if (!slots[i].pieces.has(id)) missing.push(i);
    const built = new Map<number, T>();
    // Few to build (typing): each declaration by its index. Many (a first version): one cursor along the root.
    if (missing.length <= 16) {
      for (const i of missing) {
        const decl = file.root.child(slots[i].child);
        if (!decl) throw new Error(`declaration ${String(slots[i].child)} of the root is gone`);
        built.set(i, build(decl));
      }
    } else {
      const cursor = file.root.walk();
      try {
        if (!cursor.gotoFirstChild()) throw new Error('the root lost its declarations');
        let at = 0;
        for (const i of missing) {
          for (; at < slots[i].child; at++) if (!cursor.gotoNextSibling()) throw new Error(`declaration ${String(slots[i].child)} of the root is gone`);
          built.set(i, build(cursor.currentNode));
        }
      } finally {
        cursor.delete();
      }
    }
    for (let i = head; i < slots.length - tail; i++) {
      const slot = slots[i];
      if (!built.has(i)) {
        out.push(slot.pieces.get(id) as T);
        continue;
      }
      let value = built.get(i) as T;
      // Equal data at the same place: keep the previous object, so that what is derived from the list is kept too.
      const old = alike?.[i];
      if (old !== undefined && old !== value && sameData(old, value)) value = old as T;
      slot.pieces.set(id, value);
      out.push(value);
    }
    if (before) for (let k = before.items.length - tail; k < before.items.length; k++) out.push(before.items[k] as T);
    this.lists.set(id, { items: out, maps });
    return out;
  }

  /**
   * `compute()` once per `inputs`: the value derived under `id` by a previous
   * version of the document is handed on while every input is the same object
   * (pieces of {@link pieces}, facts of other files from the fact store).
   * `compute` must depend on nothing else: no tree, no node, no workspace read.
   */
  derived<T>(id: string, inputs: readonly unknown[], compute: () => T): T {
    const own = this.derivedValues.get(id);
    if (own && sameItems(own.inputs, inputs)) return own.value as T;
    const old = this.previous?.derived.get(id);
    const value = old && sameItems(old.inputs, inputs) ? (old.value as T) : compute();
    this.derivedValues.set(id, { inputs: [...inputs], value });
    return value;
  }

  /** `value`, or the value kept under `id` by a previous version when it is equal data (so that what derives from it is kept). */
  kept<T>(id: string, value: T): T {
    const old = this.derivedValues.get(id) ?? this.previous?.derived.get(id);
    const out = old && sameData(old.value, value) ? (old.value as T) : value;
    this.derivedValues.set(id, { inputs: [], value: out });
    return out;
  }

  /** The start offset, in this version, of each declaration {@link pieces} lists, in the same order. */
  starts(file: { root: Node; source: { text: string } }): readonly number[] {
    return (this.startList ??= this.slotsOf(file).map((s) => s.start));
  }

  private slotsOf(file: { root: Node; source: { text: string } }): DeclSlot[] {
    if (this.slots) return this.slots;
    const slots: DeclSlot[] = [];
    const text = file.source.text;
    const anyError = file.root.hasError;
    const cursor = file.root.walk();
    try {
      if (cursor.gotoFirstChild()) {
        let child = 0;
        do {
          const at = child++;
          if (!cursor.nodeIsNamed) continue;
          const type = cursor.nodeType;
          if (type === 'comment') continue;
          // Error state is part of the shape: recovery can re-shape identical text (a node is made only then).
          const shape = anyError && cursor.currentNode.hasError ? `${type}!` : type;
          const start = cursor.startIndex;
          const declText = text.slice(start, cursor.endIndex);
          let byText = this.used.get(shape);
          if (!byText) this.used.set(shape, (byText = new Map<string, Map<string, unknown>>()));
          let pieces = byText.get(declText);
          if (!pieces) {
            // Pieces of the same shape and text are valid in every version under this header: the map is shared, not copied.
            pieces = this.previous?.pieces.get(shape)?.get(declText) ?? new Map<string, unknown>();
            byText.set(declText, pieces);
          }
          slots.push({ pieces, child: at, start });
        } while (cursor.gotoNextSibling());
      }
    } finally {
      cursor.delete();
    }
    this.slots = slots;
    return slots;
  }
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Equal plain data (primitives, arrays, plain objects); anything else only when it is the same object. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  if (Array.isArray(b) || !isPlain(a) || !isPlain(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isPlain(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
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
export function perDeclaration<T>(file: { root: Node; source: { text: string }; declMemo: DeclMemo }, id: string, build: (decl: Node) => T): readonly T[] {
  return file.declMemo.pieces(file, id, build);
}

/**
 * A value derived from the file's pieces (or from facts) through its memo: kept from the previous version while
 * every input is the same object (see {@link DeclMemo.derived}).
 */
export function derivedFrom<T>(file: { declMemo: DeclMemo }, id: string, inputs: readonly unknown[], compute: () => T): T {
  return file.declMemo.derived(id, inputs, compute);
}

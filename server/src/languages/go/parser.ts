import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';
import { SourceText } from '../../core/source-text';
import { AnalysisSlot } from '../../core/analysis-slot';
import { readImports, type GoImports } from './imports';
import { DeclMemo, fileHeader } from './decl-memo';

export type { Node, Tree, Query } from 'web-tree-sitter';

/** A parsed Go source file. The tree is owned by whoever created the file: call {@link GoFile.dispose}. */
export interface GoFile {
  readonly kind: 'go';
  readonly path: string;
  readonly source: SourceText;
  readonly tree: Tree;
  readonly root: Node;
  readonly imports: GoImports;
  /** `package` clause name, '' while half-typed. */
  readonly packageName: string;
  readonly isTest: boolean;
  /** Engine-owned results of the analyses run on this tree; dropped with it. */
  readonly analyses: AnalysisSlot;
  /** Per-declaration pieces of facts, carried from the previous version of the document (see {@link DeclMemo}). */
  readonly declMemo: DeclMemo;
  dispose(): void;
}

/** Locates a `.wasm` file beside the bundle (dist/) or, from sources and tests, in node_modules. */
function locateWasm(fileName: string, packageEntry: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageEntry);
}

/** Owns the WebAssembly runtime and the Go grammar; one per engine. */
export class GoParser {
  private readonly parser: Parser;

  private constructor(readonly language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  static async create(): Promise<GoParser> {
    const runtime = locateWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(locateWasm('tree-sitter-go.wasm', 'tree-sitter-go/tree-sitter-go.wasm'));
    return new GoParser(language);
  }

  query(source: string): Query {
    return new Query(this.language, source);
  }

  /** Parses `text`; pass the previous tree (already `edit()`ed) to re-parse incrementally. */
  parseTree(text: string, oldTree?: Tree): Tree {
    const tree = this.parser.parse(text, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /** Parses a file; `previous` is an earlier version of the same document (its tree already `edit()`ed when passed as `oldTree`). */
  parse(filePath: string, text: string | SourceText, oldTree?: Tree, previous?: GoFile): GoFile {
    const source = typeof text === 'string' ? new SourceText(text) : text;
    return makeGoFile(filePath, source, this.parseTree(source.text, oldTree), previous?.declMemo);
  }

  dispose(): void {
    this.parser.delete();
  }
}

export function makeGoFile(filePath: string, source: SourceText, tree: Tree, previousMemo?: DeclMemo): GoFile {
  const root = tree.rootNode;
  const header = fileHeader(root, source.text);
  const pkg = root.namedChildren.find((n) => n?.type === 'package_clause');
  const pkgName = pkg?.namedChildren.find((n) => n?.type === 'package_identifier')?.text ?? '';
  const imports = readImports(root);
  const declMemo = previousMemo ? previousMemo.next(header, pkgName, imports) : new DeclMemo(header, header, pkgName);
  // From here on, what is read of the imports is recorded: the next version keeps what its imports answer alike.
  imports.recordInto(declMemo.reads);
  let disposed = false;
  return {
    kind: 'go',
    analyses: new AnalysisSlot(),
    declMemo,
    path: filePath,
    source,
    tree,
    root,
    imports,
    packageName: pkgName,
    isTest: filePath.endsWith('_test.go'),
    dispose() {
      if (!disposed) tree.delete();
      disposed = true;
    },
  };
}

/**
 * True when `node` lies in a top-level declaration that does not parse (an
 * ERROR or MISSING node anywhere in it): code being typed gets no squiggles
 * until it parses, and the Go extension reports the syntax error itself.
 */
export function isInsideSyntaxError(node: Node): boolean {
  let top: Node = node;
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.isError || n.isMissing) return true;
    if (n.parent && n.parent.type === 'source_file') top = n;
  }
  return top.type !== 'source_file' && top.hasError;
}

/**
 * Go's convention for generated files (https://go.dev/s/generatedcode): a line
 * `// Code generated ... DO NOT EDIT.` before the package clause.
 */
export function isGeneratedGo(text: string): boolean {
  const head = text.slice(0, 8192);
  // Asked on every keystroke: a plain search first, the line-anchored patterns only when the words are there.
  if (!head.includes('Code generated')) return false;
  const pkgAt = head.search(/^package\s/m);
  const preamble = pkgAt >= 0 ? head.slice(0, pkgAt) : head;
  return /^\/\/ Code generated .* DO NOT EDIT\.\r?$/m.test(preamble);
}

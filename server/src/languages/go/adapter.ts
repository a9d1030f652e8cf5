import type { Node, Query } from 'web-tree-sitter';
import type { DirectiveSyntax, DocumentAdapter } from '../../core/adapter';
import type { AnalysisOn, AnalysisUnits } from '../../core/analysis';
import type { Notice, Span } from '../../core/finding';
import type { SourceText } from '../../core/source-text';
import { GoParser, isGeneratedGo, isInsideSyntaxError, makeGoFile, type GoFile } from './parser';
import type { GoPackageSource } from './package';
import { agreesWithFreshParse, changedSpan, editTree } from './incremental';

declare module '../../core/adapter' {
  interface ParsedDocuments {
    go: GoFile;
  }
}

/** `.go` files, or any buffer the editor calls Go. */
export function claimsGo(filePath: string, languageId?: string): boolean {
  return languageId === 'go' || filePath.toLowerCase().endsWith('.go');
}

/** `//` comments; a file-level directive goes after the package clause (above it, it would join the package doc comment). */
export const goDirectiveSyntax: DirectiveSyntax = {
  lineComment: '//',
  fileDirectiveLine(source: SourceText): number {
    for (let l = 0; l < source.lineCount; l++) if (/^package\s/.test(source.lineText(l))) return l + 1;
    return 0;
  },
};

/**
 * Go through tree-sitter (WASM): incremental re-parse from the previous tree,
 * `//` comments, generated files skipped, findings inside a syntax error
 * dropped. Units: `go-file` (the tree) and `go-package` (its package view).
 */
export class GoAdapter implements DocumentAdapter<GoFile, GoPackageSource> {
  readonly role = 'document';
  readonly kind = 'go';
  readonly label = 'Go file';
  readonly lineComment = goDirectiveSyntax.lineComment;
  private readonly commentQuery: Query;

  private constructor(readonly parser: GoParser) {
    this.commentQuery = parser.query('(comment) @comment');
  }

  static async create(): Promise<GoAdapter> {
    return new GoAdapter(await GoParser.create());
  }

  claims(filePath: string, languageId?: string): boolean {
    return claimsGo(filePath, languageId);
  }

  skipReason(filePath: string, text: string): Notice | undefined {
    if (!isGeneratedGo(text)) return undefined;
    return { file: filePath, reason: 'generated', message: 'generated Go file (// Code generated ... DO NOT EDIT.)' };
  }

  parse(filePath: string, source: SourceText, _files: unknown, previous?: { parsed: GoFile; changes: readonly { start: number; end: number; text: string }[] }): GoFile {
    const old = previous?.parsed;
    if (old && previous.changes.length > 0) {
      // Incremental: tell the old tree about each change, then re-parse reusing it.
      let text = old.source.text;
      for (const change of previous.changes) text = editTree(old.tree, text, change);
      if (text === source.text) {
        const tree = this.parser.parseTree(text, old.tree);
        // Error recovery may differ from a fresh parse's, and findings must not depend on the edit history:
        // the regions holding errors are checked against a fresh parse of each (a whole fresh parse when one differs).
        if (!tree.rootNode.hasError || agreesWithFreshParse(tree, text, changedSpan(previous.changes), (slice) => this.parser.parseTree(slice))) {
          return makeGoFile(filePath, source, tree, old.declMemo);
        }
        tree.delete();
      }
      return this.parser.parse(filePath, source, undefined, old);
    }
    return this.parser.parse(filePath, source);
  }

  syntaxErrors(parsed: GoFile): number {
    return parsed.root.hasError ? 1 + parsed.root.descendantsOfType(['ERROR']).length : 0;
  }

  comments(parsed: GoFile): Span[] {
    return this.commentQuery.captures(parsed.root).map((c) => ({ start: c.node.startIndex, end: c.node.endIndex }));
  }

  fileDirectiveLine(source: SourceText): number {
    return goDirectiveSyntax.fileDirectiveLine(source);
  }

  unit<K extends AnalysisOn>(on: K, parsed: GoFile, workspace?: GoPackageSource): AnalysisUnits[K] | undefined {
    if (on === 'go-file') return parsed as AnalysisUnits[K];
    if (on === 'go-package') return workspace?.goPackage(parsed) as AnalysisUnits[K] | undefined;
    if (on === 'text') return parsed.source as AnalysisUnits[K];
    return undefined;
  }

  isInErrorRegion(parsed: GoFile, span: Span, node?: unknown): boolean {
    const target = (node as Node | undefined) ?? parsed.root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
    return target ? isInsideSyntaxError(target) : false;
  }

  dispose(parsed: GoFile): void {
    parsed.dispose();
  }

  /** Frees the parser (the WASM runtime stays loaded for the process). */
  close(): void {
    this.parser.dispose();
  }
}
